package knowledge

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The YAML parser notices a mistake where it can no longer go on, often
// lines away from it, and says so in its own terms ("did not find expected
// key"). explainYAML reads the lines of a file the parser refused the way
// a person would, looking for the commonest mistakes of hand-edited YAML,
// and reports the first it finds where it is, in plain words, with the
// line quoted and a caret under the column.

// yamlMistake is a mistake found in a file's text.
type yamlMistake struct {
	line, col int
	msg       string
}

// explainYAML returns the problem to report for a YAML syntax error that
// the parser noticed at line (0 when it named none) and described as msg:
// the first of the commonest mistakes found in data, or else the parser's
// own words at its line.
func explainYAML(name string, data []byte, line int, msg string) Problem {
	switch {
	case strings.Contains(msg, "exceeded max depth"):
		// Nesting past the parser's limit, far past MaxDepth: said as the
		// checks say it of a file that parses, at the list or mapping
		// that goes past MaxDepth on the line, where there is one. The
		// line is too long to quote.
		return Problemf(name, line, tooDeepColumn(data, line), "", tooDeep, MaxDepth)
	case msg == "control characters are not allowed":
		if p, ok := rawCharProblem(name, data); ok {
			return p
		}
		return Problemf(name, line, 0, "", "the file holds a control character, which is not allowed in a knowledge file: delete it")
	}
	lines := splitLines(string(data))
	m, ok := findYAMLMistake(lines)
	if !ok {
		m = yamlMistake{line: line, msg: msg}
	}
	p := Problemf(name, m.line, m.col, "", "%s", m.msg)
	if m.line > 0 && m.line <= len(lines) {
		p.Source = quoteLine(lines[m.line-1], m.line, m.col)
	}
	return p
}

// tooDeepColumn returns the column of the list or mapping opened on line
// n of data that is the MaxDepth-th opened on that line and not closed,
// quoted text aside; 0 when there is none.
func tooDeepColumn(data []byte, n int) int {
	lines := splitLines(string(data))
	if n < 1 || n > len(lines) {
		return 0
	}
	depth, col := 0, 0
	var quote rune
	for _, r := range lines[n-1] {
		col++
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '{':
			if depth++; depth == MaxDepth {
				return col
			}
		case r == ']' || r == '}':
			depth--
		}
	}
	return 0
}

