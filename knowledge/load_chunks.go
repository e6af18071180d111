package knowledge

import (
	"bytes"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// A large knowledge file is mostly its list of entries. Parsed whole, its
// syntax tree takes several times the file's size at once, on top of the
// bot still serving the old file during a reload. So a YAML file written
// in block style, the way people and faqbot write one, is parsed an entry
// at a time instead: the lines of each item of the top-level "entries"
// list are parsed on their own when the checks reach it, and dropped once
// the entry is checked; the rest of the file is parsed with those lines
// left blank, so that every line keeps its number. A file whose list is
// written otherwise, or whose pieces do not parse alone, is read whole.

// entryChunks is a YAML file cut into its top-level mapping without the
// entries (head) and the lines of each entry.
type entryChunks struct {
	name string
	// head is the file with the lines of the entries blanked; line is the
	// line of the "entries:" key in it.
	head []byte
	line int
	// items holds each entry's lines, a part of the file, and first the
	// number of the line it starts on.
	items [][]byte
	first []int
}

// cutEntries cuts data, a YAML knowledge file, into its head and the lines
// of each entry; false when the entries are not a block list under an
// "entries:" key at the start of a line, or the file is not UTF-8.
func cutEntries(name string, data []byte) (*entryChunks, bool) {
	if !utf8.Valid(data) {
		return nil, false
	}
	ch := &entryChunks{name: name}
	// Find "entries:" alone (but for a comment) at the start of a line.
	at, line := 0, 1
	for {
		if at >= len(data) {
			return nil, false
		}
		text, next := lineAt(data, at)
		if rest, ok := bytes.CutPrefix(text, []byte("entries:")); ok && blankOrComment(rest) {
			ch.line = line
			at, line = next, line+1
			break
		}
		at, line = next, line+1
	}
	// The list: items at one indentation, each starting with "- ".
	start, startLine, from, indent := -1, 0, 0, -1
	for at < len(data) {
		text, next := lineAt(data, at)
		body := bytes.TrimLeft(text, " ")
		n := len(text) - len(body)
		switch {
		case len(body) > 0 && body[0] == '\t':
			return nil, false // a tab where the indentation ends: read it whole
		case blankOrComment(body):
		case indent < 0 && !isItem(body):
			return nil, false
		case indent < 0:
			indent, start, startLine, from = n, at, line, at
			ch.first = append(ch.first, line)
		case n < indent || n == indent && !isItem(body):
			return ch.finish(data, start, startLine, from, at, line), true
		case n == indent:
			ch.items = append(ch.items, data[from:at])
			ch.first = append(ch.first, line)
			from = at
		}
		at, line = next, line+1
	}
	if start < 0 {
		return nil, false
	}
	return ch.finish(data, start, startLine, from, len(data), line), true
}

// finish closes the last item, from from to end (line endLine), and makes
// the head: the file with the lines from start (line startLine) to end
// left blank.
func (ch *entryChunks) finish(data []byte, start, startLine, from, end, endLine int) *entryChunks {
	ch.items = append(ch.items, data[from:end])
	head := make([]byte, 0, start+(endLine-startLine)+len(data)-end)
	head = append(head, data[:start]...)
	head = append(head, bytes.Repeat([]byte{'\n'}, endLine-startLine)...)
	ch.head = append(head, data[end:]...)
	return ch
}

// lineAt returns the line of data at offset at, without its line break,
// and the offset of the next line.
func lineAt(data []byte, at int) (text []byte, next int) {
	end := bytes.IndexByte(data[at:], '\n')
	if end < 0 {
		return bytes.TrimSuffix(data[at:], []byte{'\r'}), len(data)
	}
	return bytes.TrimSuffix(data[at:at+end], []byte{'\r'}), at + end + 1
}

// blankOrComment reports whether a line, from its first character that is
// not a space, holds nothing but spaces and a comment.
func blankOrComment(b []byte) bool {
	b = bytes.TrimLeft(b, " \t")
	return len(b) == 0 || b[0] == '#'
}

// isItem reports whether a line, from its first character that is not a
// space, starts an item of a block list.
func isItem(body []byte) bool {
	return len(body) > 0 && body[0] == '-' && (len(body) == 1 || body[1] == ' ')
}

// item parses the i-th entry's lines and returns the entry's node, its
// lines numbered as in the file; false when they do not parse alone as
// one item of a list, or hold what a file read whole would report
// (anchors, aliases, tags, too deep a nesting).
func (ch *entryChunks) item(c *checker, i int) (*yaml.Node, bool) {
	doc, ok := parseChunk(ch.items[i])
	if !ok || len(doc.Content) != 1 {
		return nil, false
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode || len(list.Content) != 1 {
		return nil, false
	}
	before := len(c.probs) + c.dropped
	// In the file the entry sits one level deeper: under the top-level
	// mapping.
	if !c.structureFrom(doc, 1) || len(c.probs)+c.dropped > before {
		return nil, false
	}
	renumber(list.Content[0], ch.first[i]-1)
	return list.Content[0], true
}

// parseChunk parses the first YAML document of data into a node tree;
// false when it does not parse. It reads data in place, where a Decoder
// would copy it through buffers of its own, several times its size for a
// whole file read in pieces.
func parseChunk(data []byte) (doc *yaml.Node, ok bool) {
	defer func() {
		// yaml.v3 has panicked on malformed input before; the file is
		// then read whole, which reports it.
		if recover() != nil {
			doc, ok = nil, false
		}
	}()
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil || n.Kind != yaml.DocumentNode {
		return nil, false
	}
	return &n, true
}

// renumber adds lines to the line of n and of every node under it.
func renumber(n *yaml.Node, lines int) {
	n.Line += lines
	for _, k := range n.Content {
		renumber(k, lines)
	}
}
