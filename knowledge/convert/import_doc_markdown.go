package convert

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

// readMarkdown reads a CommonMark document (with GitHub's tables and
// definition lists), and the HTML blocks inside it, into a document. With
// mdx, it reads MDX first: import and export lines, JSX components and
// expressions, with question components (<Q>/<A>, <Question>/<Answer>,
// <Accordion title="...?">) made question blocks.
func readMarkdown(name string, src string, mdx bool, lf linkFixer) *document {
	d := &document{name: name}
	src = d.frontMatter(src)
	src = shortcodeQuestions(src)
	src = collapsibleQuestions(src)
	src = flattenDeepNesting(src)
	var apart map[int]bool
	if mdx {
		src, apart = d.readMDX(src)
	}
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.DefinitionList))
	pc := parser.NewContext()
	root := md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
	lf.refs = map[string]string{}
	for _, r := range pc.References() {
		lf.refs[strings.ToLower(strings.Join(strings.Fields(string(r.Label())), " "))] = string(r.Destination())
	}
	r := &mdReader{d: d, src: src, lines: strings.Split(src, "\n"), lf: lf, apart: apart}
	r.starts = lineStarts(src)
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		r.block(n)
	}
	return d
}

// maxNesting is the deepest a line's block quotes and list items are
// read: an FAQ quotes a mail that quotes another, or nests a list in a
// list, never a dozen deep. CommonMark sets no limit, and goldmark's work
// on a line grows with the square of its depth (BenchmarkImportMarkdownNesting:
// 50 KB of ">" took 0.8 s, 100 KB 3.7 s; of "- ", 1.6 s and 7.6 s).
const maxNesting = 8

// flattenDeepNesting reads a line that opens more than maxNesting block
// quotes and list items ("> > > ... text", "- - - ... text") as opening
// the first maxNesting of them, with its text; code fenced at the left
// margin, and a line indented four columns or more (code, or more of a
// list item: a marker that opens a block is indented three at most), are
// left as written.
func flattenDeepNesting(src string) string {
	lines := strings.Split(src, "\n")
	changed, fence := false, ""
	for i, l := range lines {
		if m := fenceRe.FindStringSubmatch(l); m != nil && (fence == "" || strings.HasPrefix(m[1], fence)) {
			if fence == "" {
				fence = m[1]
			} else {
				fence = ""
			}
			continue
		}
		if fence != "" || indentColumns(l) >= 4 {
			continue
		}
		if keep, end := nestingMarkers(l); keep > 0 {
			lines[i] = strings.TrimRight(l[:keep], " \t") + " " + strings.TrimLeft(l[end:], " \t")
			changed = true
		}
	}
	if !changed {
		return src
	}
	return strings.Join(lines, "\n")
}

// nestingMarkers returns, for a line that opens more than maxNesting block
// quotes and list items, where its first maxNesting markers end and where
// the last ends; 0, 0 for any other line.
func nestingMarkers(l string) (keep, end int) {
	n := 0
	for k := 0; k < len(l); {
		if l[k] == ' ' || l[k] == '\t' {
			k++
			continue
		}
		next := markerEnd(l, k)
		if next < 0 {
			break
		}
		if n++; n == maxNesting {
			keep = next
		}
		k, end = next, next
	}
	if n <= maxNesting {
		return 0, 0
	}
	return keep, end
}

// markerEnd returns where the block quote or list item marker at l[k]
// ends: ">", "-", "*", "+", "1." or "1)" before a space; -1 when there
// is none.
func markerEnd(l string, k int) int {
	spaced := func(i int) bool { return i < len(l) && (l[i] == ' ' || l[i] == '\t') }
	switch c := l[k]; {
	case c == '>':
		return k + 1
	case (c == '-' || c == '*' || c == '+') && spaced(k+1):
		return k + 1
	case c >= '0' && c <= '9':
		d := k
		for d < len(l) && d-k < 9 && l[d] >= '0' && l[d] <= '9' {
			d++
		}
		if d < len(l) && (l[d] == '.' || l[d] == ')') && spaced(d+1) {
			return d + 1
		}
	}
	return -1
}

