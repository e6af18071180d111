package match

import (
	"slices"
	"unicode/utf8"
)

// maxSpellRunes is the length past which a word is not looked up in the
// dictionary as a misspelling: each of its letters costs some sixty
// lookups.
const maxSpellRunes = 24

// oneEditFrom appends to found the words of the table one edit from word:
// a letter dropped, added or changed, or two neighbours swapped, the
// letters added or changed being those of the table's words. Each is
// appended once, in no particular order. Words shorter than minTypoRunes
// letters or longer than maxSpellRunes have none.
func (v *wordVectors) oneEditFrom(word string, found []string) []string {
	r := []rune(word)
	if len(r) < minTypoRunes || len(r) > maxSpellRunes {
		return found
	}
	from := len(found)
	buf := make([]byte, 0, len(word)+2*utf8.UTFMax)
	try := func(parts ...[]rune) {
		buf = buf[:0]
		for _, p := range parts {
			for _, c := range p {
				buf = utf8.AppendRune(buf, c)
			}
		}
		if i, ok := v.find(buf); ok {
			if w := string(v.word(int(i))); !slices.Contains(found[from:], w) {
				found = append(found, w)
			}
		}
	}
	swapped := slices.Clone(r)
	for i := range r {
		try(r[:i], r[i+1:])
		if i+1 < len(r) && r[i] != r[i+1] {
			swapped[i], swapped[i+1] = r[i+1], r[i]
			try(swapped)
			swapped[i], swapped[i+1] = r[i], r[i+1]
		}
	}
	for i := 0; i <= len(r); i++ {
		for _, c := range v.letters {
			one := []rune{c}
			try(r[:i], one, r[i:])
			if i < len(r) && c != r[i] {
				try(r[:i], one, r[i+1:])
			}
		}
	}
	return found
}
