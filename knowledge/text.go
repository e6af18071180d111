package knowledge

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// language is what the matcher needs to know of a natural language: how to
// reduce a word to its stem and which words carry little meaning.
type language struct {
	name string
	stem func(word string, stemStopWords bool) string
	stop func(word string) bool
	// contractions maps a contracted word, apostrophe dropped, to the
	// words it stands for.
	contractions map[string]string
}

// languages lists the languages of the Snowball stemmer by the codes and
// names a knowledge file may give.
func languages() map[string]language {
	en := language{"english", english.Stem, english.IsStopWord, englishContractions()}
	es := language{"spanish", spanish.Stem, spanish.IsStopWord, nil}
	fr := language{"french", french.Stem, french.IsStopWord, nil}
	ru := language{"russian", russian.Stem, russian.IsStopWord, nil}
	sv := language{"swedish", swedish.Stem, swedish.IsStopWord, nil}
	no := language{"norwegian", norwegian.Stem, norwegian.IsStopWord, nil}
	hu := language{"hungarian", hungarian.Stem, hungarian.IsStopWord, nil}
	return map[string]language{
		"": en, "en": en, "english": en,
		"es": es, "spanish": es,
		"fr": fr, "french": fr,
		"ru": ru, "russian": ru,
		"sv": sv, "swedish": sv,
		"no": no, "nb": no, "nn": no, "norwegian": no,
		"hu": hu, "hungarian": hu,
	}
}

// englishContractions lists the English contractions that chat users type
// with or without the apostrophe. Those that spell another word without it
// ("we're", "he'll", "it's") are left out.
func englishContractions() map[string]string {
	return map[string]string{
		"dont": "do not", "doesnt": "does not", "didnt": "did not",
		"isnt": "is not", "arent": "are not", "wasnt": "was not", "werent": "were not",
		"cant": "can not", "cannot": "can not", "couldnt": "could not",
		"wont": "will not", "wouldnt": "would not", "shouldnt": "should not",
		"hasnt": "has not", "havent": "have not", "hadnt": "had not",
		"aint": "is not", "mustnt": "must not", "neednt": "need not",
		"im": "i am", "ive": "i have", "youre": "you are", "youve": "you have",
		"youll": "you will", "youd": "you would", "theyre": "they are",
		"theyve": "they have", "weve": "we have", "thats": "that is",
		"whats": "what is", "wheres": "where is", "hows": "how is",
		"whos": "who is", "theres": "there is", "heres": "here is",
		"hes": "he is", "shes": "she is", "itll": "it will", "whatre": "what are",
	}
}

// Languages returns the codes of the languages a knowledge file may name,
// sorted: those of the Snowball stemmer.
func Languages() []string {
	var codes []string
	for code := range languages() {
		if len(code) == 2 && code != "nb" && code != "nn" {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	return codes
}

// lookupLanguage returns the language named by code, such as "en" or
// "russian"; "" means English.
func lookupLanguage(code string) (language, error) {
	name := strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(name, "-_"); i > 0 {
		name = name[:i] // a region such as en-GB stems as its language
	}
	l, ok := languages()[name]
	if !ok {
		return language{}, fmt.Errorf("language %q is not supported: use one of %s", code, strings.Join(Languages(), ", "))
	}
	return l, nil
}

// folder normalises text for matching: Unicode NFKC, then full case folding.
// Casers keep state, so each goroutine takes its own from the pool.
type folder struct {
	pool sync.Pool
}

func newFolder() *folder {
	return &folder{pool: sync.Pool{New: func() any { c := cases.Fold(); return &c }}}
}

// fold returns s in NFKC with case folded. ASCII text, the common case, is
// only lower-cased, without the cost of the Unicode tables.
func (f *folder) fold(s string) string {
	ascii := true
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if upper {
			return strings.ToLower(s)
		}
		return s
	}
	c := f.pool.Get().(*cases.Caser)
	out := c.String(norm.NFKC.String(s))
	f.pool.Put(c)
	return out
}

// isApostrophe reports whether r joins the two halves of a word such as
// "don't", which are kept together as "dont".
func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc'
}

// isWordRune reports whether r belongs to a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// words calls yield with each word of folded text, in order: runs of letters,
// digits and marks, with apostrophes inside a word dropped. A word that
// contains an apostrophe is built in buf, which yield must not keep.
func words(text string, buf []byte, yield func(w string)) []byte {
	start := -1
	joined := false
	flush := func(end int) {
		if start < 0 {
			return
		}
		if joined {
			buf = buf[:0]
			for _, r := range text[start:end] {
				if !isApostrophe(r) {
					buf = utf8.AppendRune(buf, r)
				}
			}
			yield(string(buf))
		} else {
			yield(text[start:end])
		}
		start, joined = -1, false
	}
	for i, r := range text {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case isApostrophe(r) && start >= 0 && i+utf8.RuneLen(r) < len(text):
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			if isWordRune(next) {
				joined = true
				continue
			}
			flush(i)
		default:
			flush(i)
		}
	}
	flush(len(text))
	return buf
}

// analyzer turns text into term ids: it folds, splits into words, stems them
// in the base's language and joins synonym phrases. While the index is built
// it grows the vocabulary; after that it is only read, so searches share it.
type analyzer struct {
	lang    language
	fold    *folder
	ids     map[string]int32 // stem (or synonym group key) to term
	stop    []bool           // whether each term is a stop word
	surface map[string]int32 // folded word to term, sparing a search the stemmer
	phrases map[int32][]phrase
	typos   *typoIndex
	// typoKeys are the words and stems to add to typos, in the order
	// they were learned: buildTypos adds them, so that the index can be
	// built on another core while the rest of the index is.
	typoKeys []typoKey
	expand   map[string][]string
	groups   map[int32]bool // the terms that stand for a synonym group
}

