package match

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/faqbot/faqbot/knowledge"
)

// weights are the matcher's tunable constants. They were chosen on the dev
// splits of the public benchmark data (see docs/benchmarks.md) and hold for
// any knowledge base; nothing in them is specific to one file.
type weights struct {
	// stop scales the weight of stop words: they still count ("who are
	// you" and "how are you" differ only in them) but little.
	stop float64
	// unknown is the weight of a query word the base has never seen, as a
	// share of the highest word weight: it lowers the share of the question
	// that any entry covers, which is how off-topic questions are refused.
	unknown float64
	// typo discounts a word matched through a one-letter correction.
	typo float64
	// similar is what a word similar in meaning to a question word the
	// base does not have counts, times their similarity, where the
	// language has a table of similar words (see similarWords).
	similar float64
	// query is the exponent of the share of the question's weight that a
	// phrasing covers; 1-query goes to the share of the phrasing covered.
	query float64
	// pooled is the share of an entry's score that comes from all of its
	// phrasings together rather than from its best one.
	pooled float64
	// second is the share of the best phrasing's score, in an entry's,
	// that goes to its second-best phrasing instead: an entry two of whose
	// ways of asking match the question is likelier the one meant than an
	// entry with one close phrasing and no other.
	second float64
	// secondFrom is the number of an entry's phrasings past the first
	// from which its second best gets the whole of weights.second; with
	// fewer, it gets their share of it.
	secondFrom float64
	// spread is the exponent of the share of an entry's phrasings that hold
	// a word, in the pooled score.
	spread float64
	// answer is the weight of the answer text, on top of the phrasings,
	// for an entry with a single phrasing.
	answer float64
	// answerDecay is the exponent of the number of an entry's phrasings
	// that its answer weight is divided by: the fewer ways an entry is
	// asked, the more its answer must describe it.
	answerDecay float64
	// thin is how much more an entry's answer counts, at most, when its
	// question has few content words: a heading such as "Email" or
	// "Late submissions" says little of what its answer covers, so the
	// user's words are found in the answer. The answer weight is times
	// 1 + thin*(1 - words/thinFrom), words being the content words (not
	// stop words) of the entry's question, and times 1 from thinFrom
	// words on.
	thin, thinFrom float64
	// grams is the share of a phrasing's score that comes from the
	// character n-grams it shares with the question.
	grams float64
	// pairs is the weight of the cosine of the pairs of neighbouring words
	// that the question shares with a phrasing, added to its score: of
	// two phrasings with the same words, the one that has them in the
	// question's order ("card arrived", not "arrived card") comes first.
	// Only pairs the base knows count in the question's norm, and only the
	// entries they could lift among the candidates are rescored with them.
	pairs float64
	// rarity is the exponent of a term's inverse entry frequency in its
	// weight.
	rarity float64
	// unrelated scales the score of a candidate whose phrasings and answer
	// hold none of the question's content words (words other than stop
	// words and numbers) when the question has two or more, or one and the
	// candidate's best phrasing is about other things (see markUnrelated):
	// "what's the weather tomorrow" is not "what is the wifi password",
	// however much of the question its stop words cover in a small
	// knowledge file.
	unrelated float64
	// classifier is the most a candidate's score moves with the
	// probability of its entry in a classifier trained on the phrasings
	// (see classifier), for a file asked classifierFrom ways or more per
	// entry; with fewer, it moves less, and not at all with one.
	classifier     float64
	classifierFrom float64
	// meaning is the length of the classifier's features of meaning (the
	// average of the words' vectors, where the language has word vectors),
	// against its word features' length of one; letters the length of
	// its features of spelling (the character n-grams of the matcher's
	// grams, which tell "withdraw" from "withdrawal" where the stemmer
	// makes them one, and a misspelling from nothing).
	meaning float64
	letters float64
	// opinion is how much the candidates' confidence moves with the
	// classifier's probability of the best one's entry among all entries
	// (see classifier.opinion).
	opinion float64
	// bridge is what a word of the file nearest in meaning to a question
	// word (by the language's word vectors, see bridge) counts, times
	// their similarity, when that is bridgeMin or more; bridgeNeighbours
	// is how many such words a question word may stand for. A file asked
	// bridgeUntil ways an entry or more on average has none (see
	// newBridge).
	bridge, bridgeMin, bridgeNeighbours, bridgeUntil float64
	// short is what a word of the file counts for a question word that is
	// a short form of it (see shortForms).
	short float64
	// ansPivot is the slope of the pivoted normalisation of answers'
	// lengths (see pivotAnswers): 1 is the cosine, which makes a long
	// answer count for little however much of the question it covers.
	ansPivot float64
	// ansHeld and ansNew weigh each question word that an entry's answer
	// holds by whether the entry's phrasings hold it too: a word they
	// hold, the answer only says again (ansHeld); a word they lack is
	// evidence the phrasings do not give, which counts the more the fewer
	// content words the question has, as the answer's weight does (see
	// thin): 1 from thinFrom words on, up to ansNew for a question of
	// none. Of two entries whose questions match the same words, a
	// heading such as "How does it work?" whose answer holds the user's
	// other words comes first, not the entry whose answer repeats its
	// question's. Stop words count 1 (see weighedAnswer). They rank
	// entries only: the confidence keeps the scale of the answer counted
	// as a whole (see keepScale).
	ansHeld, ansNew float64
	// ansSimilar scales what a word similar in meaning to a question's
	// counts in answers: an answer has many more words than a question,
	// and one of them is likelier to be near a question word by chance
	// ("dinner" and "guest").
	ansSimilar float64
	// compound is what a compound of the file counts for a question word
	// that is its head, and what a file's word counts for a question's
	// compound that it is the head of, in languages that write compounds
	// as one word (see compoundHeads).
	compound float64
	// derive is what a word of an English file counts for a question word
	// it is derived from, or that is derived from it ("Iranian", "Iran";
	// see derivations).
	derive float64
	// foreign is the share of a question's confidence that goes for each
	// share of its content words' weight in words foreign to the file and
	// to its language, in a file of one phrasing an entry (see
	// foreignScale).
	foreign float64
	// named is the share of a candidate's confidence that goes for each
	// share of the question's content words' weight in names it does not
	// hold, scaled as foreign is (see namedMissing).
	named float64
	// answerPairs is the most a candidate's score rises, to rank it, for
	// the question's pairs of neighbouring content words that its answer
	// says together (see liftAnswerPairs).
	answerPairs float64
	// stated is how far the confidences move toward 1 (or 0) for each
	// share of the question's content words' weight that the best entry
	// states above (or below) statedFrom, in a file of one phrasing an
	// entry and few entries, less up to statedUntil entries (see
	// liftStated); statedAnswer is what a word that the entry's answer
	// alone holds counts in that share (see stated).
	stated, statedFrom, statedUntil, statedAnswer float64
	// cjkUnknown scales the weight of a CJK term the base lacks (see
	// cjkTerms).
	cjkUnknown float64
	// cjkStop scales the weight of a CJK stop term on top of stop: a run
	// of hiragana gives a pair for each letter but the first, and its
	// words are of a letter or two (の, を, には), so that its pairs
	// outnumber its words many times ("するにはどうすればいいですか" is
	// 13), and would match a question's ending rather than its content.
	// (Japanese analyzers drop particles and auxiliaries altogether; a
	// question in hiragana alone still needs them.)
	cjkStop float64
}

