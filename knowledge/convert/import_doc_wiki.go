package convert

import (
	"strings"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

var (
	wikiHeadRe     = lazyregexp.New(`^(={1,6})[ \t]*([^=].*?)[ \t]*(={1,6})[ \t]*$`)
	wikiListRe     = lazyregexp.New(`^([*#:;]+)[ \t]*(.*)$`)
	dokuListRe     = lazyregexp.New(`^( {2,}|\t+)([*-])[ \t]*(.*)$`)
	wikiMagicRe    = lazyregexp.New(`^(?:__[A-Z]+__|~~[A-Z]+~~)$`)
	wikiCodeOpenRe = lazyregexp.New(`^<(pre|syntaxhighlight|source|code|file)\b[^>]*>(.*)$`)
	wikiRuleRe     = lazyregexp.New(`^-{4,}[ \t]*$`)
	dokuTableRe    = lazyregexp.New(`^[\^|].*[\^|][ \t]*$`)
	wikiCellSepRe  = lazyregexp.New(`\|\||!!`)

	wikiBoldItalRe = lazyregexp.New(`'''''(.+?)'''''`)
	wikiBoldRe     = lazyregexp.New(`'''(.+?)'''`)
	wikiItalicRe   = lazyregexp.New(`''(.+?)''`)
	wikiFileRe     = lazyregexp.New(`\[\[(?i:file|image|datei|bild):[^\]|]*((?:\|[^\]|]*)*)\]\]`)
	wikiCategoryRe = lazyregexp.New(`\[\[(?i:category|kategorie):[^\]]*\]\]`)
	wikiLinkRe     = lazyregexp.New(`\[\[([^\]|]*)(?:\|([^\]]*))?\]\]`)
	wikiExtLinkRe  = lazyregexp.New(`\[((?:https?|ftp|mailto):[^\s\]]+)(?:[ \t]+([^\]]*))?\]`)
	wikiRefRe      = lazyregexp.New(`(?s)<ref\b[^>/]*/>|<ref\b[^>]*>.*?</ref>`)
	wikiNowikiRe   = lazyregexp.New(`(?s)<nowiki>(.*?)</nowiki>|%%(.*?)%%`)
	wikiCodeTagRe  = lazyregexp.New(`(?s)<(?:code|tt|kbd|samp)>(.*?)</(?:code|tt|kbd|samp)>`)
	wikiBTagRe     = lazyregexp.New(`(?s)<(?:b|strong)>(.*?)</(?:b|strong)>`)
	wikiITagRe     = lazyregexp.New(`(?s)<(?:i|em)>(.*?)</(?:i|em)>`)
	wikiBrRe       = lazyregexp.New(`<br\s*/?>|\\\\(?:[ \t]|$)`)
	dokuItalicRe   = lazyregexp.New(`(^|[^:])//(\S(?:.*?\S)?)//`)
	dokuMonoRe     = lazyregexp.New(`''(.+?)''`)
	dokuUnderRe    = lazyregexp.New(`__(\S(?:.*?\S)?)__`)
	dokuImageRe    = lazyregexp.New(`\{\{[ \t]*([^|}]+?)[ \t]*(?:\|([^}]*))?\}\}`)

	// Google Code's wiki: "#summary" and "#labels" lines at the top,
	// <wiki:toc/> and other <wiki:...> tags, {{{code}}}, and lists
	// indented by a space (" * item").
	gcodePragmaRe   = lazyregexp.New(`^#(summary|labels|sidebar)\b[ \t]*(.*)$`)
	gcodeTagRe      = lazyregexp.New(`(?s)<wiki:comment>.*?</wiki:comment>|</?wiki:[^>]*>`)
	gcodeInlineRe   = lazyregexp.New(`\{\{\{(.+?)\}\}\}`)
	gcodeListRe     = lazyregexp.New(`^[ \t]+([*#])[ \t]+(.*)$`)
	gcodeNoLinkRe   = lazyregexp.New(`(^|[^\w!])!([A-Z][a-z0-9]+[A-Z]\w*)`)
	gcodePageLinkRe = lazyregexp.New(`\[([A-Z][A-Za-z0-9]+)(?:[ \t]+([^\]]+))?\]`)
	gcodeDialectRe  = lazyregexp.New(`(?m)^(?:#summary|#labels)\b|<wiki:|^\{\{\{[ \t]*$`)
)

// wikiReader reads MediaWiki or DokuWiki markup line by line.
type wikiReader struct {
	d     *document
	lf    linkFixer
	doku  bool // DokuWiki: more "=" make a higher heading, '' is code
	gcode bool // Google Code's wiki: {{{code}}}, lists indented by a space
	para  []string
	at    int
}

// readWiki reads MediaWiki markup (as Wikipedia and many team wikis write
// it) or DokuWiki's: "== headings ==", paragraphs, lists, definition lists
// ("; term" over ": definition", the term a question), <pre> and code
// blocks, tables, with templates, references, categories, comments and
// magic words left out. Which wiki wrote it is found from its headings:
// DokuWiki's highest has six "=", and levels fall as they shrink. Google
// Code's wiki, which projects exported to git keep, is found by its
// "#summary" and "#labels" lines, <wiki:...> tags or {{{ code blocks: its
// summary is the title, and its {{{code}}} and " * " lists are read.
func readWiki(name, src string, lf linkFixer) *document {
	src = blankComments(src)
	r := &wikiReader{d: &document{name: name}, lf: lf, gcode: gcodeDialectRe.MatchString(src)}
	if r.gcode {
		src = gcodeTagRe.ReplaceAllStringFunc(src, func(m string) string { return strings.Repeat("\n", strings.Count(m, "\n")) })
	}
	lines := strings.Split(src, "\n")
	r.doku = dokuDialect(lines)
	if !r.doku && !r.gcode {
		lines = strings.Split(removeTemplates(src), "\n")
	}
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		t := strings.TrimSpace(l)
		ln := i + 1
		switch {
		case t == "":
			r.flush()
		case r.gcode && len(r.d.blocks) == 0 && gcodePragmaRe.MatchString(t):
			if m := gcodePragmaRe.FindStringSubmatch(t); m[1] == "summary" && r.d.title == "" {
				r.d.title = m[2]
			}
		case r.gcode && t == "{{{":
			r.flush()
			var body []string
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "}}}"; i++ {
				body = append(body, lines[i])
			}
			r.d.answer(ln, "```\n"+strings.Join(dedent(body), "\n")+"\n```")
		case r.gcode && gcodeListRe.MatchString(l):
			r.flush()
			m := gcodeListRe.FindStringSubmatch(l)
			r.listLine(ln, m[1]+" "+m[2])
		case wikiMagicRe.MatchString(t) || wikiCategoryRe.ReplaceAllString(t, "") == "":
		case wikiRuleRe.MatchString(t):
			r.flush()
		case wikiHeadRe.MatchString(l):
			r.flush()
			m := wikiHeadRe.FindStringSubmatch(l)
			level := min(len(m[1]), len(m[3]))
			if r.doku {
				level = 7 - level
			}
			r.d.heading(ln, level, plainInline(r.inline(m[2])))
		case wikiCodeOpenRe.MatchString(t) && (r.doku || !strings.HasPrefix(t, "<code>") || !strings.Contains(t, "</code>")):
			r.flush()
			i = r.codeBlock(lines, i)
		case strings.HasPrefix(t, "{|"):
			r.flush()
			i = r.table(lines, i)
		case r.doku && dokuTableRe.MatchString(t):
			r.flush()
			var rows []string
			for ; i < len(lines) && dokuTableRe.MatchString(strings.TrimSpace(lines[i])); i++ {
				cells := strings.FieldsFunc(strings.TrimSpace(lines[i]), func(c rune) bool { return c == '|' || c == '^' })
				rows = append(rows, strings.Join(trimAll(cells), " | "))
			}
			i--
			r.d.answer(ln, r.clean(strings.Join(rows, "\n")))
		case r.doku && dokuListRe.MatchString(l):
			m := dokuListRe.FindStringSubmatch(l)
			depth := max(0, len(strings.ReplaceAll(m[1], "\t", "  "))/2-1)
			marker := "- "
			if m[2] == "-" {
				marker = "1. "
			}
			if len(r.para) > 0 && !listRe.MatchString(strings.TrimLeft(r.para[0], " ")) {
				r.flush() // a list after a paragraph starts a block of its own
			}
			r.startPara(ln, strings.Repeat("  ", depth)+marker+m[3])
		case !r.doku && wikiListRe.MatchString(l):
			r.flush()
			r.listLine(ln, l)
		case l[0] == ' ' || l[0] == '\t':
			// Preformatted: indented lines, kept as written.
			r.flush()
			body := []string{l}
			for i+1 < len(lines) && (strings.HasPrefix(lines[i+1], " ") || strings.HasPrefix(lines[i+1], "\t")) && strings.TrimSpace(lines[i+1]) != "" {
				i++
				body = append(body, lines[i])
			}
			r.d.answer(ln, "```\n"+strings.Join(dedent(body), "\n")+"\n```")
		default:
			if len(r.para) > 0 && listRe.MatchString(strings.TrimLeft(r.para[0], " ")) {
				r.flush() // text after a list
			}
			r.startPara(ln, t)
		}
	}
	r.flush()
	return r.d
}

