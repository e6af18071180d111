package convert

import (
	"strings"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

var (
	// The border of a simple table: runs of "=" apart.
	rstSimpleBorderRe = lazyregexp.New(`^=+(?:[ \t]+=+)+[ \t]*$`)
	// The border of a grid table: "+---+---+", or "+===+===+" under its header.
	rstGridBorderRe = lazyregexp.New(`^\+(?:[-=]+\+)+[ \t]*$`)
)

// rstTable reads a reStructuredText table, simple or grid, into its header
// (nil when it has none) and rows of cell text; ok is false when lines are
// not a table.
func rstTable(lines []string) (header []string, rows [][]string, ok bool) {
	if len(lines) < 3 {
		return nil, nil, false
	}
	first := strings.TrimSpace(lines[0])
	switch {
	case rstSimpleBorderRe.MatchString(first):
		return rstSimpleTable(dedent(lines))
	case rstGridBorderRe.MatchString(first):
		return rstGridTable(dedent(lines))
	}
	return nil, nil, false
}

// rstSimpleTable reads a simple table: its columns are the runs of "=" of
// its borders; a row whose first cell is empty goes on the row above.
func rstSimpleTable(lines []string) (header []string, rows [][]string, ok bool) {
	border := lines[0]
	var cols [][2]int
	for i := 0; i < len(border); {
		if border[i] != '=' {
			i++
			continue
		}
		j := i
		for j < len(border) && border[j] == '=' {
			j++
		}
		cols = append(cols, [2]int{i, j})
		i = j
	}
	borders := 0
	for _, l := range lines {
		if rstSimpleBorderRe.MatchString(strings.TrimSpace(l)) {
			borders++
			if borders == 2 && len(rows) > 0 && len(rows) < len(lines)-3 {
				header, rows = rows[0], nil // a header over the second border
			}
			continue
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		cells := make([]string, len(cols))
		for k, c := range cols {
			end := c[1]
			if k == len(cols)-1 || end > len(l) {
				end = len(l)
			}
			if c[0] < len(l) {
				cells[k] = strings.TrimSpace(l[c[0]:end])
			}
		}
		if cells[0] == "" && len(rows) > 0 {
			for k := range cells {
				rows[len(rows)-1][k] = strings.TrimSpace(rows[len(rows)-1][k] + " " + cells[k])
			}
			continue
		}
		rows = append(rows, cells)
	}
	return header, rows, borders >= 2 && len(rows) > 0
}

// rstGridTable reads a grid table: its cells lie between the "|" that
// stand under the "+" of its borders; the lines of a row are joined, and
// a "+===+" border ends the header.
func rstGridTable(lines []string) (header []string, rows [][]string, ok bool) {
	var cuts []int
	for i, c := range lines[0] {
		if c == '+' {
			cuts = append(cuts, i)
		}
	}
	var cur []string
	for _, l := range lines[1:] {
		t := strings.TrimRight(l, " \t")
		if rstGridBorderRe.MatchString(t) {
			if cur != nil {
				if strings.Contains(t, "=") && header == nil && rows == nil {
					header = cur
				} else {
					rows = append(rows, cur)
				}
			}
			cur = nil
			continue
		}
		if !strings.HasPrefix(t, "|") {
			return nil, nil, false
		}
		if cur == nil {
			cur = make([]string, len(cuts)-1)
		}
		for k := 0; k+1 < len(cuts); k++ {
			if cuts[k]+1 >= len(t) {
				break
			}
			cell := t[cuts[k]+1 : min(cuts[k+1], len(t))]
			cur[k] = strings.TrimSpace(cur[k] + " " + strings.TrimSpace(cell))
		}
	}
	return header, rows, len(rows) > 0
}

// markdownTable writes a table in Markdown; with no header, its first row
// is made one.
func markdownTable(header []string, rows [][]string) string {
	if header == nil {
		header, rows = rows[0], rows[1:]
	}
	esc := func(cells []string) string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		return "| " + strings.Join(out, " | ") + " |"
	}
	var b strings.Builder
	b.WriteString(esc(header) + "\n|" + strings.Repeat(" --- |", len(header)))
	for _, r := range rows {
		b.WriteString("\n" + esc(r))
	}
	return b.String()
}