// splitLines splits text into lines without their line breaks.
func splitLines(text string) []string {
	text = strings.TrimPrefix(text, "\ufeff")
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// quoteLine quotes line n with a caret under column col (1-based, in
// characters; 0 puts the caret under the line's first character). Tabs
// show as "→", and a long line is cut around the column.
func quoteLine(text string, n, col int) string {
	runes := []rune(strings.ReplaceAll(text, "\t", "→"))
	if col < 1 {
		col = 1 + len(runes) - len([]rune(strings.TrimLeft(string(runes), " ")))
	}
	col = min(col, len(runes)+1)
	const before, width = 40, 100
	start, prefix, suffix := 0, "", ""
	if col-1 > before+20 {
		start, prefix = col-1-before, "…"
	}
	end := len(runes)
	if end-start > width {
		end, suffix = start+width, "…"
	}
	shown := prefix + string(runes[start:end]) + suffix
	pad := strings.Repeat(" ", utf8.RuneCountInString(prefix)+col-1-start)
	gutter := fmt.Sprintf("%5d | ", n)
	return gutter + shown + "\n" + strings.Repeat(" ", len(gutter)-2) + "| " + pad + "^"
}

// yamlLevel is a block mapping or sequence open at an indentation.
type yamlLevel struct {
	indent int
	seq    bool
	line   int // where it started
}

// yamlScan walks the lines of a YAML file, keeping what the next line
// depends on: the open levels, and whether the lines that follow continue
// a text.
type yamlScan struct {
	levels []yamlLevel
	popped []yamlLevel // the levels closed by the last line
	// opens is the indentation at which the last line opened a new level
	// (a key with no value on its line), or -1.
	opens int
	// text is the indentation that lines continuing the last line's text
	// must exceed (a block scalar, or text on several lines), or -1.
	text int
	// textLine is the line that text started on, and textIndent the
	// indentation of the first line that continued it, or -1.
	textLine, textIndent int
	// quote is the line and column of a quoted text still open, or 0.
	quote, quoteCol int
	quoteChar       byte
	// started is set once a line with content was read.
	started bool
}

var (
	// yamlKey matches a line that starts with a key and its colon.
	yamlKey = regexp.MustCompile(`^([^\s#'"\[\]{},:&*!|>%@\x60?-][^:#]*?|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]+|$)`)
	// yamlKeyNoSpace matches a known key followed by a colon and text.
	yamlKeyNoSpace = regexp.MustCompile(`^([a-z]+):([^ \t/])`)
	// yamlAlias matches an alias alone, as in "*name".
	yamlAlias = regexp.MustCompile(`^\*[^\s,\[\]{}]+[ \t]*(#.*)?$`)
	// blockIndicator matches the start of a block scalar, | or >.
	blockIndicator = regexp.MustCompile(`^[|>][-+0-9]*[ \t]*(#.*)?$`)
)

// findYAMLMistake returns the first of the commonest mistakes in lines.
func findYAMLMistake(lines []string) (yamlMistake, bool) {
	s := &yamlScan{levels: []yamlLevel{{indent: 0, line: 1}}, opens: -1, text: -1}
	for i, text := range lines {
		if m, ok := s.line(i+1, text); ok {
			return m, true
		}
	}
	if s.quote > 0 {
		return s.unclosedQuote(), true
	}
	return yamlMistake{}, false
}

// line reads one line, and returns the mistake on it, if any.
func (s *yamlScan) line(n int, text string) (yamlMistake, bool) {
	body := strings.TrimLeft(text, " ")
	indent := len(text) - len(body)
	if s.quote > 0 {
		if closes(text, 0, s.quoteChar) >= 0 {
			s.quote = 0
			return yamlMistake{}, false
		}
		if yamlKey.MatchString(body) && indent <= s.text {
			// A key at the level of the quoted text's own: the quote
			// swallowed the lines between.
			return s.unclosedQuote(), true
		}
		return yamlMistake{}, false
	}
	if strings.TrimSpace(body) == "" || strings.HasPrefix(body, "#") || body == "---" || body == "..." {
		return yamlMistake{}, false
	}
	if strings.HasPrefix(body, "\t") || strings.Contains(text[:indent], "\t") {
		col := strings.IndexByte(text, '\t') + 1
		return yamlMistake{n, col, "a tab indents this line: YAML is indented with spaces only; replace the tab with spaces"}, true
	}
	if s.text >= 0 && indent > s.text {
		if s.textIndent < 0 {
			s.textIndent = indent
		}
		return yamlMistake{}, false // more of the text above
	}
	owner := s.text
	s.text = -1
	return s.structure(n, indent, body, owner)
}

// unclosedQuote is the mistake of a quoted text that never ends.
func (s *yamlScan) unclosedQuote() yamlMistake {
	return yamlMistake{s.quote, s.quoteCol, fmt.Sprintf("this text starts with %c and has no closing %c: end it with %c", s.quoteChar, s.quoteChar, s.quoteChar)}
}

// structure checks where a line sits among the open levels, then its value.
// owner is the indentation of the key whose text the line above belongs
// to, or -1.
func (s *yamlScan) structure(n, indent int, body string, owner int) (yamlMistake, bool) {
	dash := body == "-" || strings.HasPrefix(body, "- ")
	key := !dash && yamlKey.MatchString(body)
	if !s.started && indent == 0 && dash {
		s.levels[0].seq = true // a file that is one list
	}
	s.started = true
	opens := s.opens
	s.opens = -1
	s.popped = s.popped[:0]
	for len(s.levels) > 1 && s.top().indent > indent {
		s.popped = append(s.popped, s.top())
		s.levels = s.levels[:len(s.levels)-1]
	}
	if key && s.top().seq && s.top().indent == indent && len(s.levels) > 1 {
		// A sequence written at its key's indentation ends at the next key.
		s.levels = s.levels[:len(s.levels)-1]
	}
	top := s.top()
	switch {
	case indent > top.indent && opens >= 0 && indent > opens && !dash && !key:
		// The value of the key above, on a line of its own.
		return s.value(n, indent+1, body, opens)
	case indent > top.indent && opens >= 0 && indent > opens:
		s.levels = append(s.levels, yamlLevel{indent: indent, seq: dash, line: n})
	case indent == top.indent && dash && !top.seq && opens == indent:
		s.levels = append(s.levels, yamlLevel{indent: indent, seq: true, line: n})
	case indent == top.indent && (dash && top.seq || key && !top.seq):
	case !dash && !key:
		return s.notKeyValue(n, indent, body, owner), true
	default:
		return s.misplaced(n, indent, dash, top), true
	}
	col := indent + 1
	if dash {
		rest := strings.TrimLeft(body[1:], " ")
		col += len(body) - len(rest)
		if rest == "" {
			s.opens = indent
			return yamlMistake{}, false
		}
		if yamlKey.MatchString(rest) {
			// "- key: value" opens a mapping at the key's column.
			s.levels = append(s.levels, yamlLevel{indent: col - 1, line: n})
			return s.keyValue(n, col, rest)
		}
		return s.value(n, col, rest, indent)
	}
	return s.keyValue(n, col, body)
}

func (s *yamlScan) top() yamlLevel { return s.levels[len(s.levels)-1] }

// keyValue checks the value after a key at column col.
func (s *yamlScan) keyValue(n, col int, body string) (yamlMistake, bool) {
	m := yamlKey.FindString(body)
	rest := body[len(m):]
	if rest == "" || strings.HasPrefix(rest, "#") {
		s.opens = col - 1
		return yamlMistake{}, false
	}
	return s.value(n, col+len(m), rest, col-1)
}

// value checks a value that starts at column col of line n, in a key or
// list item at indentation owner.
func (s *yamlScan) value(n, col int, v string, owner int) (yamlMistake, bool) {
	v = strings.TrimRight(v, " \t")
	if v == "" {
		s.opens = owner
		return yamlMistake{}, false
	}
	switch c := v[0]; {
	case blockIndicator.MatchString(v):
		s.text, s.textLine, s.textIndent = owner, n, -1
	case c == '"' || c == '\'':
		end := closes(v, 1, c)
		if end < 0 {
			s.quote, s.quoteCol, s.quoteChar = n, col, c
			s.text, s.textLine, s.textIndent = owner, n, -1
			return yamlMistake{}, false
		}
		if after := strings.TrimSpace(v[end+1:]); after != "" && !strings.HasPrefix(after, "#") {
			return yamlMistake{n, col + end + 1, fmt.Sprintf("the text goes on after its closing %c: put all of it in quotes, as in %s", c, quoted(v))}, true
		}
	case c == '[' || c == '{':
		end, question := scanFlow(v)
		if question >= 0 {
			return yamlMistake{n, col + question, `this list has a "?" in unquoted text, which YAML reads as syntax: quote the text, as in ["Why?"], or list it on lines starting with "- "`}, true
		}
		if end < 0 {
			return yamlMistake{n, col, fmt.Sprintf("this starts a list with %c but the line has no closing %c: close it, or, if it is text, put all of it in quotes", c, map[byte]byte{'[': ']', '{': '}'}[c])}, true
		}
		if after := strings.TrimSpace(v[end+1:]); after != "" && !strings.HasPrefix(after, "#") {
			return yamlMistake{n, col, fmt.Sprintf("this text starts with %c, which YAML reads as the start of a list: put all of it in quotes, as in %s", c, quoted(v))}, true
		}
	case c == '-' && (len(v) == 1 || v[1] == ' '):
		return yamlMistake{n, col, fmt.Sprintf(`this text starts with "- ", which YAML reads as a list item: put all of it in quotes, as in %s`, quoted(v))}, true
	case c == '&' || c == '!':
		// An anchor or a tag, then the value: the loader refuses both
		// in its own words once the file parses.
		_, rest, _ := strings.Cut(v, " ")
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" || strings.HasPrefix(rest, "#") {
			s.opens = owner
			return yamlMistake{}, false
		}
		return s.value(n, col+len(v)-len(rest), rest, owner)
	case c == '*' && yamlAlias.MatchString(v):
		// An alias alone: the loader refuses it in its own words.
	case c == '*':
		return yamlMistake{n, col, fmt.Sprintf("this text starts with *, which YAML reads as a reference to another value: put all of it in quotes, as in %s", quoted(v))}, true
	case strings.IndexByte("%@`|>,", c) >= 0 || c == '?' && (len(v) == 1 || v[1] == ' '):
		return yamlMistake{n, col, fmt.Sprintf("this text starts with %c, which YAML does not allow at the start of unquoted text: put all of it in quotes, as in %s", c, quoted(v))}, true
	default:
		if i := plainColon(v); i >= 0 {
			return yamlMistake{n, col + i, fmt.Sprintf(`this text has ": " in it, which YAML reads as a new key: put all of it in quotes, as in %s`, quoted(v))}, true
		}
		s.text, s.textLine, s.textIndent = owner, n, -1
	}
	return yamlMistake{}, false
}