// mdReader walks a Markdown document's top-level blocks.
type mdReader struct {
	d      *document
	src    string
	lines  []string
	starts []int
	lf     linkFixer
	apart  map[int]bool // 0-based lines that are paragraphs of their own
}

func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 0-based line of a byte offset.
func (r *mdReader) lineOf(off int) int {
	return sort.Search(len(r.starts), func(i int) bool { return r.starts[i] > off }) - 1
}

// span returns the first and last 0-based lines of a block, its fences
// included; ok is false for a block with no text.
func (r *mdReader) span(n ast.Node) (first, last int, ok bool) {
	first, last = -1, -1
	add := func(a, b int) {
		if first < 0 || a < first {
			first = a
		}
		if b > last {
			last = b
		}
	}
	if n.Type() == ast.TypeBlock {
		ls := n.Lines()
		if ls != nil && ls.Len() > 0 {
			add(r.lineOf(ls.At(0).Start), r.lineOf(max(ls.At(ls.Len()-1).Stop-1, ls.At(ls.Len()-1).Start)))
		}
	}
	switch b := n.(type) {
	case *ast.FencedCodeBlock:
		if b.Info != nil {
			l := r.lineOf(b.Info.Segment.Start)
			add(l, l)
		} else if first >= 0 {
			add(first-1, first-1)
		}
		if last >= 0 && last+1 < len(r.lines) && fenceRe.MatchString(r.lines[last+1]) {
			add(last+1, last+1)
		}
	case *ast.HTMLBlock:
		if b.HasClosure() {
			l := r.lineOf(b.ClosureLine.Start)
			add(l, l)
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() != ast.TypeBlock {
			continue
		}
		if a, b, ok := r.span(c); ok {
			add(a, b)
		}
	}
	return first, last, first >= 0
}

// source returns a block's lines as written, less their shared indent.
func (r *mdReader) source(n ast.Node) (line int, s string) {
	first, last, ok := r.span(n)
	if !ok {
		return 0, ""
	}
	return first + 1, strings.Join(dedent(r.lines[first:last+1]), "\n")
}

// block reads one top-level block.
func (r *mdReader) block(n ast.Node) {
	line, src := r.source(n)
	switch b := n.(type) {
	case *ast.Heading:
		r.d.heading(line, b.Level, plainInline(r.headingText(b)))
	case *ast.Paragraph, *ast.TextBlock:
		r.paragraph(line, src)
	case *ast.HTMLBlock:
		readHTMLFragment(r.d, src, line, r.lf)
	case *ast.ThematicBreak:
	case *ast.List:
		r.list(b)
	case *east.DefinitionList:
		for c := b.FirstChild(); c != nil; c = c.NextSibling() {
			l, s := r.source(c)
			if _, term := c.(*east.DefinitionTerm); term {
				r.d.question(l, plainInline(s))
			} else {
				r.d.answer(l, cleanAnswer(s, r.lf))
			}
		}
	case *east.Table:
		r.table(line, src)
	case *ast.Blockquote:
		r.quote(line, src)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		r.d.answer(line, src)
	default:
		r.d.answer(line, cleanAnswer(src, r.lf))
	}
}

// quote reads a block quote: one that opens with a question or answer
// label, or a heading ("> **Q:** ...", "> ### Q. ..."), holds questions
// and answers, and is read as the document is; any other is answer text.
func (r *mdReader) quote(line int, src string) {
	inner := quoteMarkRe.ReplaceAllString(src, "")
	first := strings.TrimSpace(strings.SplitN(strings.TrimSpace(inner), "\n", 2)[0])
	_, asks := cutQuestionLabel(first)
	if !asks && !hasAnswerLabel(first) && !strings.HasPrefix(first, "#") {
		r.d.answer(line, cleanAnswer(src, r.lf))
		return
	}
	r.sub(line, inner)
}

// sub reads Markdown taken out of a container (a quote's marks, a list
// item's indent) that starts on line, as the document is read.
func (r *mdReader) sub(line int, src string) {
	sub := readMarkdown(r.d.name, src, false, r.lf)
	for _, b := range sub.blocks {
		b.line += line - 1
		r.d.blocks = append(r.d.blocks, b)
	}
	for _, n := range sub.notes {
		if n.Line > 0 {
			n.Line += line - 1
		}
		r.d.notes = append(r.d.notes, n)
	}
}

// itemsAreDetails reports whether every item of a list is a <details>
// block.
func (r *mdReader) itemsAreDetails(l *ast.List) bool {
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		if _, s := r.itemText(c); !strings.HasPrefix(strings.TrimSpace(s), "<details") {
			return false
		}
	}
	return true
}

