package convert

import (
	"strings"
	"unicode/utf8"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

var (
	adocHeadingRe   = lazyregexp.New(`^(={1,6})[ \t]+(\S.*?)(?:[ \t]+=+)?[ \t]*$`)
	adocAttrRe      = lazyregexp.New(`^:!?[\w-]+!?:(?:[ \t].*)?$`)
	adocCondRe      = lazyregexp.New(`^(?:ifdef|ifndef|ifeval|endif)::[^\[]*\[.*\]$`)
	adocMacroRe     = lazyregexp.New(`^(toc|include)::[^\[]*\[.*\]$`)
	adocBlockImgRe  = lazyregexp.New(`^image::([^\[\s]+)\[(.*)\]$`)
	adocBlockAttrRe = lazyregexp.New(`^\[(?:\[[^\]]*\]|[#.%]?[\w ,.#%="'-]*)\]$`)
	adocDelimRe     = lazyregexp.New("^(-{4,}|\\.{4,}|={4,}|\\*{4,}|_{4,}|\\+{4,}|```+)[ \\t]*\\w*$")
	adocTableRe     = lazyregexp.New(`^[|!,:]={3,}$`)
	adocDlistRe     = lazyregexp.New(`^(\S.*?[^:\s])(?:::|;;|:::|::::)(?:[ \t]+(.*))?$`)
	adocTitleRe     = lazyregexp.New(`^\.([^.\s].*)$`)
	adocListRe      = lazyregexp.New(`^([*.-]+)[ \t]+(\S.*)$`)

	adocURLRe     = lazyregexp.New(`(?:link:)?((?:https?|ftp|mailto):[^\s\[\]]*|link:[^\s\[\]]+)\[([^\]]*)\]`)
	adocLinkRe    = lazyregexp.New(`link:([^\s\[\]]+)\[([^\]]*)\]`)
	adocImageRe   = lazyregexp.New(`image:([^\s\[\]:]+)\[([^\]]*)\]`)
	adocXrefRe    = lazyregexp.New(`<<([^,>]+)(?:,\s*([^>]+))?>>`)
	adocXrefMacro = lazyregexp.New(`xref:([^\s\[\]]+)\[([^\]]*)\]`)
	adocKbdRe     = lazyregexp.New(`(?:kbd|btn|menu):\[([^\]]*)\]`)
	adocBreakRe   = lazyregexp.New(`(?m)[ \t]\+$`)
)

// readAsciiDoc reads an AsciiDoc document: "=" headings, paragraphs,
// lists, delimited and literal blocks, description lists (whose terms are
// questions), with the header's attributes, conditionals, comments and
// toc macros left out.
func readAsciiDoc(name, src string, lf linkFixer) *document {
	d := &document{name: name}
	lines := strings.Split(src, "\n")
	var para []string
	paraLine := 0
	afterTerm := false // a term's definition may start on the next line, indented
	flush := func() {
		if len(para) > 0 {
			d.paragraph(paraLine, cleanAnswer(adocInline(strings.Join(para, "\n"), lf), lf))
			para = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		t := strings.TrimSpace(l)
		ln := i + 1
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "////"):
			flush()
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "////"); i++ {
			}
		case strings.HasPrefix(l, "//"):
		case adocAttrRe.MatchString(l), adocCondRe.MatchString(l), adocMacroRe.MatchString(l):
			flush()
			if strings.HasPrefix(l, "include::") {
				d.note(ln, "%s left out: the included file is not read", t)
			}
		case adocBlockAttrRe.MatchString(l) && len(para) == 0:
		case adocBlockImgRe.MatchString(l):
			flush()
			m := adocBlockImgRe.FindStringSubmatch(l)
			d.answer(ln, lf.link(true, adocAlt(m[2], m[1]), m[1]))
		case adocHeadingRe.MatchString(l) && len(para) == 0:
			m := adocHeadingRe.FindStringSubmatch(l)
			d.heading(ln, len(m[1]), plainInline(adocInline(m[2], linkFixer{})))
			i = adocHeader(d, lines, i, len(m[1]))
		case len(para) == 0 && i+1 < len(lines) && adocUnderlineLevel(l, lines[i+1]) > 0:
			// A two-line title: its text over a line of =, -, ~, ^ or +.
			level := adocUnderlineLevel(l, lines[i+1])
			d.heading(ln, level, plainInline(adocInline(t, linkFixer{})))
			i = adocHeader(d, lines, i+1, level)
		case adocTableRe.MatchString(t):
			flush()
			var rows []string
			for i++; i < len(lines) && !adocTableRe.MatchString(strings.TrimSpace(lines[i])); i++ {
				if r := strings.TrimSpace(lines[i]); r != "" {
					cells := strings.Split(strings.TrimPrefix(r, "|"), "|")
					rows = append(rows, strings.Join(trimAll(cells), " | "))
				}
			}
			d.answer(ln, cleanAnswer(adocInline(strings.Join(rows, "\n"), lf), lf))
		case adocDelimRe.MatchString(t) && len(para) == 0:
			delim := strings.TrimRight(t, "abcdefghijklmnopqrstuvwxyz")
			var body []string
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != delim; i++ {
				body = append(body, lines[i])
			}
			switch delim[0] {
			case '-', '.', '`', '+':
				d.answer(ln, "```\n"+strings.Join(dedent(body), "\n")+"\n```")
			default: // example, sidebar, quote: text
				d.answer(ln, cleanAnswer(adocInline(strings.Join(dedent(body), "\n"), lf), lf))
			}
		case (l[0] == ' ' || l[0] == '\t') && len(para) == 0 && !afterTerm:
			// A literal paragraph: indented lines, kept as written.
			body := []string{l}
			for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
				i++
				body = append(body, lines[i])
			}
			d.answer(ln, "```\n"+strings.Join(dedent(body), "\n")+"\n```")
		case t == "+":
			// A list continuation joins the next block to the item.
		case adocDlistRe.MatchString(l) && !strings.Contains(adocURLRe.ReplaceAllString(l, "$2"), "://"):
			flush()
			m := adocDlistRe.FindStringSubmatch(l)
			d.question(ln, plainInline(adocInline(m[1], linkFixer{})))
			if m[2] != "" {
				para, paraLine = []string{m[2]}, ln
			}
			afterTerm = m[2] == ""
			continue
		case adocTitleRe.MatchString(l) && len(para) == 0 && !adocListRe.MatchString(l):
			title := adocTitleRe.FindStringSubmatch(l)[1]
			if asksByMark(title) {
				d.question(ln, plainInline(adocInline(title, linkFixer{}))) // ".Can I pay later?" over its answer
				break
			}
			para, paraLine = []string{title + ":"}, ln
			flush()
		default:
			if len(para) == 0 {
				paraLine = ln
			}
			para = append(para, strings.TrimLeft(l, " \t"))
		}
		afterTerm = false
	}
	flush()
	return d
}