func (r *wikiReader) startPara(line int, s string) {
	if len(r.para) == 0 {
		r.at = line
	}
	r.para = append(r.para, s)
}

func (r *wikiReader) flush() {
	if len(r.para) > 0 {
		r.d.paragraph(r.at, r.clean(strings.Join(r.para, "\n")))
		r.para = nil
	}
}

func (r *wikiReader) clean(s string) string {
	return cleanAnswer(r.inline(s), r.lf)
}

// listLine reads a MediaWiki list line: "*" and "#" items, ":" indented
// text, and "; term : definition", whose term is a question.
func (r *wikiReader) listLine(ln int, l string) {
	m := wikiListRe.FindStringSubmatch(l)
	marks, text := m[1], m[2]
	if strings.HasPrefix(marks, ";") {
		term, def, _ := strings.Cut(text, " : ")
		r.d.question(ln, plainInline(r.inline(term)))
		if strings.TrimSpace(def) != "" {
			r.d.answer(ln, r.clean(def))
		}
		return
	}
	last := marks[len(marks)-1]
	depth := len(marks) - 1
	switch last {
	case ':':
		r.startPara(ln, text)
		return
	case '#':
		text = "1. " + text
	default:
		text = "- " + text
	}
	r.d.answer(ln, r.clean(strings.Repeat("  ", depth)+text))
	r.mergeList()
}