// notKeyValue explains a line that is neither "key: value" nor a list item
// where one of them was expected; owner is as for structure.
func (s *yamlScan) notKeyValue(n, indent int, body string, owner int) yamlMistake {
	col := indent + 1
	word, _, _ := strings.Cut(body, " ")
	if m := yamlKeyNoSpace.FindStringSubmatch(body); m != nil && isKnownKey(m[1]) {
		return yamlMistake{n, col + len(m[1]) + 1, fmt.Sprintf("put a space after the colon: %s: %s", m[1], body[len(m[1])+1:])}
	}
	if isKnownKey(word) {
		return yamlMistake{n, col + len(word), fmt.Sprintf("%q needs a colon after it: %s: %s", word, word, strings.TrimSpace(body[len(word):]))}
	}
	if strings.HasPrefix(body, "-") {
		return yamlMistake{n, col + 1, "put a space after the dash that starts a list item: - " + body[1:]}
	}
	if owner >= 0 && s.textIndent > owner {
		return yamlMistake{n, col, fmt.Sprintf("this line is not \"key: value\": if it goes on with the text of line %d, indent it like the lines above it (%s)", s.textLine, spaces(s.textIndent))}
	}
	if owner >= 0 {
		return yamlMistake{n, col, fmt.Sprintf("this line is not \"key: value\": if it goes on with the text of line %d, indent it more than that text's key (more than %s)", s.textLine, spaces(owner))}
	}
	return yamlMistake{n, col, `this line is not "key: value" and not a list item ("- "): a colon is missing after the key`}
}

