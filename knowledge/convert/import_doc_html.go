package convert

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

// readHTMLPage reads a whole HTML page, such as a saved help-centre page:
// its title, and the questions and answers of its main content. Page
// furniture (navigation, footers, scripts, forms) is left out.
func readHTMLPage(name, src string, lf linkFixer) *document {
	d := &document{name: name}
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		d.note(1, "the page is not HTML that can be read: %v", err)
		return d
	}
	r := &htmlReader{d: d, lf: lf, tags: tagLines(src, 1)}
	if t := findElement(root, atom.Title); t != nil {
		d.title = strings.Join(strings.Fields(normalizeText(textOf(t))), " ")
	}
	main := root
	for _, a := range []atom.Atom{atom.Main, atom.Article} {
		if m := findElement(root, a); m != nil {
			main = m
			break
		}
	}
	if main == root {
		if m := findByAttr(root, "role", "main"); m != nil {
			main = m
		}
	}
	r.walk(main)
	r.flushInline()
	if ld := readJSONLD(name, src, root, lf); ld != nil && asking(ld) > asking(d) {
		// The page's structured data holds more questions than its
		// markup shows (they may be drawn by script): they are the FAQ.
		ld.title = d.title
		d.note(ld.blocks[0].line, "the page's questions are read from its JSON-LD FAQPage data, which holds %d of them; its markup shows %d", asking(ld), asking(d))
		ld.notes = d.notes
		return ld
	}
	return d
}

// asking counts the blocks of a document that ask a question.
func asking(d *document) int {
	n := 0
	for _, b := range d.blocks {
		if b.kind == blockQuestion || b.kind == blockHeading && (b.asked || asksByMark(b.text)) {
			n++
		}
	}
	return n
}

// readJSONLD reads the questions of a page's JSON-LD data (<script
// type="application/ld+json">, as schema.org's FAQPage is given), or
// returns nil when it has none.
func readJSONLD(name, src string, root *html.Node, lf linkFixer) *document {
	var out *document
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Script && strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
			text := textOf(n)
			data, err := parseData(name, []byte(text), true)
			if err != nil {
				return
			}
			if at := strings.Index(src, text); at >= 0 {
				shiftLines(data, strings.Count(src[:at], "\n"))
			}
			d := readData(name, data, lf)
			if out == nil {
				out = d
			} else {
				out.blocks = append(out.blocks, d.blocks...)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
	if out == nil || asking(out) == 0 {
		return nil
	}
	out.title = ""
	return out
}

// htmlToMarkdown turns a piece of HTML, such as an answer kept as HTML in
// structured data, into clean Markdown.
func htmlToMarkdown(src string, lf linkFixer) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), body)
	if err != nil {
		return cleanAnswer(src, lf)
	}
	r := &htmlReader{d: &document{}, lf: lf}
	var b strings.Builder
	for _, n := range nodes {
		r.markdown(&b, n, 0)
	}
	return cleanMarkdown(b.String())
}

// readHTMLFragment reads HTML that starts at line of a document, such as an
// HTML block inside Markdown, adding its blocks to d.
func readHTMLFragment(d *document, src string, line int, lf linkFixer) {
	t := strings.TrimSpace(src)
	if strings.HasPrefix(t, "<!--") && strings.HasSuffix(t, "-->") {
		return // a comment
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), body)
	if err != nil {
		d.note(line, "HTML that cannot be read: %v; left out", err)
		return
	}
	r := &htmlReader{d: d, lf: lf, tags: tagLines(src, line), line: line}
	for _, n := range nodes {
		r.walk(n)
	}
	r.flushInline()
}

// tagPos is where a start tag is.
type tagPos struct {
	name string
	line int
}

// tagLines lists the start tags of src in order with their lines, so that
// the parsed tree's elements can be given lines.
func tagLines(src string, first int) []tagPos {
	var out []tagPos
	z := html.NewTokenizer(strings.NewReader(src))
	line := first
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		raw := z.Raw()
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			name, _ := z.TagName()
			out = append(out, tagPos{string(name), line})
		}
		line += strings.Count(string(raw), "\n")
	}
}

// htmlReader walks an HTML tree, making blocks.
type htmlReader struct {
	d      *document
	lf     linkFixer
	tags   []tagPos
	next   int // the next tag to match
	line   int // the line of the last element seen
	inline []*html.Node
}