// quoteMarkRe matches the marks of a block quote's lines.
var quoteMarkRe = lazyregexp.New(`(?m)^[ \t]{0,3}>[ \t]?`)

// paragraph reads a paragraph, splitting it around the lines that stand
// apart (an MDX answer's HTML heading, made a bold line); those are answer
// text, never questions.
func (r *mdReader) paragraph(line int, src string) {
	lines := strings.Split(src, "\n")
	start := 0
	for i := range lines {
		if !r.apart[line-1+i] {
			continue
		}
		if start < i {
			r.d.paragraph(line+start, cleanAnswer(strings.Join(lines[start:i], "\n"), r.lf))
		}
		r.d.answer(line+i, cleanAnswer(lines[i], r.lf))
		start = i + 1
	}
	if start < len(lines) {
		r.d.paragraph(line+start, cleanAnswer(strings.Join(lines[start:], "\n"), r.lf))
	}
}

// headingText returns a heading's text as written.
func (r *mdReader) headingText(h *ast.Heading) string {
	var parts []string
	ls := h.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		parts = append(parts, r.src[seg.Start:seg.Stop])
	}
	return strings.Join(parts, " ")
}

var listMarkerRe = lazyregexp.New(`^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+`)

// tocListRe matches a list of two or more items that are each a link
// within the page and nothing else: a table of contents.
var tocListRe = lazyregexp.New(`^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[^\]\n]+\]\(#[^)\s]*\)[ \t]*\n){1,}[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[^\]\n]+\]\(#[^)\s]*\)[ \t]*\n?$`)

// list reads a list: one whose items start with bold questions is a run
// of questions, each answered by the rest of its item; any other is
// answer text.
func (r *mdReader) list(l *ast.List) {
	line, src := r.source(l)
	first := l.FirstChild()
	if first == nil {
		return
	}
	if tocListRe.MatchString(src) {
		r.d.note(line, "a table of contents (links within the page) left out")
		return
	}
	if r.itemsAreDetails(l) {
		// "- <details><summary>Q?</summary> ... </details>": each item is
		// read as the document is.
		for c := l.FirstChild(); c != nil; c = c.NextSibling() {
			il, s := r.itemText(c)
			r.sub(il, s)
		}
		return
	}
	asks := r.itemsAsk(l)
	if first == l.LastChild() {
		if _, ok := emphasisItem(src); ok {
			r.d.paragraph(line, cleanAnswer(src, r.lf)) // "1. *Why is it slow?*", asked when the document asks so
			return
		}
	}
	if _, s := r.itemText(first); !startsWithBoldQuestion(s) && !asks {
		r.d.answer(line, cleanAnswer(src, r.lf))
		return
	}
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		l, s := r.itemText(c)
		if q, rest, ok := strings.Cut(s, "\n"); asks && ok {
			r.d.question(l, plainInline(q))
			r.d.paragraph(l+1, cleanAnswer(strings.Join(dedent(strings.Split(rest, "\n")), "\n"), r.lf))
		} else if q, rest, ok := cutBoldQuestion(s); ok {
			r.d.question(l, q)
			r.d.paragraph(l, cleanAnswer(rest, r.lf))
		} else if q, ok := boldLine(s); ok && asksByMark(q) {
			r.d.question(l, q)
		} else {
			r.d.answer(l, cleanAnswer(s, r.lf))
		}
	}
}

// itemsAsk reports whether a list is a list of questions, each with its
// answer under it: every item a line and then more text, two or more and
// most of them asking ("1. Where can I park?" over "Visitors park in
// ..."); the others state their question ("3. My sync is stuck!").
func (r *mdReader) itemsAsk(l *ast.List) bool {
	n, asked := 0, 0
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		_, s := r.itemText(c)
		q, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(rest) == "" {
			return false
		}
		n++
		if asksByMark(q) {
			asked++
		}
	}
	return asked >= 2 && asked*5 >= n*3
}