func defaultWeights() weights {
	return weights{
		stop:       0.8,
		unknown:    1.0,
		typo:       0.6,
		similar:    1,
		query:      0.5,
		pooled:     0.5,
		second:     0.2,
		secondFrom: 4,
		spread:     0.5,
		answer:     0.3,
		// 0.3 for one phrasing, 0.13 for five, 0.095 for ten.
		answerDecay:      0.5,
		thin:             1.5,
		thinFrom:         6,
		rarity:           0.35,
		grams:            0.7,
		pairs:            0.05,
		unrelated:        0.7,
		classifier:       0.3,
		classifierFrom:   5,
		meaning:          2,
		letters:          1,
		opinion:          0.15,
		bridge:           0.6,
		bridgeMin:        0.45,
		bridgeNeighbours: 2,
		bridgeUntil:      3,
		short:            0.8,
		ansPivot:         0.75,
		ansHeld:          0.75,
		ansNew:           3,
		ansSimilar:       0.75,
		compound:         0.7,
		derive:           0.8,
		foreign:          1,
		named:            1,
		answerPairs:      0.05,
		stated:           0.6,
		statedFrom:       0.25,
		statedUntil:      48,
		statedAnswer:     0.5,
		cjkUnknown:       0.6,
		cjkStop:          0.25,
	}
}

// maxCandidates is the number of candidates a search returns: the best and
// up to three runners-up.
const maxCandidates = 4

// classifierCandidates is the number of entries a search ranks, before it
// keeps maxCandidates, when the base has a classifier: the classifier
// reranks them all, so that an entry the words put fifth or tenth and the
// classifier prefers can still come first.
const classifierCandidates = 12

