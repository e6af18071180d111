package match

import (
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/danish"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/finnish"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/irish"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/romanian"
	"github.com/blevesearch/snowballstem/tamil"
	"github.com/blevesearch/snowballstem/turkish"
	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/faqbot/faqbot/knowledge"
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
	// shorthand maps the short spellings of chat ("u", "pls", "ppl") to
	// the word they stand for, read so in a question whose knowledge file
	// lacks the short spelling.
	shorthand map[string]string
	// derivations are the endings that make a word of a place or thing
	// into one of its people or kind, which the stemmer leaves on (see
	// derivations).
	derivations []string
	// plural is the ending of plurals that the stemmer leaves on where
	// the word before it is an acronym or ends in a vowel ("PDFs",
	// "GPUs", "APIs"): a question word the file lacks that has it, less
	// it, is the file's word (see singular).
	plural string
	// compounds is whether the language writes compounds as one word
	// (see compoundHeads).
	compounds bool
	// turkic folds I to ı and İ to i, as Turkish writes them, where
	// Unicode's default folding makes i of both.
	turkic bool
	// elided lists the articles, pronouns and prepositions that the
	// language writes elided before a vowel, folded: "l" of "l'adresse".
	// They are dropped, so that "l'adresse" is the word "adresse".
	elided map[string]bool
	// similar, where the language has one, returns its table of words
	// similar in meaning, for question words a knowledge file lacks.
	similar func() *similarWords
	// vectors, where the language has them, returns its word vectors, for
	// the classifier's features of meaning.
	vectors func() *wordVectors
	// names, where the language has them, lists the names among the
	// commonest words of the language, which its vectors leave out
	// ("london", "spanish"), as lines of a table of one word each: a word
	// that is neither in the vectors nor among these is foreign to the
	// language (see foreign).
	names func() *similarWords
}

// englishStem stems an English word, spelt the American way (see
// americanSpelling), so that British and American spellings are one term.
func englishStem(word string, stemStopWords bool) string {
	return english.Stem(americanSpelling(word), stemStopWords)
}

// languages lists the languages of the Snowball stemmer by their codes, those
// of knowledge.Languages. Seven stem with kljensen/snowball, the
// rest with the stemmers generated from the Snowball sources
// (blevesearch/snowballstem), their stop words from stopwords/.
func languages() map[string]language {
	en := language{name: "english", stem: englishStem, stop: english.IsStopWord, contractions: englishContractions(), shorthand: englishShorthand(), derivations: englishDerivations(), plural: "s", similar: englishSimilar, vectors: englishVectors, names: englishNames}
	es := language{name: "spanish", stem: spanish.Stem, stop: spanish.IsStopWord}
	fr := language{name: "french", stem: french.Stem, stop: french.IsStopWord,
		elided: wordSet("l d j m n s t c qu jusqu lorsqu puisqu quoiqu")}
	ru := language{name: "russian", stem: russian.Stem, stop: russian.IsStopWord}
	sv := language{name: "swedish", stem: swedish.Stem, stop: swedish.IsStopWord}
	no := language{name: "norwegian", stem: norwegian.Stem, stop: norwegian.IsStopWord}
	hu := language{name: "hungarian", stem: hungarian.Stem, stop: hungarian.IsStopWord}
	ar := snowballLanguage("arabic", "ar", arabic.Stem, arabicBare)
	da := snowballLanguage("danish", "da", danish.Stem, nil)
	de := snowballLanguage("german", "de", german.Stem, nil)
	fi := snowballLanguage("finnish", "fi", finnish.Stem, nil)
	ga := snowballLanguage("irish", "ga", irish.Stem, nil)
	it := snowballLanguage("italian", "it", italian.Stem, nil)
	nl := snowballLanguage("dutch", "nl", dutch.Stem, nil)
	pt := snowballLanguage("portuguese", "pt", portuguese.Stem, nil)
	ro := snowballLanguage("romanian", "ro", romanian.Stem, romanianCedilla)
	ta := snowballLanguage("tamil", "ta", tamil.Stem, nil)
	tr := snowballLanguage("turkish", "tr", turkish.Stem, nil)
	tr.turkic = true
	for _, l := range []*language{&de, &nl, &sv, &da, &no} {
		l.compounds = true
	}
	it.elided = wordSet("l un dell all dall nell sull coll quell quest c d s m t v")
	return map[string]language{
		"en": en, "es": es, "fr": fr, "ru": ru, "sv": sv, "no": no, "hu": hu,
		"ar": ar, "da": da, "de": de, "fi": fi, "ga": ga, "it": it, "nl": nl,
		"pt": pt, "ro": ro, "ta": ta, "tr": tr,
	}
}

