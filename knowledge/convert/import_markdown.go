package convert

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/faqbot/faqbot/internal/lazyregexp"
	"github.com/faqbot/faqbot/knowledge"
)

// ImportMarkdown reads back a Markdown file written by faqbot export: a
// "#" title, then for each entry a "##" heading that is its question, a
// "<!-- faqbot ... -->" comment holding its other fields (id, alternates,
// section, tags, source, updated, related, owner), and its answer's
// paragraphs; a comment after the title holds the file's language,
// fallback and synonyms. "Q:"/"A:" pairs are read too. Other documents go
// through the document readers (see ImportWith). The warnings say what was
// left out and why; the output is the same for the same input.
func ImportMarkdown(name string, data []byte) (*knowledge.File, knowledge.Errors, error) {
	if len(data) > knowledge.MaxFileSize {
		return nil, nil, knowledge.Errors{knowledge.TooBig(name, int64(len(data)))}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, knowledge.Errors{knowledge.BadUTF8(name, data)}
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")

	im := &mdImporter{name: name, lines: lines}
	im.frontMatter()
	updated, _ := findDate(text)
	im.scan()
	f := im.build(updated)
	im.warnings.Sort()
	if len(im.errs) > 0 {
		im.errs.Sort()
		return nil, im.warnings, im.errs
	}
	if len(f.Entries) == 0 {
		return nil, im.warnings, knowledge.Errors{knowledge.Problemf(name, 0, 0, "", "found no questions, headings or Q:/A: pairs to make entries from")}
	}
	if err := finishImport(name, f); err != nil {
		return nil, im.warnings, err
	}
	return f, im.warnings, nil
}

type mdItemKind int

const (
	mdPara mdItemKind = iota
	mdHeading
	mdQuestion
	mdMetaItem // a "<!-- faqbot ... -->" comment
)

// mdItem is a heading, a question (a "Q:" line) or a paragraph.
type mdItem struct {
	kind  mdItemKind
	line  int
	level int    // heading level, 1-6; 0 for a plain-text heading
	text  string // heading or question text
	lines []string
	// answer marks a paragraph that began with an "A:" marker (removed).
	answer bool
}

type mdImporter struct {
	name     string
	lines    []string
	start    int // first line after any front matter
	fmTitle  string
	items    []mdItem
	warnings knowledge.Errors
	errs     knowledge.Errors
}

func (im *mdImporter) warn(line int, format string, args ...any) {
	im.warnings = append(im.warnings, knowledge.Problemf(im.name, line, 0, "", format, args...))
}

var (
	atxRe      = lazyregexp.New(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	setextRe   = lazyregexp.New(`^ {0,3}(=+|-+)[ \t]*$`)
	ruleRe     = lazyregexp.New(`^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:=[ \t]*){3,})$`)
	fenceRe    = lazyregexp.New("^ {0,3}(```+|~~~+)")
	questionRe = lazyregexp.New(`(?i)^(?:[*_]{2})?[ \t]*(?:q\d*[ \t]*[:.]|question[ \t]*\d*[ \t]*:)[ \t]*(?:[*_]{2})?[ \t]*(.*)$`)
	answerRe   = lazyregexp.New(`(?i)^(?:[*_]{2})?[ \t]*(?:a\d*[ \t]*:|answer[ \t]*\d*[ \t]*:)[ \t]*(?:[*_]{2})?[ \t]*(.*)$`)
	listRe     = lazyregexp.New(`^(?:[-*+>|][ \t]|\d+[.)][ \t])`)
)

// frontMatter skips a YAML front matter block at the top, taking its title.
func (im *mdImporter) frontMatter() {
	if len(im.lines) == 0 || strings.TrimSpace(im.lines[0]) != "---" {
		return
	}
	for i := 1; i < len(im.lines) && i < 100; i++ {
		l := strings.TrimSpace(im.lines[i])
		if l == "---" || l == "..." {
			im.start = i + 1
			return
		}
		if v, ok := strings.CutPrefix(l, "title:"); ok {
			im.fmTitle = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
}

// scan splits the document into headings, questions and paragraphs.
func (im *mdImporter) scan() {
	var cur *mdItem
	flush := func() {
		if cur != nil {
			im.items = append(im.items, *cur)
			cur = nil
		}
	}
	fence := ""
	questionOpen := false // the last item is a question that may go on
	for i := im.start; i < len(im.lines); i++ {
		raw := strings.TrimRightFunc(im.lines[i], unicode.IsSpace)
		ln := i + 1
		t := strings.TrimSpace(raw)
		if fence != "" {
			cur.lines = append(cur.lines, raw)
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if m := fenceRe.FindStringSubmatch(raw); m != nil {
			if cur == nil {
				cur = &mdItem{kind: mdPara, line: ln}
			}
			cur.lines = append(cur.lines, raw)
			fence = m[1]
			questionOpen = false
			continue
		}
		if strings.HasPrefix(t, mdMetaStart) && (len(t) == len(mdMetaStart) || t[len(mdMetaStart)] == ' ') {
			flush()
			questionOpen = false
			meta := mdItem{kind: mdMetaItem, line: ln}
			rest := strings.TrimSpace(t[len(mdMetaStart):])
			for {
				if body, ok := strings.CutSuffix(rest, "-->"); ok {
					meta.lines = append(meta.lines, body)
					break
				}
				meta.lines = append(meta.lines, rest)
				i++
				if i == len(im.lines) {
					im.errs = append(im.errs, knowledge.Problemf(im.name, ln, 0, "", "the faqbot comment is not closed with -->"))
					break
				}
				rest = strings.TrimRightFunc(im.lines[i], unicode.IsSpace)
			}
			im.items = append(im.items, meta)
			continue
		}
		if t == "" || strings.HasPrefix(t, "<!--") && strings.HasSuffix(t, "-->") {
			flush()
			questionOpen = false
			continue
		}
		if (cur == nil || i < im.start+5) && isDateLine(t) {
			continue
		}
		if m := atxRe.FindStringSubmatch(raw); m != nil {
			flush()
			questionOpen = false
			if h := strings.TrimSpace(m[2]); h != "" {
				im.items = append(im.items, headingItem(ln, len(m[1]), h))
			}
			continue
		}
		if m := setextRe.FindStringSubmatch(raw); m != nil && cur != nil && len(cur.lines) == 1 && !cur.answer {
			level := 1
			if m[1][0] == '-' {
				level = 2
			}
			im.items = append(im.items, headingItem(cur.line, level, strings.TrimSpace(cur.lines[0])))
			cur = nil
			continue
		}
		if ruleRe.MatchString(raw) {
			flush()
			questionOpen = false
			continue
		}
		if m := questionRe.FindStringSubmatch(t); m != nil && strings.TrimSpace(stripEmphasis(m[1])) != "" {
			flush()
			im.items = append(im.items, mdItem{kind: mdQuestion, line: ln, text: stripEmphasis(m[1])})
			questionOpen = !endsSentence(stripEmphasis(m[1]))
			continue
		}
		if m := answerRe.FindStringSubmatch(t); m != nil {
			flush()
			questionOpen = false
			cur = &mdItem{kind: mdPara, line: ln, answer: true}
			if a := stripAnswerEmphasis(m[1]); a != "" {
				cur.lines = append(cur.lines, a)
			}
			continue
		}
		if questionOpen {
			q := &im.items[len(im.items)-1]
			q.text += " " + stripEmphasis(t)
			questionOpen = !endsSentence(q.text)
			continue
		}
		if cur == nil {
			cur = &mdItem{kind: mdPara, line: ln}
		}
		cur.lines = append(cur.lines, raw)
	}
	flush()
}

// headingItem makes a heading, or a question when the heading has a "Q:".
func headingItem(line, level int, text string) mdItem {
	text = stripEmphasis(text)
	if m := questionRe.FindStringSubmatch(text); m != nil && strings.TrimSpace(m[1]) != "" {
		return mdItem{kind: mdQuestion, line: line, level: level, text: stripEmphasis(m[1])}
	}
	return mdItem{kind: mdHeading, line: line, level: level, text: text}
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, `"'’”)*_ `)
	return strings.HasSuffix(s, "?") || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, ":") ||
		strings.HasSuffix(s, "？") || strings.HasSuffix(s, "。") || strings.HasSuffix(s, "！") || strings.HasSuffix(s, "：")
}

// stripEmphasis removes Markdown emphasis wrapping a whole line.
func stripEmphasis(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range []string{"**", "__", "*", "_"} {
		if len(s) > 2*len(w) && strings.HasPrefix(s, w) && strings.HasSuffix(s, w) {
			s = strings.TrimSpace(s[len(w) : len(s)-len(w)])
		}
	}
	// "**Q: What?**" leaves "What?**" once the marker is cut.
	for _, w := range []string{"**", "__"} {
		if strings.HasSuffix(s, w) && !strings.Contains(s[:len(s)-len(w)], w) {
			s = strings.TrimSpace(s[:len(s)-len(w)])
		}
	}
	return s
}

// stripAnswerEmphasis removes what is left of a bold "**A:**" marker.
func stripAnswerEmphasis(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range []string{"**", "__"} {
		if strings.HasPrefix(s, w) && !strings.Contains(s[len(w):], w) {
			s = strings.TrimSpace(s[len(w):])
		}
	}
	return s
}

// mdDraft is an entry being made.
type mdDraft struct {
	title    bool // the title and introduction
	qa       bool // from a question (Q: or a question heading)
	question string
	alts     []string
	paras    []string
	line     int
	parent   string  // the heading this one is under, if any
	meta     *mdMeta // from a faqbot comment, if any
}

// build makes the entries from the items.
func (im *mdImporter) build(updated string) (f *knowledge.File) {
	items := im.items
	title := im.fmTitle
	intro := &mdDraft{title: true}
	if len(items) > 0 && items[0].kind == mdHeading && (items[0].level <= 1) && title == "" {
		title = items[0].text
		intro.line = items[0].line
		items = items[1:]
	}
	intro.question = title
	var fileMeta *mdMeta
	if len(items) > 0 && items[0].kind == mdMetaItem {
		fileMeta = im.meta(items[0])
		items = items[1:]
	}

	var drafts []*mdDraft
	cur := intro
	finish := func() {
		if cur != intro {
			drafts = append(drafts, cur)
		}
	}
	var parents []mdItem // the enclosing Markdown headings, outermost first
	for i, it := range items {
		switch it.kind {
		case mdHeading, mdQuestion:
			finish()
			for len(parents) > 0 && it.level > 0 && parents[len(parents)-1].level >= it.level {
				parents = parents[:len(parents)-1]
			}
			cur = &mdDraft{question: it.text, line: it.line, qa: it.kind == mdQuestion || strings.HasSuffix(it.text, "?")}
			if len(parents) > 0 {
				cur.parent = parents[len(parents)-1].text
			}
			if it.kind == mdHeading && it.level > 0 {
				parents = append(parents, it)
			}
			// A heading with nothing under it only groups what follows it;
			// one that groups nothing is left out.
			next := i + 1
			if it.kind == mdHeading && (next == len(items) || items[next].kind == mdHeading && (it.level == 0 || items[next].level <= it.level)) {
				im.warn(it.line, "heading %q has no text under it; left out", it.text)
			}
		case mdPara:
			cur.paras = append(cur.paras, paragraph(it.lines, it.answer))
		case mdMetaItem:
			switch {
			case cur.meta != nil:
				im.errs = append(im.errs, knowledge.Problemf(im.name, it.line, 0, "", "a second faqbot comment for %q", cur.question))
			case cur == intro && fileMeta == nil:
				fileMeta = im.meta(it)
			case cur == intro:
				im.errs = append(im.errs, knowledge.Problemf(im.name, it.line, 0, "", "a faqbot comment must follow a heading or the title"))
			default:
				cur.meta = im.meta(it)
			}
		}
	}
	finish()

	// The introduction's question sentences ask what the title asks.
	for _, p := range intro.paras {
		intro.alts = append(intro.alts, questionSentences(p)...)
	}
	if intro.question == "" && len(intro.alts) > 0 {
		intro.question, intro.alts = intro.alts[0], intro.alts[1:]
	}
	if len(intro.paras) > 0 {
		if intro.question == "" {
			im.warn(im.firstParaLine(), "the text before the first heading has no title or question to be asked by; left out")
		} else {
			drafts = append([]*mdDraft{intro}, drafts...)
		}
	}

	defer func() {
		im.resolve(f)
		if fileMeta == nil {
			return
		}
		f.Fallback, f.Synonyms = strings.TrimSpace(fileMeta.Fallback), fileMeta.Synonyms
		if l := strings.ToLower(strings.TrimSpace(fileMeta.Language)); l != "" {
			if _, err := knowledge.LanguageCode(l); err != nil {
				im.errs = append(im.errs, knowledge.Problemf(im.name, 0, 0, "", "unknown language %q; use one of %s", l, strings.Join(knowledge.Languages(), ", ")))
			}
			f.Language = l
		}
	}()
	source := filepath.Base(im.name)
	if title != "" {
		source = title + " (" + source + ")"
	}
	f = &knowledge.File{Version: knowledge.Version, Title: knowledge.Truncate(title, knowledge.MaxTitleLen)}
	ids := map[string]bool{}
	// Ids given in faqbot comments are taken first, so that no slug takes
	// one of them.
	for _, d := range drafts {
		if d.meta == nil || d.meta.ID == "" {
			continue
		}
		if msg := knowledge.CheckID(d.meta.ID); msg != "" {
			im.warn(d.line, "%s; a new one is made", msg)
			d.meta.ID = ""
		} else if ids[d.meta.ID] {
			im.errs = append(im.errs, knowledge.Problemf(im.name, d.line, 0, "", "id %q is given twice", d.meta.ID))
		}
		ids[d.meta.ID] = true
	}
	seen := map[string]string{} // phrasing key -> question
	for _, d := range drafts {
		q := strings.TrimSpace(d.question)
		answer := strings.Join(d.paras, "\n\n")
		switch {
		case strings.TrimSpace(answer) == "":
			if d.qa {
				im.warn(d.line, "question %q has no answer; left out", q)
			}
			continue
		case knowledge.PhrasingKey(q) == "":
			im.warn(d.line, "heading %q has no words to ask by; left out", q)
			continue
		}
		q, answer = fitLimits(q, answer, func(format string, args ...any) { im.warn(d.line, format, args...) })
		if _, dup := seen[knowledge.PhrasingKey(q)]; dup {
			renamed := q + " (" + d.parent + ")"
			for n := 2; d.parent == "" || seen[knowledge.PhrasingKey(renamed)] != ""; n++ {
				renamed, d.parent = fmt.Sprintf("%s (%d)", q, n), "-"
			}
			im.warn(d.line, "question %q is asked twice; this one is renamed %q", q, renamed)
			q = renamed
		}
		seen[knowledge.PhrasingKey(q)] = q
		e := knowledge.Entry{Question: q, Answer: answer, Source: source, Updated: updated, Line: d.line}
		if m := d.meta; m != nil {
			// An entry written by faqbot export says all about itself.
			e.Section, e.Source, e.Tags, e.Related, e.Owner = m.Section, m.Source, m.Tags, m.Related, m.Owner
			e.Updated = ""
			if m.Updated != "" {
				if u, ok := parseUpdated(m.Updated); ok {
					e.Updated = u
				} else {
					im.warn(d.line, "updated %q is not a date; left out", m.Updated)
				}
			}
			d.alts = append(d.alts, m.Alternates...)
		}
		if d.meta != nil && d.meta.ID != "" {
			e.ID = d.meta.ID
		} else {
			e.ID = uniqueID(slugID(q, nil), ids)
		}
		for _, a := range d.alts {
			k := knowledge.PhrasingKey(a)
			if k == "" || utf8.RuneCountInString(a) > knowledge.MaxPhrasingLen {
				continue
			}
			if other, dup := seen[k]; dup {
				if other != q {
					im.warn(d.line, "alternate %q of %q is already asked as %q; left out", a, q, other)
				}
				continue
			}
			seen[k] = q
			e.Alternates = append(e.Alternates, a)
		}
		f.Entries = append(f.Entries, e)
		if len(f.Entries) == knowledge.MaxEntries {
			im.warn(d.line, "the document makes more than %d entries; the rest are left out", knowledge.MaxEntries)
			break
		}
	}
	return f
}

// resolve drops the related ids that name no entry, and tags that are not
// short one-line words, saying so.
func (im *mdImporter) resolve(f *knowledge.File) {
	ids := map[string]bool{}
	for _, e := range f.Entries {
		ids[e.ID] = true
	}
	for i := range f.Entries {
		e := &f.Entries[i]
		var rel, tags []string
		for _, r := range e.Related {
			r = strings.TrimSpace(r)
			switch {
			case r == e.ID || slices.Contains(rel, r):
			case !ids[r]:
				im.warn(e.Line, "related id %q of %q does not exist; left out", r, e.ID)
			default:
				rel = append(rel, r)
			}
		}
		for _, t := range e.Tags {
			t = strings.TrimSpace(t)
			switch {
			case t == "" || slices.ContainsFunc(tags, func(u string) bool { return strings.EqualFold(t, u) }):
			case utf8.RuneCountInString(t) > knowledge.MaxTagLen || strings.ContainsAny(t, "\r\n"):
				im.warn(e.Line, "tag %q is not a short one-line word; left out", knowledge.Truncate(t, 40))
			default:
				tags = append(tags, t)
			}
		}
		e.Related, e.Tags = rel, tags
	}
}

// meta reads a faqbot comment, reporting what is wrong in it.
func (im *mdImporter) meta(it mdItem) *mdMeta {
	var m mdMeta
	dec := yaml.NewDecoder(strings.NewReader(strings.Join(it.lines, "\n")))
	dec.KnownFields(true)
	err := dec.Decode(&m)
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, msg := range te.Errors {
			p := knowledge.YAMLProblem(im.name, nil, errors.New("yaml: "+msg))
			p.Line = max(p.Line, 1) + it.line - 1
			p.Message = "in the faqbot comment: " + p.Message
			im.errs = append(im.errs, p)
		}
		return &m
	}
	if err != nil && !errors.Is(err, io.EOF) {
		p := knowledge.YAMLProblem(im.name, nil, err)
		if p.Line > 0 {
			p.Line += it.line - 1
		} else {
			p.Line = it.line
		}
		p.Message = "in the faqbot comment: " + p.Message
		im.errs = append(im.errs, p)
	}
	return &m
}

func (im *mdImporter) firstParaLine() int {
	for _, it := range im.items {
		if it.kind == mdPara {
			return it.line
		}
	}
	return 0
}

// paragraph returns a paragraph's text: its lines as written, less the
// indentation they share; with answer, the first line is what followed
// "A:", trimmed and not counted.
func paragraph(lines []string, answer bool) string {
	if !answer || len(lines) == 0 {
		return strings.Join(dedent(lines), "\n")
	}
	return strings.Join(append([]string{strings.TrimSpace(lines[0])}, dedent(lines[1:])...), "\n")
}

// questionSentences returns the sentences of text that end in a question
// mark.
func questionSentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(strings.Join(strings.Fields(text), " "))
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune(".!?", rs[i]) || i+1 < len(rs) && rs[i+1] != ' ' {
			continue
		}
		s := strings.TrimSpace(string(rs[start : i+1]))
		start = i + 1
		if rs[i] == '?' && utf8.RuneCountInString(s) <= 200 {
			s = strings.TrimLeft(s, `"'“‘*_ `)
			if knowledge.PhrasingKey(s) != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