// adocHeader skips the header under a document title (level 1) that is
// the document's first block: its author and revision lines and
// attributes, up to its first blank line. It returns the index of the
// last line skipped.
func adocHeader(d *document, lines []string, i, level int) int {
	if level != 1 || len(d.blocks) != 1 {
		return i
	}
	for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
		i++
	}
	return i
}

// adocUnderlineLevel returns the level of a two-line title, text over
// its underline, or 0 when under does not underline text: one of the
// characters = - ~ ^ + repeated, within two of the text's length, as
// Asciidoctor reads them.
func adocUnderlineLevel(text, under string) int {
	text, under = strings.TrimSpace(text), strings.TrimRight(under, " \t")
	n, m := utf8.RuneCountInString(text), len(under)
	if n < 2 || m < 2 || m < n-2 || m > n+2 || adocDelimRe.MatchString(text) || adocListRe.MatchString(text) ||
		strings.HasPrefix(text, "//") || strings.Trim(under, under[:1]) != "" {
		return 0
	}
	return strings.IndexByte("=-~^+", under[0]) + 1
}

// adocAlt returns an image's alt text from its attributes, or its file name.
func adocAlt(attrs, target string) string {
	first := strings.TrimSpace(strings.Split(attrs, ",")[0])
	if first == "" || strings.Contains(first, "=") {
		return strings.TrimSuffix(target[strings.LastIndexByte(target, '/')+1:], pathExt(target))
	}
	return strings.Trim(first, `"`)
}

func pathExt(p string) string {
	if i := strings.LastIndexByte(p, '.'); i > strings.LastIndexByte(p, '/') {
		return p[i:]
	}
	return ""
}

// adocInline turns AsciiDoc's inline markup into Markdown: links, images,
// cross references (plain text: they point within the page), hard breaks
// and lists.
func adocInline(s string, lf linkFixer) string {
	s = adocImageRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := adocImageRe.FindStringSubmatch(m)
		return "![" + adocAlt(sm[2], sm[1]) + "](" + sm[1] + ")"
	})
	s = adocURLRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := adocURLRe.FindStringSubmatch(m)
		url := strings.TrimPrefix(sm[1], "link:")
		text := strings.TrimSpace(strings.Split(sm[2], ",")[0])
		text = strings.TrimSuffix(text, "^")
		if text == "" {
			return "<" + url + ">"
		}
		return "[" + strings.Trim(text, `"`) + "](" + url + ")"
	})
	s = adocLinkRe.ReplaceAllString(s, "[$2]($1)")
	s = adocXrefMacro.ReplaceAllString(s, "$2")
	s = adocXrefRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := adocXrefRe.FindStringSubmatch(m)
		if sm[2] != "" {
			return sm[2]
		}
		return strings.ReplaceAll(strings.TrimPrefix(sm[1], "_"), "_", " ")
	})
	s = adocKbdRe.ReplaceAllString(s, "$1")
	s = textileStrongRe.ReplaceAllString(s, "$1**$2**$3") // *bold*, as Textile writes it too
	s = adocBreakRe.ReplaceAllString(s, "")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if m := adocListRe.FindStringSubmatch(l); m != nil {
			depth := len(m[1]) - 1
			marker := "- "
			if m[1][0] == '.' {
				marker = "1. "
			}
			lines[i] = strings.Repeat("  ", depth) + marker + m[2]
		}
	}
	return strings.Join(lines, "\n")
}