// index is the search index of a knowledge base. It is built once and never
// changed, so it is safe for concurrent use; per-search scratch space comes
// from a pool.
type index struct {
	text *analyzer
	w    weights

	entries []*knowledge.Entry
	// weight is each term's weight: its inverse entry frequency, scaled
	// down for stop words.
	weight    []float32
	maxWeight float64

	// Phrasings: the entry of each, its norm (the sum of its squared term
	// weights) to the power query-1, and the postings from term to
	// phrasing. An entry's phrasings are numbered together, its question
	// first (see phrasingText).
	phrEntry []int32
	phrScale []float32
	phrPost  packedPostings
	// phrTerms lists each phrasing's terms, sorted, and entPhr each entry's
	// phrasings, entPhr[e]:entPhr[e+1], for searches that add common words
	// to a few entries only.
	phrTerms packedRows
	entPhr   []int32
	// headings holds each entry's own heading (see ownHeadings), indexed
	// as the entry's last phrasing; nil when no entry has one. askedN is
	// the number of phrasings that ask entries, headings left out.
	headings []string
	askedN   int

	// Pooled: term to the entries whose phrasings hold it, each with the
	// share of the entry's phrasings that do, raised to weights.spread
	// (see pooled): the share at poolShare[i] in poolShares, the distinct
	// shares of the postings, when no entry is asked more than maxShared
	// ways and they are 256 or fewer (as they are up to 28 ways), and the
	// share itself, poolFrac[i], when not.
	poolPost   shortPostings
	poolShare  []uint8
	poolShares []float32
	poolFrac   []float32
	// shares holds pooledShare(count, np) for np up to maxShared, at
	// np*(np-1)/2 + count-1, for the searches that add common words to an
	// entry through its phrasings' terms.
	shares []float32

	// Answers: term to the entries whose answer holds it, with the term's
	// weight in that answer (see answerWeight): made from the number of
	// times the answer says it, ansCount[i], and the answer's pivoted
	// norm, ansDiv[e], when no answer says a word more than maxAnswerCount
	// times, and the weight itself, ansWeight[i], when one does. ansLogs
	// holds 1 + log(count) for every count.
	ansPost   shortPostings
	ansCount  []uint8
	ansLogs   *[maxAnswerCount + 1]float64
	ansDiv    []float32
	ansWeight []float32
	ansIDF    []float32
	// ansPairs holds each answer's pairs of content words near each
	// other; nil when the answers have too many (see newAnswerPairs).
	ansPairs *answerPairs
	// entAns is each entry's answer weight: weights.answer divided by its
	// number of phrasings to the power weights.answerDecay, and raised for
	// a question of few content words (see thinness).
	entAns []float32
	// entSecond is each entry's share of weights.second (see secondFrom).
	entSecond []float32

	grams grams
	// bridge finds the file's words nearest a question's in meaning; nil
	// where the language has no word vectors or the file is large.
	bridge *bridge
	// foreignScale is how much the question's words foreign to the file
	// and its language lower its confidences (see foreignScale).
	foreignScale float64
	// classifier reranks the candidates, on files small enough; nil on
	// others. candidates is how many entries a search ranks:
	// classifierCandidates with a classifier, maxCandidates without.
	classifier *classifier
	candidates int
	// lazy holds what is built at the first question that needs it.
	lazy *lazyParts
	// pairs are the pairs of neighbouring terms in the phrasings.
	pairs wordPairs

	scratch *scratchPool
	titles  titles
}

// lazyParts are the parts of an index built at the first question that
// needs them, from its vocabulary and phrasings only, so that an index
// shared by another file of the same text (see index.sharedWith) shares
// them too.
type lazyParts struct {
	// short reads the question words that are short forms of the file's
	// words (see shortForms).
	short     *shortForms
	shortOnce sync.Once
	// heads finds the file's compounds by their heads, in languages that
	// write compounds as one word (see compoundHeads).
	heads     *compoundHeads
	headsOnce sync.Once
	// derived links the file's words derived one from the other (see
	// derivations).
	derived     map[int32][]int32
	derivedOnce sync.Once
}

// sharedWith returns an index of f that shares x's search structures,
// for a file whose indexed text is x's (see sameIndexedText): only the
// entries it returns, and their titles, are f's.
func (x *index) sharedWith(f *knowledge.File) *index {
	y := *x
	y.entries = make([]*knowledge.Entry, len(f.Entries))
	for i := range f.Entries {
		y.entries[i] = &f.Entries[i]
	}
	y.titles = newTitles(f.Entries)
	return &y
}

// phrasingText returns the text of phrasing p: its entry's question, one
// of its alternates or its own heading.
func (x *index) phrasingText(p int32) string {
	e := x.phrEntry[p]
	if x.isHeading(p) {
		return x.headings[e]
	}
	if i := p - x.entPhr[e]; i > 0 {
		return x.entries[e].Alternates[i-1]
	}
	return x.entries[e].Question
}

