package knowledge

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a knowledge file (or, for the importers,
// with a document being imported), with where it is.
type Problem struct {
	// File is the file's name as given to Load, Parse or an importer.
	File string
	// Line and Col are 1-based; 0 when unknown.
	Line, Col int
	// Entry is the id of the entry the problem is in, or a description such
	// as "entry 3" when the entry has no usable id; "" outside entries.
	Entry string
	// Message says what is wrong, and how to fix it where that is not obvious.
	Message string
	// Source, when not empty, quotes the line the problem is on, with a
	// caret under its column, on two lines; Error writes it after the
	// message.
	Source string
}

// Error formats the problem as "file:line:col: entry "id": message", leaving
// out the parts that are unknown, followed by the quoted line, if any.
func (p Problem) Error() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteByte(':')
	}
	if p.Line > 0 {
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteByte(':')
		if p.Col > 0 {
			b.WriteString(strconv.Itoa(p.Col))
			b.WriteByte(':')
		}
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if p.Entry != "" {
		if strings.HasPrefix(p.Entry, "entry ") {
			b.WriteString(p.Entry)
		} else {
			b.WriteString("entry ")
			b.WriteString(strconv.Quote(p.Entry))
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	if p.Source != "" {
		b.WriteByte('\n')
		b.WriteString(p.Source)
	}
	return b.String()
}

// Errors is every problem found in a file, in the order of their positions.
// Load and Parse return an Errors (never an empty one) when a file does not
// pass its checks, so that every problem can be shown at once:
//
//	var errs knowledge.Errors
//	if errors.As(err, &errs) { for _, p := range errs { ... } }
type Errors []Problem

// Error returns the problems one per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders the problems by position, keeping the order in which problems
// at the same position were found.
func (e Errors) Sort() {
	slices.SortStableFunc(e, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Problemf makes a Problem.
func Problemf(file string, line, col int, entry, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Col: col, Entry: entry, Message: fmt.Sprintf(format, args...)}
}