// stopWordFiles holds a list of stop words for each language whose stemmer
// comes from blevesearch/snowballstem, which has none: stopwords/CODE.txt.
//
//go:embed stopwords/*.txt
var stopWordFiles embed.FS

// snowballLanguage returns the language that stems with Snowball's stemmer
// stem and takes its stop words from stopwords/CODE.txt. Each word, and each
// stop word as it is read, first passes through prepare, where that is not
// nil, to reach the spelling the stemmer expects. Stop words are read at
// their first use and, as with kljensen/snowball, left unstemmed unless
// stemStopWords is set.
func snowballLanguage(name, code string, stem func(*snowballstem.Env) bool, prepare func(string) string) language {
	if prepare == nil {
		prepare = func(w string) string { return w }
	}
	stops := sync.OnceValue(func() map[string]bool {
		// Every list is embedded at build time; TestLanguageTable fails
		// for a language without one.
		words, _ := readStopWords(code)
		set := make(map[string]bool, len(words))
		for _, w := range words {
			set[prepare(w)] = true
		}
		return set
	})
	return language{
		name: name,
		stem: func(word string, stemStopWords bool) string {
			word = prepare(word)
			if !stemStopWords && stops()[word] {
				return word
			}
			env := snowballstem.NewEnv(word)
			stem(env)
			return env.Current()
		},
		stop: func(word string) bool { return stops()[prepare(word)] },
	}
}

// readStopWords returns the words of stopwords/CODE.txt: one a line, with
// blank lines and lines starting with # left out.
func readStopWords(code string) ([]string, error) {
	data, err := stopWordFiles.ReadFile("stopwords/" + code + ".txt")
	if err != nil {
		return nil, err
	}
	var words []string
	for line := range strings.Lines(string(data)) {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			words = append(words, w)
		}
	}
	return words, nil
}

// arabicBare drops from the folded word w the short-vowel marks and the
// tatweel, which the Arabic stemmer drops too, so that a stop word matches
// however fully it is vowelled.
func arabicBare(w string) string {
	if !strings.ContainsFunc(w, isArabicMark) {
		return w
	}
	return strings.Map(func(r rune) rune {
		if isArabicMark(r) {
			return -1
		}
		return r
	}, w)
}

// isArabicMark reports whether r is the tatweel or a mark from fathatan to
// sukun.
func isArabicMark(r rune) bool {
	return r == '\u0640' || '\u064b' <= r && r <= '\u0652'
}

// romanianCedilla spells the folded word w's ș and ț, the letters of the
// Romanian standard, with the cedillas of ş and ţ, which are what the
// Snowball stemmer knows and what much Romanian text still uses.
func romanianCedilla(w string) string {
	if !strings.ContainsAny(w, "șț") {
		return w
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case 'ș':
			return 'ş'
		case 'ț':
			return 'ţ'
		}
		return r
	}, w)
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