// lineOf returns the line of an element, matching it with the start tags
// in order.
func (r *htmlReader) lineOf(n *html.Node) int {
	for i := r.next; i < len(r.tags) && i < r.next+50; i++ {
		if r.tags[i].name == n.Data {
			r.next = i + 1
			r.line = r.tags[i].line
			return r.line
		}
	}
	return r.line
}

// skipped are the elements that hold no answer text.
var skippedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Head: true,
	atom.Nav: true, atom.Footer: true, atom.Form: true, atom.Button: true, atom.Svg: true,
	atom.Iframe: true, atom.Select: true, atom.Input: true, atom.Aside: true, atom.Object: true,
}

// blockElements are the elements that stand as blocks.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Ul: true,
	atom.Ol: true, atom.Pre: true, atom.Blockquote: true, atom.Table: true, atom.Dl: true, atom.Details: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Hr: true,
	atom.Header: true, atom.Body: true, atom.Html: true, atom.Figure: true, atom.Center: true, atom.Address: true,
}

func headingLevel(n *html.Node) int {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return int(n.Data[1] - '0')
	}
	return 0
}

// questionClassRe matches the classes that mark a question: "question",
// "faq-question", "question-title", "q".
var questionClassRe = lazyregexp.New(`^(?:[\w-]*[-_])?(?:question|q)(?:[-_](?:title|text|header|heading|label|summary))?$`)

// isQuestion reports whether an element is marked as a question by its
// class, or by schema.org's markup (itemprop="name" in a Question).
func isQuestion(n *html.Node) bool {
	for _, c := range strings.Fields(strings.ToLower(attr(n, "class"))) {
		if questionClassRe.MatchString(c) {
			return true
		}
	}
	if attr(n, "itemprop") == "name" && n.Parent != nil && strings.HasSuffix(attr(n.Parent, "itemtype"), "/Question") {
		return true
	}
	return isToggle(n)
}

// isToggle reports whether an element opens and closes a panel, as the
// question of an accordion does (aria-expanded, or a Bootstrap toggle).
func isToggle(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "aria-expanded", "data-toggle", "data-bs-toggle":
			return n.DataAtom != atom.Nav && headingLevel(n) == 0
		}
	}
	return false
}

// holdsStructure reports whether an element holds headings, questions or
// question lists, and so must be walked rather than taken as answer text.
func holdsStructure(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if headingLevel(c) > 0 || isQuestion(c) || c.DataAtom == atom.Details || c.DataAtom == atom.Dl || holdsStructure(c) {
			return true
		}
	}
	return false
}

// walk reads a node at block level.
func (r *htmlReader) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if strings.TrimSpace(n.Data) != "" {
			r.inline = append(r.inline, n)
		}
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.walk(c)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	if !blockElements[n.DataAtom] && !skippedElements[n.DataAtom] && !holdsStructure(n) && !isQuestion(n) {
		r.inline = append(r.inline, n)
		return
	}
	r.flushInline()
	line := r.lineOf(n)
	switch {
	case skippedElements[n.DataAtom] && !isToggle(n):
		if n.DataAtom == atom.Nav || n.DataAtom == atom.Footer || n.DataAtom == atom.Aside {
			if t := strings.TrimSpace(textOf(n)); t != "" {
				r.d.note(line, "<%s> left out: page furniture, not an answer", n.Data)
			}
		}
		r.skipTags(n)
	case n.DataAtom == atom.Address && !r.d.lastIsQuestion():
		// The contact details of the page or its author, as <address>
		// is meant; only right under a question is it the answer
		// ("Where is the library?").
		if t := strings.TrimSpace(textOf(n)); t != "" {
			r.d.note(line, "<address> left out: the page's contact details, not an answer")
		}
		r.skipTags(n)
	case isQuestion(n):
		r.d.question(line, r.inlineText(n))
		r.skipTags(n)
	case headingLevel(n) > 0:
		r.d.heading(line, headingLevel(n), r.inlineText(n))
		r.skipTags(n)
	case n.DataAtom == atom.Details:
		var answer strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Summary {
				r.d.question(r.lineOf(c), r.inlineText(c))
				continue
			}
			r.markdown(&answer, c, 0)
		}
		r.d.answer(line, cleanMarkdown(answer.String()))
		r.skipTags(n)
	case n.DataAtom == atom.Dl:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.DataAtom {
			case atom.Dt:
				var b strings.Builder
				r.markdown(&b, c, 0)
				r.d.term(r.lineOf(c), plainInline(b.String()))
			case atom.Dd:
				var b strings.Builder
				r.markdown(&b, c, 0)
				r.d.answer(r.lineOf(c), cleanMarkdown(b.String()))
			}
		}
		r.skipTags(n)
	case n.DataAtom == atom.Table && r.qaTable(n):
		r.skipTags(n)
	case holdsStructure(n):
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.walk(c)
		}
		r.flushInline()
	case n.DataAtom == atom.Hr:
	case pageLinksOnly([]*html.Node{n}):
		r.d.note(line, "a table of contents (links within the page) left out")
		r.skipTags(n)
	default:
		var b strings.Builder
		r.markdown(&b, n, 0)
		if n.DataAtom == atom.P {
			r.d.paragraph(line, cleanMarkdown(b.String()))
		} else {
			r.d.answer(line, cleanMarkdown(b.String()))
		}
		r.skipTags(n)
	}
}