// postings is a list of rows of ids (a phrasing's terms, say), stored
// flat: row i is ids[start[i]:start[i+1]]. The postings from a term to the
// phrasings that hold it are packedPostings, and to the entries whose
// phrasings or answers hold it shortPostings.
type postings struct {
	start []int32
	ids   []int32
}

// row returns the ids of row i of postings used as a list of rows.
func (p *postings) row(i int) []int32 { return p.ids[p.start[i]:p.start[i+1]] }

// rows returns the number of rows.
func (p *postings) rows() int { return len(p.start) - 1 }

// rowList is a list of rows of ids: packedRows or answerTerms.
type rowList interface {
	rows() int
	appendIDs(dst []int32, i int) []int32
}

// shortPostings maps a term to a list of ids, as postings does, in two
// bytes an id instead of four. The ids are split by their high bits into
// blocks of 1<<16, and only their low 16 bits are kept: term t's ids in
// block b are b<<16 | low[i] for i from start[t*blocks+b] to
// start[t*blocks+b+1]. A term's ids are its blocks' in turn, so they keep
// the order they were added in when that is ascending; the term has
// start[(t+1)*blocks] - start[t*blocks] of them.
//
// It is built in two passes over the same ids in the same order: count
// each, allocate, then add each.
type shortPostings struct {
	blocks int
	start  []int32
	low    []uint16
	fill   []int32 // while it is built: where the next id of each block goes
}

// newShortPostings returns empty postings for terms 0..terms-1 and ids
// 0..ids-1.
func newShortPostings(terms, ids int) shortPostings {
	blocks := max(1, (ids+1<<16-1)>>16)
	return shortPostings{blocks: blocks, start: make([]int32, terms*blocks+1)}
}

// count counts id among term t's, in the first pass.
func (p *shortPostings) count(t, id int32) {
	p.start[int(t)*p.blocks+int(id>>16)+1]++
}

// allocate makes room for the ids counted, between the passes.
func (p *shortPostings) allocate() {
	for i := 1; i < len(p.start); i++ {
		p.start[i] += p.start[i-1]
	}
	p.low = make([]uint16, p.start[len(p.start)-1])
	p.fill = slices.Clone(p.start[:len(p.start)-1])
}

// add adds id to term t's, in the second pass, and returns where it put
// it in low.
func (p *shortPostings) add(t, id int32) int32 {
	b := int(t)*p.blocks + int(id>>16)
	at := p.fill[b]
	p.low[at] = uint16(id)
	p.fill[b]++
	return at
}

// done ends the second pass.
func (p *shortPostings) done() { p.fill = nil }

// size returns the number of term t's ids, 0 for a term it does not have.
func (p *shortPostings) size(t int32) int32 {
	if int(t+1)*p.blocks >= len(p.start) {
		return 0
	}
	return p.start[int(t+1)*p.blocks] - p.start[int(t)*p.blocks]
}

// block returns the high bits of term t's ids in block b, b<<16, and
// their low bits; none for a term it does not have.
func (p *shortPostings) block(t int32, b int) (high int32, low []uint16) {
	high, lo, hi := p.span(t, b)
	return high, p.low[lo:hi]
}

// span returns the high bits of term t's ids in block b, b<<16, and where
// their low bits are: low[lo:hi].
func (p *shortPostings) span(t int32, b int) (high, lo, hi int32) {
	i := int(t)*p.blocks + b
	if i+1 >= len(p.start) {
		return 0, 0, 0
	}
	return int32(b) << 16, p.start[i], p.start[i+1]
}

// find returns where id is among term t's ids in low, and whether it is
// there at all; the ids must have been added in ascending order.
func (p *shortPostings) find(t, id int32) (int32, bool) {
	_, lo, hi := p.span(t, int(id>>16))
	i, ok := slices.BinarySearch(p.low[lo:hi], uint16(id))
	return lo + int32(i), ok
}

// appendRow closes the row being written at the end of p.ids.
func (p *postings) appendRow() {
	p.start = append(p.start, int32(len(p.ids)))
}

// shrink returns s in an array of its own length when the one it is in is
// much larger: the index keeps what it holds for its lifetime.
func shrink[T any](s []T) []T {
	if cap(s)-len(s) > len(s)/8 {
		return slices.Clone(s)
	}
	return s
}

func newIndex(f *knowledge.File) (*index, error) {
	return newIndexWeights(f, defaultWeights())
}

func newIndexWeights(f *knowledge.File, w weights) (*index, error) {
	return buildIndex(f, w, Options{})
}