// itemText returns a list item's text without its marker.
func (r *mdReader) itemText(item ast.Node) (int, string) {
	first, last, ok := r.span(item)
	if !ok {
		return 0, ""
	}
	lines := append([]string(nil), r.lines[first:last+1]...)
	lines[0] = listMarkerRe.ReplaceAllString(lines[0], "")
	rest := dedent(lines[1:])
	return first + 1, strings.Join(append(lines[:1], rest...), "\n")
}

func startsWithBoldQuestion(s string) bool {
	if _, _, ok := cutBoldQuestion(s); ok {
		return true
	}
	q, ok := boldLine(strings.SplitN(s, "\n", 2)[0])
	return ok && asksByMark(q)
}

var (
	// A backslash escape: "\<" is "<".
	mdEscapeRe   = lazyregexp.New(`\\([!-/:-@\[-` + "`" + `{-~])`)
	inlineCodeRe = lazyregexp.New("`+([^`]*)`+")
	htmlTagRe    = lazyregexp.New(`</?[A-Za-z][^<>]*>`)
)

// plainInline turns a line of inline Markdown into plain text for a
// question: links become their text, HTML tags go.
func plainInline(s string) string {
	s = mdEscapeRe.ReplaceAllString(s, "$1")
	s = templateTagRe.ReplaceAllString(s, "")
	s = mdLinkRe.ReplaceAllString(s, "$2")
	s = htmlTagRe.ReplaceAllStringFunc(s, func(tag string) string {
		name := htmlTagNameRe.FindStringSubmatch(tag)[1]
		if htmlElements[strings.ToLower(name)] || unicode.IsUpper(firstRune(name)) {
			return "" // an HTML element, or a JSX component (<Badge />)
		}
		return tag // "<class 'X'>", "<filename>": text that looks like a tag
	})
	return s
}

// htmlTagNameRe takes the name of a tag.
var htmlTagNameRe = lazyregexp.New(`^</?([A-Za-z][\w-]*)`)

// htmlElements are the names of the HTML elements found in a heading or
// question; any other name in angle brackets is text.
var htmlElements = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "big": true, "br": true, "cite": true, "code": true, "del": true,
	"dfn": true, "em": true, "font": true, "i": true, "img": true, "ins": true, "kbd": true, "mark": true, "q": true,
	"s": true, "samp": true, "small": true, "span": true, "strike": true, "strong": true, "sub": true, "sup": true,
	"time": true, "tt": true, "u": true, "var": true, "wbr": true, "p": true, "div": true, "summary": true,
	"details": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "label": true,
	"center": true, "section": true, "article": true, "header": true, "footer": true, "nobr": true, "svg": true,
	"path": true, "icon": true,
}