// misplaced explains a key or list item at an indentation that matches
// none of the lines it belongs with.
func (s *yamlScan) misplaced(n, indent int, dash bool, top yamlLevel) yamlMistake {
	what, kind := "key", "keys"
	if dash {
		what, kind = "list item", "items"
	}
	// The closest level of the same kind, among those this line closed
	// and those still open.
	var best *yamlLevel
	for _, l := range slices.Concat(s.popped, s.levels) {
		if l.seq == dash && (best == nil || abs(l.indent-indent) < abs(best.indent-indent)) {
			best = &l
		}
	}
	if best == nil {
		if dash {
			return yamlMistake{n, indent + 1, fmt.Sprintf("a list item where a key was expected, as on line %d", top.line)}
		}
		return yamlMistake{n, indent + 1, fmt.Sprintf("a key where a list item was expected, as on line %d", top.line)}
	}
	return yamlMistake{n, indent + 1, fmt.Sprintf("this %s is indented %s; the %s above it (line %d) use %d", what, spaces(indent), kind, best.line, best.indent)}
}

func spaces(n int) string {
	if n == 1 {
		return "1 space"
	}
	return fmt.Sprintf("%d spaces", n)
}

func abs(n int) int { return max(n, -n) }

// isKnownKey reports whether word is a key of the knowledge file.
func isKnownKey(word string) bool {
	return slices.Contains(fileKeys, word) || slices.Contains(entryKeys, word)
}

