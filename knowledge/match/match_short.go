package match

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chat users shorten the words of a knowledge file: "org" for
// organisation, "vids" for videos, "ghes" for GitHub Enterprise Server,
// "k8s" for Kubernetes. A question word the file lacks, and that no
// one-letter correction reads as one of its words, is read as such a short
// form of the file's words, where it stands for few of them (see
// shortForms.read), at weights.short.

// shortForms finds the words of a knowledge file that a short form stands
// for. It is built at the first question that needs it, from the file's
// vocabulary and its questions and sections, and never changed after.
type shortForms struct {
	// words are the file's words (folded, as written), sorted, with their
	// terms in terms: the words a prefix abbreviates are a run of them.
	words []string
	terms []int32
	// acronyms maps the initials of runs of words in the file's questions
	// and section headings ("ghes") to the terms of those words, or to nil
	// where two runs of different words have the same initials.
	acronyms map[string][]int32
}

// Limits of the short forms read.
const (
	// minAbbreviation is the fewest letters a prefix abbreviation has:
	// "org", "uni", "vid".
	minAbbreviation = 3
	// abbreviated is the fewest letters a word has past the prefix that
	// abbreviates it: "config" is short for "configuration", "car" not
	// for "cart".
	abbreviated = 2
	// commonFrom is the fewest similar words that the language's table
	// lists for a word it knows well: a word with fewer, such as "uni"
	// or "repo", is rare in the texts the table was made from and may
	// well be a short form.
	commonFrom = 3
	// maxShortTerms is the most terms a short form may stand for: a
	// prefix of more words than that says too little of which is meant.
	maxShortTerms = 3
	// minAcronym and maxAcronym bound the letters of an acronym, and
	// maxAcronymWords the words of the run it stands for.
	minAcronym, maxAcronym, maxAcronymWords = 2, 6, 6
	// maxAcronymPhrasings is the most phrasings a file may have for its
	// acronyms to be found: in a larger file the runs of words are many
	// and their initials say little.
	maxAcronymPhrasings = 20_000
)

// shortForms returns the file's short forms, built at the first call.
func (x *index) shortForms() *shortForms {
	x.lazy.shortOnce.Do(func() { x.lazy.short = newShortForms(x) })
	return x.lazy.short
}

func newShortForms(x *index) *shortForms {
	sf := &shortForms{words: make([]string, 0, len(x.text.surface))}
	for w, t := range x.text.surface {
		if !x.text.isStop(t) {
			sf.words = append(sf.words, w)
		}
	}
	slices.Sort(sf.words)
	sf.terms = make([]int32, len(sf.words))
	for i, w := range sf.words {
		sf.terms[i] = x.text.surface[w]
	}
	if len(x.phrEntry) <= maxAcronymPhrasings {
		sf.acronyms = make(map[string][]int32)
		for _, e := range x.entries {
			for _, p := range e.Phrasings() {
				sf.addAcronyms(x, p)
			}
			for _, h := range strings.Split(e.Section, "›") {
				sf.addAcronyms(x, h)
			}
		}
	}
	return sf
}

// addAcronyms records the initials of every run of up to maxAcronymWords
// words of text, each word giving the initial of each of its parts
// ("GitHub" gives "gh"), with the run's stop words and without them
// ("Department of Health": "doh" and "dh").
func (sf *shortForms) addAcronyms(x *index, text string) {
	type word struct {
		initials string
		term     int32
		stop     bool
	}
	var words []word
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		folded := x.text.fold.fold(w)
		t := x.text.lookup(folded)
		if t < 0 {
			continue
		}
		words = append(words, word{initials: initials(w), term: t, stop: x.text.isStop(t)})
	}
	var letters strings.Builder
	var terms []int32
	for i := range words {
		if words[i].stop {
			continue // a run starts and ends with a content word
		}
		for _, keepStop := range []bool{true, false} {
			letters.Reset()
			terms = terms[:0]
			for j := i; j < len(words) && j < i+maxAcronymWords; j++ {
				w := words[j]
				if w.stop && !keepStop {
					continue
				}
				letters.WriteString(w.initials)
				if letters.Len() > maxAcronym {
					break
				}
				if !w.stop {
					terms = append(terms, w.term)
				}
				if w.stop || letters.Len() < minAcronym || (j == i && len(w.initials) < 2) {
					continue
				}
				sf.addAcronym(letters.String(), terms)
			}
		}
	}
}