// mergeList joins a list item to the one before it, so that a list is one
// block of answer text.
func (r *wikiReader) mergeList() {
	bs := r.d.blocks
	n := len(bs)
	if n < 2 || bs[n-2].kind != blockText || !listRe.MatchString(strings.TrimLeft(lastLine(bs[n-2].text), " ")) {
		return
	}
	bs[n-2].text += "\n" + bs[n-1].text
	r.d.blocks = bs[:n-1]
}

func lastLine(s string) string {
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// codeBlock reads a <pre>, <syntaxhighlight>, <source>, <code> or <file>
// block that starts at line i, returning its last line.
func (r *wikiReader) codeBlock(lines []string, i int) int {
	m := wikiCodeOpenRe.FindStringSubmatch(strings.TrimSpace(lines[i]))
	closing := "</" + m[1] + ">"
	var body []string
	rest := m[2]
	start := i
	for {
		if before, _, ok := strings.Cut(rest, closing); ok {
			if strings.TrimSpace(before) != "" {
				body = append(body, before)
			}
			break
		}
		if i > start || strings.TrimSpace(rest) != "" {
			body = append(body, rest)
		}
		if i+1 >= len(lines) {
			break
		}
		i++
		rest = lines[i]
	}
	r.d.answer(start+1, "```\n"+strings.Join(dedent(body), "\n")+"\n```")
	return i
}

// table reads a MediaWiki table ("{|" to "|}") that starts at line i into
// rows of cells joined by " | ", returning its last line.
func (r *wikiReader) table(lines []string, i int) int {
	start := i
	var rows []string
	var row []string
	end := func() {
		if len(row) > 0 {
			rows = append(rows, strings.Join(row, " | "))
			row = nil
		}
	}
	for i++; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		switch {
		case strings.HasPrefix(t, "|}"):
			end()
			r.d.answer(start+1, r.clean(strings.Join(rows, "\n")))
			return i
		case strings.HasPrefix(t, "|-"):
			end()
		case strings.HasPrefix(t, "|+"):
		case strings.HasPrefix(t, "|") || strings.HasPrefix(t, "!"):
			for _, c := range wikiCellSepRe.Split(t[1:], -1) {
				if _, after, ok := strings.Cut(c, "|"); ok && !strings.Contains(c, "[[") {
					c = after // cell attributes: style="..." | text
				}
				row = append(row, strings.TrimSpace(c))
			}
		case len(row) > 0:
			row[len(row)-1] += " " + t
		}
	}
	end()
	r.d.answer(start+1, r.clean(strings.Join(rows, "\n")))
	return i
}

