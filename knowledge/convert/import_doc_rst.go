package convert

import (
	"strconv"
	"strings"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

var (
	rstDirectiveRe = lazyregexp.New(`^\.\.[ \t]+([\w:-]+)::(?:[ \t]+(.*))?$`)
	rstTargetRe    = lazyregexp.New(`^\.\.[ \t]+_(?:` + "`([^`]+)`" + `|([^:]+)):(?:[ \t]+(\S.*))?$`)
	rstCommentRe   = lazyregexp.New(`^\.\.(?:[ \t].*)?$`)
	rstListRe      = lazyregexp.New(`^(?:[-*+•][ \t]|(?:\d+|#|[a-zA-Z])[.)][ \t]|\(\d+\)[ \t]|:[\w -]+:(?:[ \t]|$))`)

	rstLinkRe    = lazyregexp.New("`([^`<]*?)\\s*<([^`>]+)>`__?")
	rstRefRe     = lazyregexp.New("`([^`]+)`__?")
	rstWordRefRe = lazyregexp.New(`\b([\w.-]*\w)__?\b`)
	rstRoleRe    = lazyregexp.New(":([\\w:+-]+):`([^`]*)`")
	rstLiteralRe = lazyregexp.New("``([^`]+)``")
	rstOptionRe  = lazyregexp.New(`^:([\w-]+):[ \t]*(.*)$`)
	// An auto-numbered list item, "#.", which Markdown writes "1.".
	rstAutoEnumRe = lazyregexp.New(`(?m)^([ \t]*)#\.([ \t])`)
)

// rstInformalLevel is the heading level of a rubric or topic: below the
// sections a document can have.
const rstInformalLevel = 10

// rstReader reads a reStructuredText document.
type rstReader struct {
	d       *document
	lf      linkFixer
	lines   []string
	styles  []string // the section adornments in the order met
	section string   // the last section title
}

// readRST reads a reStructuredText document: section titles (their levels
// in the order their adornments appear), paragraphs, lists, literal and
// code blocks, admonitions, images, and definition lists, whose terms are
// questions. A term that goes on from a title ending in "..." ("How do
// I...", then "... get section numbers?") is asked whole. Labels,
// comments, substitutions and directives that hold no text are left out.
func readRST(name, src string, lf linkFixer) *document {
	r := &rstReader{d: &document{name: name}, lf: lf, lines: strings.Split(src, "\n")}
	r.lf.refs = map[string]string{}
	for _, l := range r.lines {
		if m := rstTargetRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil && m[3] != "" {
			r.lf.refs[strings.ToLower(m[1]+m[2])] = m[3]
		}
	}
	r.body(0, len(r.lines), true)
	return r.d
}

// isAdornment reports whether a line underlines or overlines a title: one
// punctuation character, three times or more.
func isAdornment(l string) bool {
	l = strings.TrimRight(l, " \t")
	if len(l) < 3 || !strings.ContainsRune("=-~^\"'`#*+:._!$%&,/;<>?@\\|", rune(l[0])) {
		return false
	}
	return strings.Trim(l, l[:1]) == ""
}

func indentOf(l string) int {
	return len(l) - len(strings.TrimLeft(l, " \t"))
}

// blockEnd returns the end of the indented block that starts after line i:
// the lines more indented than indent, and the blank lines among them.
func (r *rstReader) blockEnd(i, end, indent int) int {
	j := i + 1
	last := i
	for ; j < end; j++ {
		l := r.lines[j]
		if strings.TrimSpace(l) == "" {
			continue
		}
		if indentOf(l) <= indent {
			break
		}
		last = j
	}
	return last + 1
}

// body reads lines [start, end); at top, titles and definition terms are
// headings and questions, elsewhere everything is answer text.
func (r *rstReader) body(start, end int, top bool) {
	var para []string
	paraLine := 0
	literalNext := false
	base := -1 // the indent the block's lines share
	for _, l := range r.lines[start:end] {
		if strings.TrimSpace(l) != "" && (base < 0 || indentOf(l) < base) {
			base = indentOf(l)
		}
	}
	flush := func() {
		if len(para) == 0 {
			return
		}
		if header, rows, ok := rstTable(para); ok {
			r.table(paraLine, header, rows)
			para = nil
			return
		}
		text := rstAutoEnumRe.ReplaceAllString(strings.Join(dedent(para), "\n"), "${1}1.$2")
		if strings.HasSuffix(text, "::") {
			literalNext = true
			text = strings.TrimSuffix(text, "::")
			if strings.HasSuffix(text, " ") || text == "" {
				text = strings.TrimRight(text, " ")
			} else {
				text += ":"
			}
		}
		if text != "" {
			r.d.paragraph(paraLine, cleanAnswer(r.inline(text), r.lf))
		}
		para = nil
	}
	for i := start; i < end; i++ {
		l := strings.TrimRight(r.lines[i], " \t")
		t := strings.TrimSpace(l)
		ln := i + 1
		if t == "" {
			flush()
			continue
		}
		// A section title, underlined or also overlined.
		if top && len(para) == 0 {
			if isAdornment(l) && i+2 < end && isAdornment(r.lines[i+2]) && strings.TrimSpace(r.lines[i+1]) != "" {
				r.title(ln+1, string(l[0])+"over", strings.TrimSpace(r.lines[i+1]))
				i += 2
				continue
			}
			if !isAdornment(l) && i+1 < end && isAdornment(r.lines[i+1]) && indentOf(l) == base &&
				len(strings.TrimSpace(r.lines[i+1])) >= min(len(t), 3) {
				r.title(ln, string(r.lines[i+1][0]), t)
				i++
				continue
			}
		}
		if literalNext && indentOf(l) > base {
			j := r.blockEnd(i-1, end, indentOf(l)-1)
			r.d.answer(ln, "```\n"+strings.Join(dedent(r.lines[i:j]), "\n")+"\n```")
			i = j - 1
			literalNext = false
			continue
		}
		literalNext = false
		if rstCommentRe.MatchString(t) && len(para) == 0 {
			j := r.blockEnd(i, end, indentOf(l))
			r.directive(ln, t, r.lines[i+1:j])
			i = j - 1
			continue
		}
		// A definition: a term, then its indented definition.
		if len(para) == 0 && i+1 < end && strings.TrimSpace(r.lines[i+1]) != "" && indentOf(r.lines[i+1]) > indentOf(l) &&
			!rstListRe.MatchString(t) && !strings.HasSuffix(t, "::") {
			j := r.blockEnd(i, end, indentOf(l))
			if top {
				r.d.question(ln, r.term(plainInline(r.inline(t))))
				r.body(i+1, j, false)
			} else {
				r.d.answer(ln, "**"+r.inline(t)+"**")
				r.body(i+1, j, false)
			}
			i = j - 1
			continue
		}
		if len(para) == 0 {
			paraLine = ln
			if indentOf(l) > base && !rstListRe.MatchString(t) {
				// A block quote.
				j := r.blockEnd(i-1, end, indentOf(l)-1)
				r.body(i, j, false)
				i = j - 1
				continue
			}
		}
		para = append(para, l)
	}
	flush()
}

// table adds a table: the questions and answers of one whose columns are
// so named (or whose first column asks in every row), or else answer text
// as a Markdown table.
func (r *rstReader) table(line int, header []string, rows [][]string) {
	if q, a, ok := qaColumns(header, rows); ok {
		for i, row := range rows {
			if q < len(row) && a < len(row) {
				r.d.question(line+i, plainInline(r.inline(row[q])))
				r.d.answer(line+i, cleanAnswer(r.inline(row[a]), r.lf))
			}
		}
		return
	}
	r.d.answer(line, cleanAnswer(r.inline(markdownTable(header, rows)), r.lf))
}

// title adds a section title, its level by its adornment.
func (r *rstReader) title(line int, style, text string) {
	level := 0
	for i, s := range r.styles {
		if s == style {
			level = i + 1
		}
	}
	if level == 0 {
		r.styles = append(r.styles, style)
		level = len(r.styles)
	}
	r.section = plainInline(r.inline(text))
	r.d.heading(line, level, r.section)
}

// term returns a definition's term as a question: one that goes on from a
// title ending in an ellipsis is joined to it.
func (r *rstReader) term(t string) string {
	head, ok := strings.CutSuffix(r.section, "...")
	if !ok {
		head, ok = strings.CutSuffix(r.section, "…")
	}
	if !ok {
		return t
	}
	t = strings.TrimSpace(strings.TrimLeft(t, ".… "))
	return strings.TrimSpace(head) + " " + t
}

// directive reads an explicit markup block: a directive, a target, a
// substitution or a comment, with its indented body.
func (r *rstReader) directive(line int, first string, body []string) {
	m := rstDirectiveRe.FindStringSubmatch(first)
	if m == nil {
		// Targets, substitutions and comments say nothing to a reader.
		return
	}
	name, arg := strings.ToLower(m[1]), strings.TrimSpace(m[2])
	var opts = map[string]string{}
	var content []string
	inOpts := true
	for _, l := range dedent(body) {
		if inOpts {
			if o := rstOptionRe.FindStringSubmatch(l); o != nil {
				opts[o[1]] = o[2]
				continue
			}
			if strings.TrimSpace(l) == "" && len(content) == 0 {
				continue
			}
			inOpts = false
		}
		content = append(content, l)
	}
	switch name {
	case "rubric", "topic", "admonition":
		// A rubric or topic is an informal heading, below every section
		// (a question when it asks, a topic with its text else); a box
		// with a title is a question when its title asks, and else its
		// title is a bold line over its text.
		title := plainInline(r.inline(arg))
		switch {
		case name != "admonition":
			r.d.heading(line, rstInformalLevel, title)
		case asksByMark(title):
			r.d.question(line, title)
		case title != "":
			r.d.answer(line, "**"+title+"**")
		}
		if text := strings.TrimSpace(strings.Join(content, "\n")); text != "" {
			r.d.answer(line+1, cleanAnswer(r.inline(text), r.lf))
		}
		return
	case "code-block", "code", "sourcecode", "literalinclude", "parsed-literal":
		if name == "literalinclude" {
			r.d.note(line, "%s left out: the included file is not read", first)
			return
		}
		r.d.answer(line, "```"+strings.Fields(arg + " ")[0]+"\n"+strings.Trim(strings.Join(content, "\n"), "\n")+"\n```")
	case "note", "warning", "tip", "important", "hint", "caution", "attention", "danger", "error", "seealso", "todo":
		text := strings.TrimSpace(arg + "\n" + strings.Join(content, "\n"))
		r.d.answer(line, cleanAnswer(r.inline(text), r.lf))
	case "versionadded", "versionchanged", "deprecated":
		label := map[string]string{"versionadded": "New in version", "versionchanged": "Changed in version", "deprecated": "Deprecated since version"}[name]
		r.d.answer(line, cleanAnswer(r.inline(label+" "+arg+". "+strings.Join(content, " ")), r.lf))
	case "image", "figure":
		alt := opts["alt"]
		if alt == "" {
			alt = strings.TrimSpace(strings.Join(content, " "))
		}
		r.d.answer(line, r.lf.link(true, alt, arg))
	case "toctree", "contents", "index", "highlight", "sectnum", "meta", "only", "raw", "include", "title":
		if name == "include" || name == "raw" || name == "only" {
			r.d.note(line, "%s left out", first)
		}
	default:
		if len(content) > 0 {
			r.d.note(line, "directive %q left out: its content is filled in when the site is built", name)
		}
	}
}

// inline turns reStructuredText's inline markup into Markdown: links,
// references (made links when their targets are known), roles and
// literals.
func (r *rstReader) inline(s string) string {
	// Literals are left alone.
	var literals []string
	s = rstLiteralRe.ReplaceAllStringFunc(s, func(m string) string {
		literals = append(literals, "`"+rstLiteralRe.FindStringSubmatch(m)[1]+"`")
		return "\x00" + strconv.Itoa(len(literals)-1) + "\x00"
	})
	s = rstLinkRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := rstLinkRe.FindStringSubmatch(m)
		text, url := strings.TrimSpace(sm[1]), sm[2]
		if strings.HasSuffix(url, "_") {
			return text // a reference to a label within the documents
		}
		if text == "" {
			text = url
		}
		return "[" + text + "](" + url + ")"
	})
	s = rstRoleRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := rstRoleRe.FindStringSubmatch(m)
		role, text := sm[1], sm[2]
		if i := strings.Index(text, "<"); i > 0 && strings.HasSuffix(text, ">") {
			text = strings.TrimSpace(text[:i])
		}
		text = strings.TrimPrefix(text, "~")
		switch role {
		case "ref", "doc", "term", "abbr", "dfn", "title-reference", "t", "emphasis", "strong", "numref", "download":
			return strings.TrimPrefix(text, "!")
		}
		return "`" + strings.TrimPrefix(text, "!") + "`"
	})
	s = rstRefRe.ReplaceAllStringFunc(s, func(m string) string {
		text := rstRefRe.FindStringSubmatch(m)[1]
		if url, ok := r.lf.refs[strings.ToLower(text)]; ok {
			return "[" + text + "](" + url + ")"
		}
		return text
	})
	s = rstWordRefRe.ReplaceAllStringFunc(s, func(m string) string {
		word := strings.TrimRight(m, "_")
		if url, ok := r.lf.refs[strings.ToLower(word)]; ok {
			return "[" + word + "](" + url + ")"
		}
		return m
	})
	for i, lit := range literals {
		s = strings.Replace(s, "\x00"+strconv.Itoa(i)+"\x00", lit, 1)
	}
	return strings.ReplaceAll(s, "\\ ", "")
}