// buildIndex builds the index of f at weights w as o says, its classifier
// read from o.Cache when it holds it (see newClassifier).
func buildIndex(f *knowledge.File, w weights, o Options) (*index, error) {
	work := newWorkers(o.Workers)
	lang, err := lookupLanguage(f.Language)
	if err != nil {
		return nil, err
	}
	text := newAnalyzer(lang)
	if err := text.addSynonyms(f.Synonyms); err != nil {
		return nil, err
	}
	x := &index{text: text, w: w, lazy: &lazyParts{}, scratch: &scratchPool{}}
	if lang.similar != nil && w.similar > 0 {
		lang.similar() // read the table now, not at the first question
	}
	n := len(f.Entries)
	x.entries = make([]*knowledge.Entry, n)
	x.entPhr = make([]int32, n+1)
	x.headings = ownHeadings(f.Entries)
	for i := range f.Entries {
		x.entries[i] = &f.Entries[i]
		x.entPhr[i+1] = x.entPhr[i] + int32(1+len(f.Entries[i].Alternates))
		x.askedN += 1 + len(f.Entries[i].Alternates)
		if x.hasHeading(int32(i)) {
			x.entPhr[i+1]++
		}
	}
	nphr := int(x.entPhr[n])
	// nwords is about how many words the phrasings have, to size the lists
	// that hold them once: one more than their spaces, and a sixteenth more
	// for the contractions and punctuation that split words.
	nwords := 0
	x.phrEntry = make([]int32, 0, nphr)
	for i := range n {
		for range x.entPhr[i+1] - x.entPhr[i] {
			x.phrEntry = append(x.phrEntry, int32(i))
		}
	}
	phrText := func(p int) string { return x.phrasingText(int32(p)) }
	for p := range nphr {
		nwords += strings.Count(phrText(p), " ") + 1
	}
	nwords += nwords / 16

	// Split the phrasings into words once: the terms and the character
	// n-grams are both made from their words, the n-grams on another core.
	pw := splitPhrasings(text, nphr, phrText, nwords, work.n)
	var serving *index // the index this one replaces, whose rows it may share
	if o.Serving != nil {
		serving = o.Serving.idx
	}
	gramsDone := work.start(func() {
		if w.grams > 0 {
			x.grams = buildGrams(pw, x.phrEntry, n, w)
			if serving != nil {
				x.grams.post.share(&serving.grams.post, sameKey(x.grams.ids, serving.grams.ids, len(x.grams.post.sizes)))
			}
		}
	})

	// Analyse every phrasing, then every answer, growing the vocabulary:
	// each phrasing's terms, sorted and without repeats, go straight into
	// x.phrTerms, and each answer's, as they come, into ansTerms. The
	// phrasings' distinct words are learnt in the order they first come,
	// which numbers the terms as learning every word in turn would. The
	// pairs of neighbouring terms are numbered as each phrasing's terms
	// come, in order.
	wordTerm := make([]int32, len(pw.list))
	for i, word := range pw.list {
		wordTerm[i] = text.learn(word)
	}
	x.phrTerms = newPackedRows(nphr, nwords)
	var pairs *pairsBuilder
	if w.pairs > 0 {
		pairs = newPairsBuilder(nphr, nwords)
	}
	var seq []int32
	for p := range nphr {
		seq = pw.appendWords(seq[:0], p)
		for i, word := range seq {
			seq[i] = wordTerm[word]
		}
		seq = seq[:len(text.joinPhrases(seq, seq[:0]))]
		if pairs != nil {
			pairs.add(seq, x.phrEntry[p])
		}
		x.phrTerms.add(sortUniqueTail(seq, 0))
	}
	x.phrTerms.done()
	if pairs != nil {
		x.pairs = pairs.weigh(n, w)
		pairs = nil
	}
	// The phrasings' words are no longer needed once the n-grams are
	// built: let them go before the answers are read.
	gramsDone()
	ansWords := 0
	for i := range f.Entries {
		ansWords += countWords(f.Entries[i].Section) + countWords(f.Entries[i].Answer)
	}
	ansTerms := newAnswerTerms(n, ansWords+ansWords/16)
	for i := range f.Entries {
		// An entry's section, the headings it sits under, is said in its
		// answer's words, as a reader reads the two together.
		seq = text.index(f.Entries[i].Section, seq[:0])
		seq = text.index(f.Entries[i].Answer, seq)
		ansTerms.add(seq)
	}
	nterms := text.terms()
	if w.answerPairs > 0 {
		x.ansPairs = newAnswerPairs(&ansTerms, text.contentTerms())
	}
	// The answers' terms are counted from here on, not read in order.
	ansTerms.sortRows()
	// The vocabulary is complete: build its typo index on another core.
	typosDone := work.start(text.buildTypos)

	// Entry frequency of each term over phrasings, and answer frequency.
	entryDF := entryFrequency(&x.phrTerms, x.phrEntry, nterms)
	ansDF := entryFrequency(&ansTerms, nil, nterms)
	x.weight = make([]float32, nterms)
	x.ansIDF = make([]float32, nterms)
	for t := 0; t < nterms; t++ {
		wt := math.Pow(idf(n, int(entryDF[t])), w.rarity)
		a := idf(n, int(ansDF[t]))
		if text.isStop(int32(t)) {
			stop := w.stop
			if text.cjk[t] {
				stop *= w.cjkStop
			}
			wt *= stop
			a *= stop
		}
		x.weight[t] = float32(wt)
		x.ansIDF[t] = float32(a)
	}
	x.answerPostings(&ansTerms, w.ansPivot, nterms)
	x.maxWeight = math.Pow(idf(n, 0), w.rarity)
	if nterms == 0 || x.maxWeight == 0 {
		x.maxWeight = 1
	}

	// Phrasing postings and norms.
	var norms []float32
	x.phrPost, norms = phrasingPostings(&x.phrTerms, x.weight, nterms)
	if serving != nil {
		x.phrPost.share(&serving.phrPost, sameKey(text.ids, serving.text.ids, len(x.phrPost.sizes)))
	}
	// A phrasing's score is dot / (q2^query * norm^(1-query)); the
	// phrasing's part is computed once here.
	x.phrScale = make([]float32, len(norms))
	for p, n := range norms {
		if n > 0 {
			x.phrScale[p] = float32(math.Pow(float64(n), w.query-1))
		}
	}
	// Pooled: the postings from each term to the entries whose phrasings
	// hold it, with the share of the entry's phrasings that do. They are
	// built in two passes over the entries, each finding an entry's terms
	// and how many of its np phrasings hold each, without keeping them.
	held := make([]int32, nterms) // all zeros between entries
	var terms []int32
	eachEntryTerm := func(yield func(e, t int32, held, np int)) {
		for e := range n {
			terms = terms[:0]
			for p := x.entPhr[e]; p < x.askedEnd(int32(e)); p++ {
				for t := range x.phrTerms.row(int(p)) {
					if held[t] == 0 {
						terms = append(terms, t)
					}
					held[t]++
				}
			}
			np := int(x.asked(int32(e)))
			for _, t := range terms {
				yield(int32(e), t, int(held[t]), np)
				held[t] = 0
			}
		}
	}
	x.shares = make([]float32, 0, shareAt(maxShared, maxShared)+1)
	for np := 1; np <= maxShared; np++ {
		for count := 1; count <= np; count++ {
			x.shares = append(x.shares, pooledShare(count, np, w))
		}
	}
	x.poolPost = newShortPostings(nterms, n)
	used := make([]bool, len(x.shares))
	fits := true
	eachEntryTerm(func(e, t int32, held, np int) {
		x.poolPost.count(t, e)
		if np > maxShared {
			fits = false
		} else {
			used[shareAt(held, np)] = true
		}
	})
	x.poolPost.allocate()
	if code, table, ok := shareCodes(x.shares, used); fits && ok {
		x.poolShares = table
		x.poolShare = make([]uint8, len(x.poolPost.low))
		eachEntryTerm(func(e, t int32, held, np int) {
			x.poolShare[x.poolPost.add(t, e)] = code[shareAt(held, np)]
		})
	} else {
		x.poolFrac = make([]float32, len(x.poolPost.low))
		eachEntryTerm(func(e, t int32, held, np int) {
			x.poolFrac[x.poolPost.add(t, e)] = pooledShare(held, np, w)
		})
	}
	x.poolPost.done()

	x.entAns = make([]float32, n)
	for e := range x.entAns {
		np := float64(x.asked(int32(e)))
		x.entAns[e] = float32(w.answer * math.Pow(np, -w.answerDecay) * x.thinness(e))
	}

	x.entSecond = make([]float32, n)
	for e := range x.entSecond {
		more := float64(x.asked(int32(e)) - 1)
		x.entSecond[e] = float32(w.second * math.Min(1, more/w.secondFrom))
	}

	x.bridge = newBridge(x)
	x.foreignScale = foreignScale(x)
	// The classifier learns from the n-grams too.
	x.classifier = newClassifier(x, w, o.Cache)
	x.candidates = maxCandidates
	if x.classifier != nil {
		x.candidates = classifierCandidates
	}

	np, ne := len(x.phrEntry), n
	x.scratch.make = func() *scratch { return newScratch(np, ne, nterms) }
	x.scratch.fit = func(s *scratch) bool { return s.resize(np, ne, nterms) }
	x.titles = newTitles(f.Entries)
	typosDone()
	return x, nil
}

