package knowledge

import "fmt"

// A knowledge file holds text for people: its answers reach terminals
// (faqbot ask, show and list) and chat clients as they are. So neither
// the file nor any text decoded from it (a YAML or JSON escape such as
// "\e" or "\u001b") may hold a control character but the line feed and
// the tab: an escape sequence would clear a terminal or retitle its
// window. The characters refused are those the YAML parser refuses in a
// file (C0 controls, DEL, C1 controls, U+FFFE and U+FFFF), the carriage
// return (a line break is a line feed alone), and the characters YAML
// reads as line breaks where an editor shows none (NEL, U+2028, U+2029;
// see strayBreak).

// Refused reports whether r is a character that no text of a knowledge
// file may hold (see above): what an importer must leave out or replace.
func Refused(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r >= 0x7F && r <= 0x9F ||
		r == 0x2028 || r == 0x2029 || r == 0xFFFE || r == 0xFFFF
}

// badChar returns the first character of s that a knowledge file's text
// may not hold, and its offset in s; the offset is -1 when there is none.
// With raw set, s is a file's bytes, in which a carriage return is
// allowed (before a line feed, as strayBreak checks).
func badChar[T string | []byte](s T, raw bool) (rune, int) {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= 0x20 && b < 0x7F || b == '\t' || b == '\n' || raw && b == '\r':
		case b < 0x80:
			return rune(b), i // a C0 control, or DEL
		case b == 0xC2 && i+1 < len(s) && s[i+1] <= 0x9F:
			return rune(s[i+1]), i // a C1 control: U+0080 is C2 80
		case b == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9):
			return 0x2000 | rune(s[i+2]&0x3F), i // U+2028 is E2 80 A8
		case b == 0xEF && i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF):
			return 0xFFC0 | rune(s[i+2]&0x3F), i // U+FFFE is EF BF BE
		}
	}
	return 0, -1
}

// charName names r, a character that badChar returns, for messages.
func charName(r rune) string {
	names := map[rune]string{0: "NUL", 7: "BEL", 8: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL"}
	switch {
	case r == '\r':
		return "a carriage return (U+000D)"
	case r == 0x2028:
		return "a line separator (U+2028)"
	case r == 0x2029:
		return "a paragraph separator (U+2029)"
	case r == 0xFFFE || r == 0xFFFF:
		return fmt.Sprintf("the noncharacter U+%04X", r)
	case names[r] != "":
		return fmt.Sprintf("the control character %s (U+%04X)", names[r], r)
	}
	return fmt.Sprintf("the control character U+%04X", r)
}

// charAdvice says what to do about r, a character that badChar returns,
// in a text.
func charAdvice(r rune) string {
	switch r {
	case '\r':
		return `write a line break as \n alone`
	case 0x2028, 0x2029, 0x85:
		return `replace it with \n or a space`
	}
	return "delete it (a text may hold line breaks and tabs, but no other control character: a terminal or chat client would act on it)"
}

// rawCharProblem is the problem of the first character of data, a YAML
// file's bytes, that a knowledge file may not hold, at its line and
// column; false when there is none, or data is not UTF-8 (UTF-16, which
// the parser reads too).
func rawCharProblem(name string, data []byte) (Problem, bool) {
	r, off := badChar(data, true)
	if off < 0 || hasUTF16BOM(data) {
		return Problem{}, false
	}
	line, col := position(data, off)
	return Problemf(name, line, col, "", "%s is not allowed in a knowledge file: %s", charName(r), charAdvice(r)), true
}