// closes returns the index in s, from i on, of the quote c that ends a
// quoted text, or -1: a backslash escapes a double quote, and a doubled
// single quote a single one.
func closes(s string, i int, c byte) int {
	for ; i < len(s); i++ {
		switch {
		case c == '"' && s[i] == '\\':
			i++
		case s[i] == c && c == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == c:
			return i
		}
	}
	return -1
}

// scanFlow reads the flow list or mapping at the start of s and returns
// the index of the bracket that closes it, and of the first "?" outside
// quotes before it; each is -1 when there is none.
func scanFlow(s string) (end, question int) {
	depth, question := 0, -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'':
			j := closes(s, i+1, s[i])
			if j < 0 {
				return -1, question
			}
			i = j
		case '?':
			if question < 0 {
				question = i
			}
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i, question
			}
		}
	}
	return -1, question
}

// plainColon returns the index of a ": " (or a final ":") inside unquoted
// text, outside a comment, or -1.
func plainColon(v string) int {
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '#' && i > 0 && (v[i-1] == ' ' || v[i-1] == '\t'):
			return -1
		case v[i] == ':' && (i+1 == len(v) || v[i+1] == ' ' || v[i+1] == '\t'):
			return i
		}
	}
	return -1
}

// quoted returns text in YAML quotes: double quotes, with \ and " escaped.
func quoted(text string) string {
	text = strings.TrimSpace(text)
	if len([]rune(text)) > 40 {
		text = string([]rune(text)[:37]) + "…"
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text) + `"`
}

// strayBreak returns the offset in data of the first character that YAML
// reads as a line break where an editor shows none, and what to say of
// it; -1 when there is none. Those are a carriage return with no line
// feed after it, NEL (U+0085), and the line and paragraph separators
// (U+2028, U+2029): pasted into an answer, one ends the answer there, and
// the parser may drop or misread the lines after it. Refusing them keeps
// a file's lines those its editor shows, and those the loader counts.
func strayBreak(data []byte) (off int, msg string) {
	const cut = "YAML reads it as a line break, which would cut the text here"
	off = -1
	// Each is looked for by its first byte, which bytes.IndexByte finds
	// some thirty times faster than a loop over every byte would.
	for _, lead := range []byte{'\r', 0xC2, 0xE2} {
		for i := 0; i < len(data) && (off < 0 || i < off); i++ {
			k := bytes.IndexByte(data[i:], lead)
			if k < 0 || off >= 0 && i+k >= off {
				break
			}
			i += k
			switch rest := data[i+1:]; {
			case lead == '\r' && len(rest) > 0 && rest[0] != '\n':
				off, msg = i, "a carriage return (CR) with no line feed after it: "+cut+"; delete it, or save the file with LF or CRLF line endings"
			case lead == 0xC2 && len(rest) > 0 && rest[0] == 0x85:
				off, msg = i, "a next-line character (U+0085): "+cut+"; replace it with a newline or a space"
			case lead == 0xE2 && len(rest) > 1 && rest[0] == 0x80 && rest[1] == 0xA8:
				off, msg = i, "a line separator character (U+2028): "+cut+"; replace it with a newline or a space"
			case lead == 0xE2 && len(rest) > 1 && rest[0] == 0x80 && rest[1] == 0xA9:
				off, msg = i, "a paragraph separator character (U+2029): "+cut+"; replace it with a newline or a space"
			}
		}
	}
	return off, msg
}