// workers runs a build's steps on at most n goroutines at once, the
// builder's own among them.
type workers struct {
	n    int
	free chan struct{} // a token for each other goroutine that may run
}

// newWorkers returns workers for n goroutines, or GOMAXPROCS for n <= 0.
func newWorkers(n int) workers {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	w := workers{n: n, free: make(chan struct{}, n-1)}
	for range n - 1 {
		w.free <- struct{}{}
	}
	return w
}

// start runs step on another goroutine when one may run, or else at once
// on the caller's, and returns the function that waits for it to end.
func (w workers) start(step func()) (wait func()) {
	select {
	case <-w.free:
	default:
		step()
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer func() { w.free <- struct{}{} }()
		defer close(done)
		step()
	}()
	return func() { <-done }
}

// maxAnswerCount is the most times an answer may say a word for the
// index to keep the count rather than the word's weight in the answer.
const maxAnswerCount = math.MaxUint8

// answerPostings builds the postings from term to the entries whose
// answer holds it, each answer's terms, sorted, a row of rows, and the
// term's weight in each answer: its log-scaled frequency there times its
// answer idf, divided by the answer's norm pivoted at slope (see
// pivotDivisors). Each answer's terms are read three times, not kept.
func (x *index) answerPostings(rows *answerTerms, slope float64, nterms int) {
	n := rows.rows()
	norms := make([]float64, n)
	most := 0
	var row []int32
	for e := range n {
		var norm float64
		row = rows.appendIDs(row[:0], e)
		eachRun(row, func(t int32, count int) {
			v := x.answerValue(t, count)
			norm += v * v
			most = max(most, count)
		})
		norms[e] = math.Sqrt(norm)
	}
	x.ansDiv = pivotDivisors(norms, slope)
	x.ansPost = newShortPostings(nterms, n)
	for e := range n {
		if norms[e] > 0 {
			row = rows.appendIDs(row[:0], e)
			eachRun(row, func(t int32, _ int) { x.ansPost.count(t, int32(e)) })
		}
	}
	x.ansPost.allocate()
	if most <= maxAnswerCount {
		x.ansCount = make([]uint8, len(x.ansPost.low))
		x.ansLogs = new([maxAnswerCount + 1]float64)
		for count := range x.ansLogs {
			x.ansLogs[count] = 1 + math.Log(float64(count))
		}
	} else {
		x.ansWeight = make([]float32, len(x.ansPost.low))
	}
	for e := range n {
		if norms[e] > 0 {
			row = rows.appendIDs(row[:0], e)
			eachRun(row, func(t int32, count int) {
				i := x.ansPost.add(t, int32(e))
				if x.ansCount != nil {
					x.ansCount[i] = uint8(count)
				} else {
					x.ansWeight[i] = float32(x.answerValue(t, count)) / x.ansDiv[e]
				}
			})
		}
	}
	x.ansPost.done()
}

