package console

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Style is how Markdown marks emphasis and code.
type Style int

const (
	// Plain writes the text alone, with no markup and no escape
	// sequences: for pipes and files.
	Plain Style = iota
	// ANSI shows bold, italics, strike-through and code with ANSI escape
	// sequences: for a terminal.
	ANSI
)

// ANSI escape sequences that turn an attribute on and off.
var (
	bold   = [2]string{"\x1b[1m", "\x1b[22m"}
	italic = [2]string{"\x1b[3m", "\x1b[23m"}
	strike = [2]string{"\x1b[9m", "\x1b[29m"}
	code   = [2]string{"\x1b[36m", "\x1b[39m"}
)

// Markdown renders Markdown (CommonMark with tables, strike-through and
// task lists) as text for a terminal: emphasis and code as style says,
// links as "label (URL)", lists with bullets or numbers, quotes behind a
// bar, code blocks indented. The result has no empty line, so that an
// empty line can separate one reply from the next.
func Markdown(md string, style Style) string {
	src := []byte(md)
	p := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList)).Parser()
	doc := p.Parse(text.NewReader(src))
	r := renderer{src: src, style: style}
	return strings.Join(r.blocks(doc), "\n")
}

// renderer writes one Markdown document.
type renderer struct {
	src   []byte
	style Style
}

// mark wraps s in an attribute's escape sequences, in the ANSI style.
func (r renderer) mark(attr [2]string, s string) string {
	if r.style != ANSI || s == "" {
		return s
	}
	return attr[0] + s + attr[1]
}

// blocks renders the block children of n as lines, leaving out empty ones.
func (r renderer) blocks(n ast.Node) []string {
	var lines []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lines = append(lines, r.block(c)...)
	}
	return lines
}

// block renders one block as lines.
func (r renderer) block(n ast.Node) []string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return nonEmpty(strings.Split(r.inline(n), "\n"))
	case *ast.Heading:
		return nonEmpty([]string{r.mark(bold, r.inline(n))})
	case *ast.ThematicBreak:
		return []string{"───"}
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		var lines []string
		for _, line := range r.rawLines(n) {
			lines = append(lines, "    "+r.mark(code, line))
		}
		return nonEmpty(lines)
	case *ast.HTMLBlock:
		lines := r.rawLines(n)
		if n.HasClosure() {
			lines = append(lines, strings.TrimRight(string(n.ClosureLine.Value(r.src)), "\r\n"))
		}
		return nonEmpty(lines)
	case *ast.Blockquote:
		return prefix(r.blocks(n), "│ ", "│ ")
	case *ast.List:
		return r.list(n)
	case *extast.Table:
		return r.table(n)
	}
	return r.blocks(n)
}

// list renders a list, each item behind its bullet or number, its other
// lines lined up under its first.
func (r renderer) list(n *ast.List) []string {
	var lines []string
	num := n.Start
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "• "
		if n.IsOrdered() {
			marker = fmt.Sprintf("%d. ", num)
			num++
		}
		body := r.blocks(item)
		if len(body) == 0 {
			body = []string{""}
		}
		lines = append(lines, prefix(body, "  "+marker, strings.Repeat(" ", 2+len([]rune(marker))))...)
	}
	return lines
}

// table renders a table a row a line, its cells between bars, its header
// in bold.
func (r renderer) table(n *extast.Table) []string {
	var lines []string
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, r.inline(cell))
		}
		line := strings.Join(cells, " | ")
		if _, header := row.(*extast.TableHeader); header {
			line = r.mark(bold, line)
		}
		lines = append(lines, line)
	}
	return lines
}

// rawLines returns the lines of a code or HTML block as written.
func (r renderer) rawLines(n ast.Node) []string {
	var lines []string
	segs := n.Lines()
	for i := range segs.Len() {
		seg := segs.At(i)
		lines = append(lines, strings.TrimRight(string(seg.Value(r.src)), "\r\n"))
	}
	return lines
}

// inline renders the inline children of n.
func (r renderer) inline(n ast.Node) string {
	var sb strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		sb.WriteString(r.span(c))
	}
	return sb.String()
}

// span renders one inline node.
func (r renderer) span(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Text:
		s := r.text(n.Value(r.src))
		if n.SoftLineBreak() || n.HardLineBreak() {
			s += "\n"
		}
		return s
	case *ast.String:
		return string(n.Value)
	case *ast.CodeSpan:
		var sb strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				sb.Write(t.Value(r.src))
			} else if s, ok := c.(*ast.String); ok {
				sb.Write(s.Value)
			}
		}
		return r.mark(code, sb.String())
	case *ast.Emphasis:
		if n.Level >= 2 {
			return r.mark(bold, r.inline(n))
		}
		return r.mark(italic, r.inline(n))
	case *extast.Strikethrough:
		return r.mark(strike, r.inline(n))
	case *ast.Link:
		return labelled(r.inline(n), string(n.Destination))
	case *ast.Image:
		return labelled(r.inline(n), string(n.Destination))
	case *ast.AutoLink:
		return string(n.Label(r.src))
	case *ast.RawHTML:
		var sb strings.Builder
		for i := range n.Segments.Len() {
			seg := n.Segments.At(i)
			sb.Write(seg.Value(r.src))
		}
		return sb.String()
	case *extast.TaskCheckBox:
		if n.IsChecked {
			return "☑ "
		}
		return "☐ "
	}
	return r.inline(n)
}

// text undoes Markdown's backslash escapes and character references.
func (r renderer) text(b []byte) string {
	return string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(b))))
}

// labelled writes a link as its label and its target, or the target alone
// when the label says nothing more.
func labelled(label, target string) string {
	label = strings.TrimSpace(label)
	if label == "" || label == target || "mailto:"+label == target {
		return target
	}
	return label + " (" + target + ")"
}

// prefix puts first before the first line and rest before the others.
func prefix(lines []string, first, rest string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if i == 0 {
			out[i] = first + l
		} else {
			out[i] = rest + l
		}
	}
	return out
}

// nonEmpty drops the lines that hold only white space.
func nonEmpty(lines []string) []string {
	out := lines[:0]
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, strings.TrimRight(l, " \t"))
		}
	}
	return out
}