// frontMatter removes YAML (---) or TOML (+++) front matter, keeping the
// lines blank so that lines still count right, and takes its title and date.
func (d *document) frontMatter(src string) string {
	src = strings.TrimPrefix(src, "\ufeff")
	lines := strings.Split(src, "\n")
	if len(lines) == 0 {
		return src
	}
	fence := strings.TrimSpace(lines[0])
	if fence != "---" && fence != "+++" {
		return src
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if t := strings.TrimSpace(lines[i]); t == fence || fence == "---" && t == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		return src
	}
	for i := 0; i <= end; i++ {
		key, val, ok := strings.Cut(lines[i], ":")
		if fence == "+++" {
			key, val, ok = strings.Cut(lines[i], "=")
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.Trim(strings.TrimSpace(val), `"'`)
		switch {
		case !ok || val == "" || strings.HasPrefix(lines[i], " ") || strings.HasPrefix(lines[i], "\t"):
		case key == "title" && d.title == "":
			d.title = normalizeText(val)
		case key == "lastmod" || key == "last_modified" || key == "updated" || key == "last_updated" || key == "date" && d.updated == "":
			if u, ok := parseUpdated(val); ok {
				d.updated = u
			}
		}
		lines[i] = ""
	}
	return strings.Join(lines, "\n")
}

var (
	// An admonition of MkDocs (Python-Markdown): "!!! note", "??? question
	// \"Title\"", "???+ faq \"Title\"", its text indented under it.
	admonitionOpenRe = lazyregexp.New(`^([ \t]*)(?:!!!|\?\?\?\+?)[ \t]*([\w-]+)?(?:[ \t]+[\w-]+)*(?:[ \t]+"([^"]*)")?[ \t]*$`)
	// The admonition types that hold a question.
	questionAdmonitions = map[string]bool{"question": true, "faq": true, "faqs": true, "q": true}
)

// collapsibleQuestions rewrites MkDocs admonitions, keeping the lines
// where they are: the indented text under one is taken out of its indent
// (it is not code), and its title becomes a "Q:" question when it asks,
// is labelled or the admonition's type is a question ("??? question
// \"How do I add plugins?\""), or else a bold line.
func collapsibleQuestions(src string) string {
	if !strings.Contains(src, "!!!") && !strings.Contains(src, "???") {
		return src
	}
	lines := strings.Split(src, "\n")
	fence := false
	for i := 0; i < len(lines); i++ {
		if t := strings.TrimSpace(lines[i]); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
		}
		m := admonitionOpenRe.FindStringSubmatch(lines[i])
		if fence || m == nil {
			continue
		}
		base, kind, title := m[1], strings.ToLower(m[2]), strings.TrimSpace(m[3])
		_, labelled := cutQuestionLabel(title)
		asks := title != "" && (asksByMark(title) || labelled || questionAdmonitions[kind])
		switch {
		case asks && labelled:
			lines[i] = base + title
		case asks:
			lines[i] = base + "Q: " + title
		case title != "":
			lines[i] = base + "**" + title + "**"
		default:
			lines[i] = ""
		}
		first := true
		for j := i + 1; j < len(lines); j++ {
			l := lines[j]
			if strings.TrimSpace(l) == "" {
				continue
			}
			body, ok := cutIndent(l, base)
			if !ok {
				break
			}
			if first && asks && j == i+1 && !listRe.MatchString(body) && !strings.HasPrefix(body, "`") && !strings.HasPrefix(body, "|") {
				body = "A: " + body // its answer, right under it
			}
			first = false
			lines[j] = body
			i = j
		}
	}
	return strings.Join(lines, "\n")
}

// cutIndent returns l without the indent of an admonition's text: base
// and four spaces (or a tab) more, and whether l had it.
func cutIndent(l, base string) (string, bool) {
	if !strings.HasPrefix(l, base) {
		return "", false
	}
	l = l[len(base):]
	switch {
	case strings.HasPrefix(l, "\t"):
		return l[1:], true
	case strings.HasPrefix(l, "    "):
		return l[4:], true
	}
	return "", false
}

var (
	// A Hugo or Docusaurus-style shortcode that opens on a line of its
	// own: {{< faq question="..." >}}, {{% expand "..." %}}.
	shortcodeOpenRe = lazyregexp.New(`^[ \t]*\{\{([<%])[ \t]*([\w-]+)[ \t]+(.*?)[ \t]*[>%]\}\}[ \t]*$`)
	// The attribute of a shortcode that names its question, or its first
	// argument.
	shortcodeQuestionRe = lazyregexp.New(`(?i)^(?:(?:question|title|q|summary|header|heading|name|label)[ \t]*=[ \t]*)?(?:"([^"]*)"|'([^']*)')`)
)

// calloutShortcodes name the shortcodes of call-out boxes, whose title
// heads a note, not a question.
var calloutShortcodes = map[string]bool{
	"note": true, "notice": true, "alert": true, "warning": true, "tip": true, "caution": true, "info": true,
	"callout": true, "admonition": true, "hint": true, "important": true, "danger": true, "pageinfo": true,
}