// answerValue is the weight of term t in an answer that says it count
// times, before the answer's norm divides it: (1 + log(count)) times the
// term's answer idf.
func (x *index) answerValue(t int32, count int) float64 {
	return (1 + math.Log(float64(count))) * float64(x.ansIDF[t])
}

// answerWeight returns the weight of term t in entry e's answer, the i-th
// of x.ansPost's postings.
func (x *index) answerWeight(i, t, e int32) float32 {
	if x.ansWeight != nil {
		return x.ansWeight[i]
	}
	return float32(x.ansLogs[x.ansCount[i]]*float64(x.ansIDF[t])) / x.ansDiv[e]
}

// pivotDivisors returns what each answer's values are divided by: its
// norm, of norms, pivoted (Singhal, Buckley and Mitra, 1996), to the power
// slope times the median answer's norm to the power 1-slope. An answer as
// long as the median one is divided by its norm, as a cosine would; a
// longer one by less, so that the question's words in a long answer still
// count, and a shorter one by more. An answer without terms has norm 0,
// which counts for no median, and divisor 0.
func pivotDivisors(norms []float64, slope float64) []float32 {
	div := make([]float32, len(norms))
	var sorted []float64
	for _, n := range norms {
		if n > 0 {
			sorted = append(sorted, n)
		}
	}
	if len(sorted) == 0 {
		return div
	}
	slices.Sort(sorted)
	pivot := sorted[len(sorted)/2]
	for e, n := range norms {
		if n > 0 {
			div[e] = float32(math.Pow(n, slope) * math.Pow(pivot, 1-slope))
		}
	}
	return div
}

// countWords returns about how many words s has, to size the lists that
// hold them: one more than its spaces and line breaks.
func countWords(s string) int {
	return strings.Count(s, " ") + strings.Count(s, "\n") + 1
}

// thinness is what entry e's answer weight is multiplied by for the few
// content words of its question (see weights.thin).
func (x *index) thinness(e int) float64 {
	return 1 + x.w.thin*x.thinShare(e)
}

