package match

import (
	"slices"
	"strings"
)

// English makes words of a place or a thing into words of its people or
// kind with an ending that the stemmer leaves on: a question about "Iran"
// is one about "Iranian" users. In English files, a question's word also
// matches the file's words derived from it, or that it is derived from,
// at weights.derive (see derivations).

// englishDerivations are the English endings that make a word of a place
// or thing into one of its people or kind ("Iran", "Iranian"; "Cuba",
// "Cuban"; "library", "librarian"), which the stemmer leaves apart.
func englishDerivations() []string { return []string{"ian", "an", "n", "ese", "i"} }

// minDerivedBase is the fewest letters of the word a derived word is made
// from: "hum" is not the base of "human".
const minDerivedBase = 4

// derivations links the file's words that the language's derivations
// (see language.derivations) make one of the other, both ways: term to the terms derived from it or it is
// derived from.
func (x *index) derivations() map[int32][]int32 {
	x.lazy.derivedOnce.Do(func() {
		links := make(map[int32][]int32)
		link := func(a, b int32) {
			if a != b && !slices.Contains(links[a], b) {
				links[a] = append(links[a], b)
				links[b] = append(links[b], a)
			}
		}
		for u, t := range x.text.surface {
			if x.text.isStop(t) {
				continue
			}
			for _, suf := range x.text.lang.derivations {
				stem, ok := strings.CutSuffix(u, suf)
				if !ok || len(stem) < minDerivedBase-1 {
					continue
				}
				for _, base := range []string{stem, stem + "a", stem + "y"} {
					if b, ok := x.text.surface[base]; ok && len(base) >= minDerivedBase && !x.text.isStop(b) {
						link(b, t)
					}
				}
			}
		}
		x.lazy.derived = links
	})
	return x.lazy.derived
}