// inline turns wiki inline markup into Markdown.
func (r *wikiReader) inline(s string) string {
	s = wikiRefRe.ReplaceAllString(s, "")
	s = wikiNowikiRe.ReplaceAllString(s, "$1$2")
	s = wikiCategoryRe.ReplaceAllString(s, "")
	s = wikiFileRe.ReplaceAllStringFunc(s, func(m string) string {
		parts := strings.Split(wikiFileRe.FindStringSubmatch(m)[1], "|")
		return strings.TrimSpace(parts[len(parts)-1]) // the caption
	})
	s = wikiCodeTagRe.ReplaceAllString(s, "`$1`")
	s = wikiBTagRe.ReplaceAllString(s, "**$1**")
	s = wikiITagRe.ReplaceAllString(s, "*$1*")
	s = wikiBrRe.ReplaceAllString(s, "\n")
	if r.gcode {
		s = gcodeInlineRe.ReplaceAllString(s, "`$1`")
		s = gcodeNoLinkRe.ReplaceAllString(s, "$1$2")         // "!TortoiseGit": a word kept from becoming a link
		s = textileStrongRe.ReplaceAllString(s, "$1**$2**$3") // *bold*
		s = gcodePageLinkRe.ReplaceAllStringFunc(s, func(m string) string {
			sm := gcodePageLinkRe.FindStringSubmatch(m)
			if sm[2] != "" {
				return sm[2]
			}
			return sm[1]
		})
	}
	if r.doku {
		s = dokuImageRe.ReplaceAllStringFunc(s, func(m string) string {
			sm := dokuImageRe.FindStringSubmatch(m)
			alt := sm[2]
			if alt == "" {
				alt = sm[1][strings.LastIndexAny(sm[1], ":/")+1:]
			}
			if strings.Contains(sm[1], "://") {
				return "[" + alt + "](" + sm[1] + ")"
			}
			return alt
		})
		s = dokuMonoRe.ReplaceAllString(s, "`$1`")
		s = dokuItalicRe.ReplaceAllString(s, "$1*$2*")
		s = dokuUnderRe.ReplaceAllString(s, "$1")
	} else {
		s = wikiBoldItalRe.ReplaceAllString(s, "***$1***")
		s = wikiBoldRe.ReplaceAllString(s, "**$1**")
		s = wikiItalicRe.ReplaceAllString(s, "*$1*")
	}
	s = wikiLinkRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := wikiLinkRe.FindStringSubmatch(m)
		target, text := strings.TrimSpace(sm[1]), strings.TrimSpace(sm[2])
		if strings.Contains(target, "://") {
			return r.lf.link(false, text, target)
		}
		if text == "" {
			text = strings.TrimPrefix(target[strings.LastIndexByte(target, ':')+1:], "#")
		}
		return text // a page of the wiki: its name
	})
	s = wikiExtLinkRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := wikiExtLinkRe.FindStringSubmatch(m)
		return r.lf.link(false, sm[2], sm[1])
	})
	return s
}

// dokuDialect reports whether wiki lines are DokuWiki's: a heading with
// five or six "=", or a first heading higher than the rest.
func dokuDialect(lines []string) bool {
	first, least, most := 0, 7, 0
	for _, l := range lines {
		m := wikiHeadRe.FindStringSubmatch(strings.TrimRight(l, " \t"))
		if m == nil {
			continue
		}
		n := min(len(m[1]), len(m[3]))
		if first == 0 {
			first = n
		}
		least, most = min(least, n), max(most, n)
	}
	return most >= 5 || first > least
}

// blankComments replaces HTML comments with blank lines, so that lines
// still count right.
func blankComments(src string) string {
	return htmlCommentRe.ReplaceAllStringFunc(src, func(m string) string {
		return strings.Repeat("\n", strings.Count(m, "\n"))
	})
}

// removeTemplates removes MediaWiki templates ({{...}}, nested, over
// lines), keeping their line breaks.
func removeTemplates(src string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(src); i++ {
		switch {
		case strings.HasPrefix(src[i:], "{{"):
			depth++
			i++
		case depth > 0 && strings.HasPrefix(src[i:], "}}"):
			depth--
			i++
		case depth > 0:
			if src[i] == '\n' {
				b.WriteByte('\n')
			}
		default:
			b.WriteByte(src[i])
		}
	}
	return b.String()
}