// englishShorthand lists the short spellings of English chat that stand
// for one word. Those that could as well be a word of a file ("ty", "yr",
// "n") are left out.
func englishShorthand() map[string]string {
	return map[string]string{
		"u": "you", "ya": "you", "ur": "your", "r": "are", "y": "why", "w": "with",
		"pls": "please", "plz": "please", "thx": "thanks", "thnx": "thanks",
		"b4": "before", "abt": "about", "bc": "because", "cuz": "because", "coz": "because",
		"ppl": "people", "sth": "something", "smth": "something", "tho": "though",
		"thru": "through", "tmrw": "tomorrow", "msg": "message", "msgs": "messages",
		"pic": "picture", "pics": "pictures", "pw": "password", "pwd": "password",
		"acct": "account", "govt": "government", "mgmt": "management",
		"diff": "difference", "lang": "language", "num": "number", "approx": "approximately",
	}
}

// lookupLanguage returns the language named by code, such as "en" or
// "russian"; "" means English.
func lookupLanguage(code string) (language, error) {
	c, err := knowledge.LanguageCode(code)
	if err != nil {
		return language{}, err
	}
	l, ok := languages()[c]
	if !ok {
		return language{}, fmt.Errorf("language %q has no stemmer", code)
	}
	return l, nil
}

// folder normalises text for matching: Unicode NFKC, then full case folding.
// Casers keep state, so each goroutine takes its own from the pool.
type folder struct {
	pool   sync.Pool
	turkic bool // see language.turkic
}

func newFolder(turkic bool) *folder {
	return &folder{pool: sync.Pool{New: func() any { c := cases.Fold(); return &c }}, turkic: turkic}
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
		if c == 'I' && f.turkic {
			ascii = false
			break
		}
	}
	if ascii {
		if upper {
			return strings.ToLower(s)
		}
		return s
	}
	s = norm.NFKC.String(s)
	if f.turkic {
		s = strings.Map(turkicLower, s)
	}
	c := f.pool.Get().(*cases.Caser)
	out := c.String(s)
	f.pool.Put(c)
	return out
}

// turkicLower lowers the two Turkish capitals that Unicode's default folding
// gets wrong for Turkish: İ to i, and I to the dotless ı.
func turkicLower(r rune) rune {
	switch r {
	case 'İ':
		return 'i'
	case 'I':
		return 'ı'
	}
	return r
}

// wordSet returns the words of list, separated by spaces, as a set.
func wordSet(list string) map[string]bool {
	set := make(map[string]bool)
	for _, w := range strings.Fields(list) {
		set[w] = true
	}
	return set
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
// digits and marks, with apostrophes inside a word dropped, and an elided
// word before the first of them ("l" of "l'adresse") dropped when elided
// holds it. A run that holds CJK letters gives the terms of cjkTerms
// instead. A word that contains an apostrophe is built in buf, which yield
// must not keep.
func words(text string, buf []byte, elided map[string]bool, yield func(w string)) []byte {
	start := -1
	joined, cjk := false, false
	emit := func(w string) {
		if cjk {
			cjkTerms(w, yield)
		} else {
			yield(w)
		}
	}
	flush := func(end int) {
		if start < 0 {
			return
		}
		if joined && len(elided) > 0 {
			word := text[start:end]
			if i := strings.IndexFunc(word, isApostrophe); i > 0 && elided[word[:i]] {
				_, size := utf8.DecodeRuneInString(word[i:])
				start += i + size
				joined = strings.IndexFunc(text[start:end], isApostrophe) >= 0
			}
		}
		if joined {
			buf = buf[:0]
			for _, r := range text[start:end] {
				if !isApostrophe(r) {
					buf = utf8.AppendRune(buf, r)
				}
			}
			emit(string(buf))
		} else {
			emit(text[start:end])
		}
		start, joined, cjk = -1, false, false
	}
	for i, r := range text {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
			if r >= 0x1100 && !cjk {
				cjk = isCJK(r)
			}
		case isApostrophe(r) && start >= 0 && i+utf8.RuneLen(r) < len(text):
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			if isWordRune(next) {
				joined = true
				continue
			}
			flush(i)
		case r == '-' && start >= 0 && truncated(text[i+1:]):
			// The first part of a compound whose head a later word
			// gives ("Groß- und Kleinschreibung") is not a word alone.
			start, joined = -1, false
		default:
			flush(i)
		}
	}
	flush(len(text))
	return buf
}