// shortcodeQuestions rewrites the paired shortcodes that hold a question
// and its answer ({{< faq question="Can I pay later?" >}}answer{{< /faq >}})
// as a "Q:" line over an "A:" answer, keeping the lines where they are:
// one with a question attribute or a first argument ({{% expand "..."
// %}}), or another title that asks, but not a call-out box's title
// ({{% note title="..." %}}). The template-tag removal then takes the
// closing tags.
func shortcodeQuestions(src string) string {
	if !strings.Contains(src, "{{") {
		return src
	}
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		m := shortcodeOpenRe.FindStringSubmatch(l)
		if m == nil || !strings.Contains(src, "{{"+m[1]+" /"+m[2]) && !strings.Contains(src, "{{"+m[1]+"/"+m[2]) {
			continue
		}
		var q string
		named := false // by a question attribute: question="...", q="..."
		for _, arg := range shortcodeArgs(m[3]) {
			if qm := shortcodeQuestionRe.FindStringSubmatch(arg); qm != nil {
				q = qm[1] + qm[2]
				key := strings.ToLower(arg)
				named = strings.HasPrefix(key, "question") || strings.HasPrefix(key, "q=") || strings.HasPrefix(key, "q ") || !strings.Contains(arg, "=")
				break
			}
		}
		q = strings.TrimSpace(q)
		if q != "" && calloutShortcodes[strings.ToLower(m[2])] {
			lines[i] = "**" + q + "**" // a call-out's title
			continue
		}
		if q != "" && (named || asksByMark(q)) {
			lines[i] = "Q: " + q
			if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" && !strings.HasPrefix(strings.TrimSpace(lines[i+1]), "{{") {
				lines[i+1] = "A: " + strings.TrimLeft(lines[i+1], " \t")
			}
		}
	}
	return strings.Join(lines, "\n")
}

// shortcodeArgs splits a shortcode's arguments at the spaces outside quotes,
// the named question attributes first.
func shortcodeArgs(s string) []string {
	var args []string
	var cur strings.Builder
	quote := rune(0)
	for _, c := range s {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ' ' || c == '\t':
			if cur.Len() > 0 {
				args = append(args, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(c)
	}
	if cur.Len() > 0 {
		args = append(args, cur.String())
	}
	named := func(a string) bool { return strings.Contains(a, "=") && shortcodeQuestionRe.MatchString(a) }
	slices.SortStableFunc(args, func(a, b string) int {
		switch {
		case named(a) && !named(b):
			return -1
		case named(b) && !named(a):
			return 1
		}
		return 0
	})
	return args
}

// table reads a table: one of questions and answers (see qaColumns) gives
// a question and answer a row; any other is answer text.
func (r *mdReader) table(line int, src string) {
	lines := strings.Split(src, "\n")
	var rows [][]string
	for _, l := range lines {
		rows = append(rows, tableCells(l))
	}
	if len(rows) < 3 {
		r.d.answer(line, cleanAnswer(src, r.lf))
		return
	}
	q, a, ok := qaColumns(rows[0], rows[2:])
	if !ok {
		// Without a question header, the header row may be a question too.
		if q, a, ok = qaColumns(nil, append([][]string{rows[0]}, rows[2:]...)); ok {
			r.d.question(line, plainInline(rows[0][q]))
			r.d.answer(line, cleanAnswer(rows[0][a], r.lf))
		}
	}
	if !ok {
		r.d.answer(line, cleanAnswer(src, r.lf))
		return
	}
	for i, row := range rows[2:] {
		if q < len(row) {
			r.d.question(line+2+i, plainInline(row[q]))
		}
		if a < len(row) {
			r.d.answer(line+2+i, cleanAnswer(strings.ReplaceAll(row[a], "<br>", "\n"), r.lf))
		}
	}
}

// tableCells splits a row of a Markdown table into its cells.
func tableCells(l string) []string {
	l = strings.TrimSpace(l)
	l = strings.TrimSuffix(strings.TrimPrefix(l, "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(l); i++ {
		switch {
		case l[i] == '\\' && i+1 < len(l) && l[i+1] == '|':
			cur.WriteByte('|')
			i++
		case l[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(l[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// indentColumns returns the columns of l's leading spaces and tabs, a tab
// to the next multiple of four.
func indentColumns(l string) int {
	col := 0
	for _, c := range l {
		switch c {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col
		}
	}
	return col
}