// typoKey is a word or stem of the vocabulary and the term it stands for.
type typoKey struct {
	key  string
	term int32
}

// addTypoKey records that key stands for term t, for buildTypos.
func (a *analyzer) addTypoKey(key string, t int32) {
	a.typoKeys = append(a.typoKeys, typoKey{key, t})
}

// buildTypos adds the words and stems recorded so far to the typo index,
// in the order they were recorded.
func (a *analyzer) buildTypos() {
	for _, k := range a.typoKeys {
		a.typos.add(k.key, k.term)
	}
	a.typoKeys = nil
}

// phrase is a synonym of several words: after the first word's term, the
// terms in rest stand together for term.
type phrase struct {
	rest []int32
	term int32
}

func newAnalyzer(lang language) *analyzer {
	return &analyzer{
		lang:    lang,
		fold:    newFolder(),
		ids:     make(map[string]int32),
		surface: make(map[string]int32),
		phrases: make(map[int32][]phrase),
		typos:   newTypoIndex(),
		expand:  expansions(lang.contractions),
		groups:  make(map[int32]bool),
	}
}

func expansions(m map[string]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = strings.Fields(v)
	}
	return out
}

// words calls yield with each word of text, folded, with contractions
// expanded; see the function words.
func (a *analyzer) words(text string, buf []byte, yield func(w string)) []byte {
	return words(a.fold.fold(text), buf, func(w string) {
		if exp, ok := a.expand[w]; ok {
			for _, e := range exp {
				yield(e)
			}
			return
		}
		yield(w)
	})
}

// terms returns the size of the vocabulary.
func (a *analyzer) terms() int { return len(a.stop) }

// isStop reports whether term t is a stop word.
func (a *analyzer) isStop(t int32) bool { return a.stop[t] }

// newTerm adds a term under key.
func (a *analyzer) newTerm(key string, stop bool) int32 {
	t := int32(len(a.stop))
	a.ids[key] = t
	a.stop = append(a.stop, stop)
	return t
}

// learn returns the term of the folded word w, adding it to the vocabulary
// if it is new.
func (a *analyzer) learn(w string) int32 {
	if t, ok := a.surface[w]; ok {
		return t
	}
	// The vocabulary keeps w, which may be part of a longer folded text:
	// keep a copy of the word alone.
	w = strings.Clone(w)
	stop := a.lang.stop(w)
	stem := a.lang.stem(w, false)
	t, ok := a.ids[stem]
	if !ok {
		t = a.newTerm(stem, stop)
		a.addTypoKey(stem, t)
	}
	a.surface[w] = t
	a.addTypoKey(w, t)
	return t
}

// lookup returns the term of the folded word w, or -1 when the vocabulary
// does not have it.
func (a *analyzer) lookup(w string) int32 {
	if t, ok := a.surface[w]; ok {
		return t
	}
	if t, ok := a.ids[a.lang.stem(w, false)]; ok {
		return t
	}
	return -1
}

// addSynonyms makes each group's words and phrases one term. It must be
// called before any text is indexed.
func (a *analyzer) addSynonyms(groups [][]string) error {
	for g, group := range groups {
		key := "\x00synonyms " + strconv.Itoa(g)
		var term int32 = -1
		// A word already in an earlier group joins the two groups.
		for _, member := range group {
			ws := a.foldedWords(member)
			if len(ws) == 1 {
				if t, ok := a.ids[a.lang.stem(ws[0], false)]; ok && a.groups[t] {
					term = t
				}
			}
		}
		if term < 0 {
			term = a.newTerm(key, false)
			a.groups[term] = true
		}
		for _, member := range group {
			ws := a.foldedWords(member)
			switch len(ws) {
			case 0:
				return fmt.Errorf("synonyms: group %d: %q has no words: give a word or a phrase", g+1, member)
			case 1:
				stem := a.lang.stem(ws[0], false)
				a.ids[stem] = term
				a.surface[ws[0]] = term
				a.addTypoKey(ws[0], term)
				a.addTypoKey(stem, term)
			default:
				terms := make([]int32, len(ws))
				for i, w := range ws {
					terms[i] = a.learn(w)
				}
				list := append(a.phrases[terms[0]], phrase{rest: terms[1:], term: term})
				sort.SliceStable(list, func(i, j int) bool { return len(list[i].rest) > len(list[j].rest) })
				a.phrases[terms[0]] = list
			}
		}
	}
	return nil
}

// foldedWords returns the words of s, folded.
func (a *analyzer) foldedWords(s string) []string {
	var out []string
	a.words(s, nil, func(w string) { out = append(out, strings.Clone(w)) })
	return out
}

// index appends the terms of text to out, growing the vocabulary, with
// synonym phrases joined.
func (a *analyzer) index(text string, out []int32) []int32 {
	start := len(out)
	a.words(text, nil, func(w string) { out = append(out, a.learn(w)) })
	return out[:start+len(a.joinPhrases(out[start:], out[start:start]))]
}

// joinPhrases writes terms to out with each synonym phrase replaced by its
// group's term; out may share terms' storage. Unknown words (-1) match no
// phrase.
func (a *analyzer) joinPhrases(terms, out []int32) []int32 {
	for i := 0; i < len(terms); i++ {
		t := terms[i]
		if t >= 0 && len(a.phrases) > 0 {
			for _, p := range a.phrases[t] {
				if i+len(p.rest) < len(terms) && equalTerms(terms[i+1:i+1+len(p.rest)], p.rest) {
					t = p.term
					i += len(p.rest)
					break
				}
			}
		}
		out = append(out, t)
	}
	return out
}

func equalTerms(a, b []int32) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