// addAcronym records that acronym stands for the run of words whose content
// terms are terms, unless it stands for other words already.
func (sf *shortForms) addAcronym(acronym string, terms []int32) {
	old, ok := sf.acronyms[acronym]
	switch {
	case !ok:
		sf.acronyms[acronym] = slices.Clone(terms)
	case old != nil && !slices.Equal(old, terms):
		sf.acronyms[acronym] = nil
	}
}

// initials returns the folded initial of each part of w: of each run of
// letters that starts with a capital after a small letter ("GitHub": "gh"),
// or of w alone.
func initials(w string) string {
	var b strings.Builder
	prev := rune(0)
	for i, r := range w {
		if i == 0 || unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteRune(unicode.ToLower(r))
		}
		prev = r
	}
	return b.String()
}

// read calls found with each term of the file that the question word w,
// which the file lacks, is a short form of: an acronym of a run of the
// file's words, a numeronym ("k8s": a "k", eight letters, an "s"), or a
// prefix of no more than maxShortTerms of its words ("org", "vids" for
// "videos"). It reads nothing where w stands for more, nor where w is a
// word in its own right: common is whether the language's table of
// similar words lists it as a common word ("buy" is not short for
// "Buycraft").
func (sf *shortForms) read(w string, common bool, found func(t int32)) {
	if common {
		return
	}
	if ts, ok := sf.acronyms[w]; ok {
		for _, t := range ts {
			found(t)
		}
		if len(ts) > 0 {
			return
		}
	}
	if first, n, last, ok := numeronym(w); ok {
		var ts []int32
		i, _ := slices.BinarySearch(sf.words, first)
		for ; i < len(sf.words) && strings.HasPrefix(sf.words[i], first); i++ {
			if u := sf.words[i]; utf8.RuneCountInString(u) == n+2 && strings.HasSuffix(u, last) && !slices.Contains(ts, sf.terms[i]) {
				ts = append(ts, sf.terms[i])
			}
		}
		if len(ts) == 1 {
			found(ts[0])
		}
		return
	}
	if !isLetters(w) || len(w) < minAbbreviation {
		return
	}
	ts := sf.prefixOf(w)
	if len(ts) == 0 && strings.HasSuffix(w, "s") && len(w) > minAbbreviation {
		ts = sf.prefixOf(w[:len(w)-1]) // "vids", "repos"
	}
	if len(ts) <= maxShortTerms {
		for _, t := range ts {
			found(t)
		}
	}
}

// prefixOf returns the terms of the file's words that start with p and
// have abbreviated letters or more past it, up to maxShortTerms+1 of them.
func (sf *shortForms) prefixOf(p string) []int32 {
	var ts []int32
	i, _ := slices.BinarySearch(sf.words, p)
	for ; i < len(sf.words) && strings.HasPrefix(sf.words[i], p); i++ {
		if len(sf.words[i]) < len(p)+abbreviated || slices.Contains(ts, sf.terms[i]) {
			continue
		}
		if ts = append(ts, sf.terms[i]); len(ts) > maxShortTerms {
			break
		}
	}
	return ts
}

// numeronym splits w, such as "k8s" or "i18n", into its first letter, the
// number of letters left out, and its last letter.
func numeronym(w string) (first string, n int, last string, ok bool) {
	if len(w) < 3 || !isLetter(w[0]) || !isLetter(w[len(w)-1]) {
		return "", 0, "", false
	}
	for i := 1; i < len(w)-1; i++ {
		if w[i] < '0' || w[i] > '9' {
			return "", 0, "", false
		}
		n = n*10 + int(w[i]-'0')
		if n > 30 {
			return "", 0, "", false
		}
	}
	return w[:1], n, w[len(w)-1:], n >= 2
}

// common reports whether the language's table of similar words knows w
// well: lists commonFrom words similar to it or more.
func (x *index) common(w string) bool {
	if x.text.lang.similar == nil {
		return false
	}
	n := 0
	x.text.lang.similar().each(w, func(string, float32) { n++ })
	return n >= commonFrom
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// isLetters reports whether w is made of the letters a to z only.
func isLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isLetter(w[i]) {
			return false
		}
	}
	return w != ""
}