// thinShare is how thin entry e's question is: 1 - words/thinFrom for
// its words other than stop words, 0 from thinFrom words on.
func (x *index) thinShare(e int) float64 {
	words := x.contentWords(x.entPhr[e])
	return math.Max(0, 1-words/x.w.thinFrom)
}

// pooledShare is the weight of a term in an entry's phrasings pooled: the
// share of its np phrasings that hold it, count of them, raised to
// weights.spread.
func pooledShare(count, np int, w weights) float32 {
	return float32(math.Pow(float64(count)/float64(np), w.spread))
}

// maxShared is the number of phrasings up to which index.shares holds the
// pooled shares of an entry's terms.
const maxShared = 64

// share returns pooledShare(count, np), from x.shares when it has it.
func (x *index) share(count, np int) float32 {
	if np > maxShared {
		return pooledShare(count, np, x.w)
	}
	return x.shares[shareAt(count, np)]
}

// shareAt is where index.shares holds pooledShare(count, np).
func shareAt(count, np int) int { return np*(np-1)/2 + count - 1 }

// pooled returns the share of the i-th of x.poolPost's postings.
func (x *index) pooled(i int32) float32 {
	if x.poolFrac != nil {
		return x.poolFrac[i]
	}
	return x.poolShares[x.poolShare[i]]
}

// shareCodes returns a byte for each of shares that used marks, the
// distinct shares the bytes stand for in the order they first come, and
// whether there are 256 or fewer, as a byte can tell.
func shareCodes(shares []float32, used []bool) (code []uint8, table []float32, ok bool) {
	code = make([]uint8, len(shares))
	at := make(map[float32]uint8)
	for i, u := range used {
		if !u {
			continue
		}
		c, seen := at[shares[i]]
		if !seen {
			if len(table) == 1<<8 {
				return nil, nil, false
			}
			c = uint8(len(table))
			at[shares[i]] = c
			table = append(table, shares[i])
		}
		code[i] = c
	}
	return code, table, true
}

// entryFrequency returns, for each of nterms terms, the number of entries
// whose rows hold it; row i belongs to entry owner[i], or to entry i when
// owner is nil.
func entryFrequency(rows rowList, owner []int32, nterms int) []int32 {
	df := make([]int32, nterms)
	last := make([]int32, nterms)
	for t := range last {
		last[t] = -1
	}
	var row []int32
	for i := range rows.rows() {
		e := int32(i)
		if owner != nil {
			e = owner[i]
		}
		row = rows.appendIDs(row[:0], i)
		for _, t := range row {
			if last[t] != e {
				last[t] = e
				df[t]++
			}
		}
	}
	return df
}

// phrasingPostings returns the postings from term to phrasing of the
// phrasings' terms rows and each phrasing's norm, the sum of its terms'
// squared weights.
func phrasingPostings(rows *packedRows, weight []float32, nterms int) (packedPostings, []float32) {
	norms := make([]float32, rows.rows())
	post := newPackedPostings(nterms)
	for p := range norms {
		var norm float64
		for t := range rows.row(p) {
			wt := float64(weight[t])
			norm += wt * wt
			post.count(t, int32(p))
		}
		norms[p] = float32(norm)
	}
	post.allocate()
	for p := range norms {
		for t := range rows.row(p) {
			post.add(t, int32(p))
		}
	}
	post.done()
	return post, norms
}

// sameKey returns the function that finds, for the row t of rows
// postings whose rows are numbered as ids numbers keys, the row of the
// same key in postings numbered as old does, if it has one. Of keys
// numbered alike, the one of the least row in old stands for their row:
// any would do, since rows are shared only when their bytes are the same
// (see packedPostings.share).
func sameKey[K comparable](ids, old map[K]int32, rows int) func(t int32) (int32, bool) {
	from := make([]int32, rows) // the old row of t, or -1
	for t := range from {
		from[t] = -1
	}
	for k, t := range ids {
		if ot, ok := old[k]; ok && int(t) < rows && (from[t] < 0 || ot < from[t]) {
			from[t] = ot
		}
	}
	return func(t int32) (int32, bool) {
		if int(t) >= rows || from[t] < 0 {
			return 0, false
		}
		return from[t], true
	}
}

// idf is the BM25 inverse document frequency of a term found in df of n
// documents.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// sortUniqueTail sorts s[from:] and drops its repeats.
func sortUniqueTail(s []int32, from int) []int32 {
	slices.Sort(s[from:])
	return s[:from+len(slices.Compact(s[from:]))]
}

// eachRun calls yield with every distinct value of the sorted s and the
// number of times it occurs, in order.
func eachRun(s []int32, yield func(t int32, count int)) {
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		yield(s[i], j-i)
		i = j
	}
}