// truncated reports whether rest, the text after a hyphen that ends a
// word, makes the word the first part of a compound whose head is left to
// the next one: the hyphen is followed by a space.
func truncated(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsSpace(r)
}

// analyzer turns text into term ids: it folds, splits into words, stems them
// in the base's language and joins synonym phrases. While the index is built
// it grows the vocabulary; after that it is only read, so searches share it.
type analyzer struct {
	lang    language
	fold    *folder
	ids     map[string]int32 // stem (or synonym group key) to term
	stop    []bool           // whether each term is a stop word
	cjk     []bool           // whether each term is a CJK term (see cjkTerms)
	cjkStop map[string]bool  // the Chinese function words (see isCJKStop)
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
	if isCJKWord(key) {
		return
	}
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
		fold:    newFolder(lang.turkic),
		ids:     make(map[string]int32),
		surface: make(map[string]int32),
		phrases: make(map[int32][]phrase),
		typos:   newTypoIndex(),
		expand:  expansions(lang.contractions),
		groups:  make(map[int32]bool),
		cjkStop: cjkStopWords(),
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
	return words(a.fold.fold(text), buf, a.lang.elided, func(w string) {
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

// contentTerms returns a function that reports whether a term of the
// vocabulary as it is now is a content word: neither a stop word nor a
// number.
func (a *analyzer) contentTerms() func(t int32) bool {
	content := make([]bool, len(a.stop))
	for key, t := range a.ids {
		content[t] = !a.stop[t] && !isNumber(key)
	}
	return func(t int32) bool { return content[t] }
}

// newTerm adds a term under key.
func (a *analyzer) newTerm(key string, stop bool) int32 {
	t := int32(len(a.stop))
	a.ids[key] = t
	a.stop = append(a.stop, stop)
	a.cjk = append(a.cjk, isCJKWord(key))
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
	if isCJKWord(w) {
		// A CJK term is neither stemmed nor corrected (see cjkTerms).
		t, ok := a.ids[w]
		if !ok {
			t = a.newTerm(w, isCJKStop(w, a.cjkStop))
		}
		a.surface[w] = t
		return t
	}
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
	if isCJKWord(w) {
		return -1
	}
	if t, ok := a.ids[a.lang.stem(w, false)]; ok {
		return t
	}
	return -1
}

// stem returns the stem of the folded word w in the base's language, or w
// itself where it is a CJK term.
func (a *analyzer) stem(w string) string {
	if isCJKWord(w) {
		return w
	}
	return a.lang.stem(w, false)
}

// singular returns w less the language's plural ending and its term, when
// w has the ending, is longer than it by three letters or more, and w
// less the ending is a word of the base ("pdfs" of "pdf"); else -1. A
// double letter is no plural ending ("class"), and a stop word no plural
// ("does" is not "Doe").
func (a *analyzer) singular(w string) (string, int32) {
	p := a.lang.plural
	if p == "" || len(w) < len(p)+3 || !strings.HasSuffix(w, p) || strings.HasSuffix(w, p+p) || a.lang.stop(w) {
		return "", -1
	}
	one := w[:len(w)-len(p)]
	return one, a.lookup(one)
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
				if t, ok := a.ids[a.stem(ws[0])]; ok && a.groups[t] {
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
				stem := a.stem(ws[0])
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

// StopWords returns the stop words of the language named by code ("de",
// "german"; "" is English), as a function that reports whether a word, in
// lower case, is one: the same words the matcher gives little weight to.
func StopWords(code string) (func(word string) bool, error) {
	l, err := lookupLanguage(code)
	if err != nil {
		return nil, err
	}
	return l.stop, nil
}