// pageLinksOnly reports whether nodes hold links and no text but theirs,
// every one to a place within the page: a table of contents, or a part of
// one.
func pageLinksOnly(nodes []*html.Node) bool {
	links := 0
	var visit func(n *html.Node) bool
	visit = func(n *html.Node) bool {
		switch {
		case n.Type == html.TextNode:
			return strings.TrimSpace(n.Data) == ""
		case n.Type != html.ElementNode:
			return true
		case n.DataAtom == atom.A:
			if !strings.HasPrefix(strings.TrimSpace(attr(n, "href")), "#") {
				return false
			}
			links++
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !visit(c) {
				return false
			}
		}
		return true
	}
	for _, n := range nodes {
		if !visit(n) {
			return false
		}
	}
	return links > 0
}

// skipTags moves the tag cursor past an element's descendants.
func (r *htmlReader) skipTags(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			r.lineOf(c)
			r.skipTags(c)
		}
	}
}

// flushInline makes a paragraph of the inline content met at block level.
func (r *htmlReader) flushInline() {
	if len(r.inline) == 0 {
		return
	}
	var b strings.Builder
	line := r.line
	if pageLinksOnly(r.inline) {
		for _, n := range r.inline {
			if n.Type == html.ElementNode {
				r.skipTags(n)
			}
		}
		r.d.note(r.lineOf(r.inline[0]), "a table of contents (links within the page) left out")
		r.inline = nil
		return
	}
	for i, n := range r.inline {
		if n.Type == html.ElementNode {
			l := r.lineOf(n)
			if i == 0 {
				line = l
			}
			r.skipTags(n)
		}
		r.markdown(&b, n, 0)
	}
	r.inline = nil
	r.d.paragraph(line, cleanMarkdown(b.String()))
}

// inlineText returns an element's text on one line, for a question.
func (r *htmlReader) inlineText(n *html.Node) string {
	var b strings.Builder
	r.markdown(&b, n, 0)
	return plainInline(strings.Join(strings.Fields(b.String()), " "))
}

// markdown writes a node as Markdown.
func (r *htmlReader) markdown(b *strings.Builder, n *html.Node, depth int) {
	children := func() {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.markdown(b, c, depth)
		}
	}
	switch n.Type {
	case html.TextNode:
		b.WriteString(stripTemplateTags(collapseSpace(n.Data)))
		return
	case html.ElementNode:
	default:
		return
	}
	if skippedElements[n.DataAtom] && !isToggle(n) {
		return
	}
	switch n.DataAtom {
	case atom.A:
		var t strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.markdown(&t, c, depth)
		}
		href := strings.TrimSpace(templateTagRe.ReplaceAllString(attr(n, "href"), ""))
		b.WriteString(r.lf.link(false, strings.TrimSpace(t.String()), href))
	case atom.Img:
		src := strings.TrimSpace(templateTagRe.ReplaceAllString(attr(n, "src"), ""))
		b.WriteString(r.lf.link(true, attr(n, "alt"), src))
	case atom.Strong, atom.B:
		wrapInline(b, "**", r, n, depth)
	case atom.Em, atom.I:
		wrapInline(b, "*", r, n, depth)
	case atom.Code, atom.Kbd, atom.Tt, atom.Samp:
		b.WriteString("`" + strings.TrimSpace(textOf(n)) + "`")
	case atom.Br:
		b.WriteString("\n")
	case atom.Pre:
		b.WriteString("\n\n```\n" + strings.Trim(textOf(n), "\n") + "\n```\n\n")
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Figure, atom.Header, atom.Center, atom.Address:
		b.WriteString("\n\n")
		children()
		b.WriteString("\n\n")
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		b.WriteString("\n\n")
		wrapInline(b, "**", r, n, depth)
		b.WriteString("\n\n")
	case atom.Ul, atom.Ol:
		b.WriteString("\n\n")
		k := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom != atom.Li {
				continue
			}
			k++
			marker := "- "
			if n.DataAtom == atom.Ol {
				marker = strconv.Itoa(k) + ". "
			}
			var item strings.Builder
			for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
				r.markdown(&item, cc, depth+1)
			}
			text := strings.TrimSpace(collapseBlankLines(item.String()))
			indent := strings.Repeat("  ", depth)
			b.WriteString(indent + marker + strings.ReplaceAll(text, "\n", "\n"+indent+strings.Repeat(" ", len(marker))) + "\n")
		}
		b.WriteString("\n")
	case atom.Blockquote:
		var q strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.markdown(&q, c, depth)
		}
		b.WriteString("\n\n> " + strings.ReplaceAll(strings.TrimSpace(collapseBlankLines(q.String())), "\n", "\n> ") + "\n\n")
	case atom.Tr:
		var cells []string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
				var cell strings.Builder
				r.markdown(&cell, c, depth)
				cells = append(cells, strings.Join(strings.Fields(cell.String()), " "))
			}
		}
		b.WriteString("\n" + strings.Join(cells, " | ") + "\n")
	case atom.Table:
		b.WriteString("\n\n")
		children()
		b.WriteString("\n\n")
	default:
		children()
	}
}

func wrapInline(b *strings.Builder, mark string, r *htmlReader, n *html.Node, depth int) {
	var t strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.markdown(&t, c, depth)
	}
	s := strings.TrimSpace(t.String())
	if s == "" {
		return
	}
	b.WriteString(mark + s + mark)
}

// cleanMarkdown tidies Markdown made from HTML: no space at line ends, one
// blank line between paragraphs.
func cleanMarkdown(s string) string {
	lines := strings.Split(normalizeText(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
		if !strings.HasPrefix(strings.TrimLeft(l, " "), "- ") && !numberedItemRe.MatchString(l) && !strings.HasPrefix(l, "    ") {
			lines[i] = strings.TrimLeft(lines[i], " ")
		}
	}
	return strings.Trim(collapseBlankLines(strings.Join(lines, "\n")), "\n")
}

var numberedItemRe = lazyregexp.New(`^ *\d+\. `)

// collapseSpace makes runs of white space one space, as HTML shows them.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf returns all the text inside a node.
func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Script || c.DataAtom == atom.Style) {
			continue
		}
		b.WriteString(textOf(c))
	}
	return b.String()
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

func findByAttr(n *html.Node, key, val string) *html.Node {
	if n.Type == html.ElementNode && attr(n, key) == val {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findByAttr(c, key, val); f != nil {
			return f
		}
	}
	return nil
}

// qaTable reads a table of questions and answers (see qaColumns), a row
// each, reporting false for any other table.
func (r *htmlReader) qaTable(table *html.Node) bool {
	var header []string
	var rows [][]*html.Node
	var texts [][]string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom != atom.Tr {
				if c.DataAtom != atom.Table {
					visit(c)
				}
				continue
			}
			var cells []*html.Node
			var text []string
			allTh := true
			for cell := c.FirstChild; cell != nil; cell = cell.NextSibling {
				if cell.DataAtom == atom.Td || cell.DataAtom == atom.Th {
					cells = append(cells, cell)
					text = append(text, strings.TrimSpace(collapseSpace(textOf(cell))))
					allTh = allTh && cell.DataAtom == atom.Th
				}
			}
			if allTh && header == nil && len(rows) == 0 {
				header = text
				continue
			}
			rows, texts = append(rows, cells), append(texts, text)
		}
	}
	visit(table)
	q, a, ok := qaColumns(header, texts)
	if !ok {
		return false
	}
	for _, row := range rows {
		if q >= len(row) || a >= len(row) {
			continue
		}
		line := r.lineOf(row[q])
		r.d.question(line, r.inlineText(row[q]))
		var b strings.Builder
		for c := row[a].FirstChild; c != nil; c = c.NextSibling {
			r.markdown(&b, c, 0)
		}
		r.d.answer(line, cleanMarkdown(b.String()))
	}
	return true
}
