package match

import (
	"math"
	"math/bits"
	"slices"
	"sort"
)

// scratch is the working memory of one search, reused through a pool so
// that a search allocates little. Stamps tell fresh slots from stale ones,
// so nothing is cleared between searches.
type scratch struct {
	// phr and grams are each phrasing's dot products with the question,
	// of words and of character n-grams: apart, as n-grams hit most of
	// the phrasings a search hits, and a phrasing's n-grams are a fourth
	// of the memory its words are. They are not stamped with the search,
	// as ent is, but kept at zero between searches, so that postings,
	// thousands in a search, are added without a test.
	phr   []acc
	grams []float32
	ent   []entAcc
	gen   uint32 // this search
	tag   uint32 // the query word being added, numbered from 1 in each search

	// hit has bit p%64 of hit[p/64] set for each phrasing p that the
	// search has added anything to, and worded for each that it has added
	// words to. Like phr, they are all zeros between searches: scoring the
	// phrasings hit, in order, clears them and lists the phrasings in
	// touchedP, and those with words in touchedW, which are cleared last
	// with the phrasings of the entries that had words added later.
	hit      []uint64
	worded   []uint64
	touchedP []int32
	touchedW []int32
	touchedE []int32
	// touched has bit e%64 of touched[e/64] set for each entry in
	// touchedE: the scoring of the phrasings hit tells by it, without
	// reading the entry's accumulator, the entries that no word of the
	// question touched. Like hit, it is all zeros between searches.
	touched []uint64
	// wordless are the entries that the question's n-grams alone hit
	// (see wordlessEntry), with the best of their phrasings' scores: most
	// of the entries a search hits, and few of them rank.
	wordless []wordless
	seq      []int32
	joinBuf  []byte
	slots    []slot
	alts     []alt
	buf      []byte
	gbuf     []byte
	gramIDs  []int32
	pairIDs  []int32 // the question's known pairs of neighbouring words
	near     []int32 // the question's terms in order, corrections in, unknown words -1
	feats    []feature
	fixes    []fix
	spelt    []string // the dictionary's words one edit from a question word
	named    []string // the question's words written as names (see namedWords)
	top      []scored
	rerank   []scored
	later    []feature // deferred words, added to the best entries only
	// laterMask is indexed by term, all zeros outside applyDeferred.
	laterMask []uint64
	// The question's features for the classifier, and its probability
	// of each entry (see rerank).
	qTerms []int32
	qVals  []float32
	probs  []float32
	// meaning is the question's features of meaning, for the classifier.
	meaning []float32
	// held is, by tag, the share of a query word that an entry's
	// phrasings hold, while its answer is weighed (see weighedAnswer).
	held []float32
}

// entAcc accumulates an entry's scores.
type entAcc struct {
	gen     uint32
	best    float32
	bestPhr int32
	// second is the score of the entry's second-best phrasing.
	second float32
	pool   acc
	ans    acc
	// content is whether the entry's phrasings or its answer hold a
	// content word of the question (see markUnrelated).
	content bool
	// weighed is ans with each query word weighed by whether the entry's
	// phrasings hold it (see weighedAnswer), -1 until it is found.
	weighed float32
}

// acc is a sum over query words in which each word counts once, by its best
// spelling: last is what the word tagged tag added so far.
type acc struct {
	tag  uint32
	sum  float32
	last float32
}

func (a *acc) add(tag uint32, v float32) {
	if a.tag != tag {
		a.tag, a.last = tag, v
		a.sum += v
		return
	}
	if v > a.last {
		a.sum += v - a.last
		a.last = v
	}
}

// slot is one word of the question: the terms it may stand for are
// alts[lo:hi]; weight is its weight in the question's norm, and ansWeight
// the same for answer text. content says whether it is a content word,
// neither a stop word nor a number.
type slot struct {
	lo, hi    int
	weight    float64
	ansWeight float64
	content   bool
	// foreign says that the word is foreign to the base and its language
	// (see index.foreign).
	foreign bool
	// named says that the question writes the word as a name (see
	// namedWords), and name is that word, folded.
	named bool
	name  string
	// word is the question's word when the base does not have it, for
	// Readings; meant is the word of the language's dictionary that it
	// misspells, when it has been read as one (see spell), else word.
	word, meant string
}

// alt is a term a query word may stand for, with the factor its match is
// worth: 1 for the word itself, less for a correction or a similar word.
// A similar word's match is not a match of the question's content words
// (see markUnrelated).
type alt struct {
	term    int32
	factor  float32
	similar bool
	// sim is a similar word's similarity to the question's word.
	sim float32
	// form says how a word the file lacks stands for term when it is
	// neither a typo of it nor similar in meaning (see Reading.Form).
	form string
}

// wordless is an entry that only n-grams of the question hit, not yet
// touched: best is its best phrasing's score and bestPhr that phrasing.
type wordless struct {
	entry, bestPhr int32
	best           float32
}

// fix is a misspelt query word and the vocabulary word it was corrected to.
type fix struct{ from, to string }

// scored is an entry with its score, during selection.
type scored struct {
	entry int32
	score float64
}

// newScratch returns the scratch of an index of that many phrasings,
// entries and terms, its lists by phrasing and entry with room for a
// sixty-fourth more: the index of a file with a few entries added can
// take it over when it replaces the index (see scratchPool.handOver).
func newScratch(phrasings, entries, terms int) *scratch {
	words := (phrasings + 63) / 64
	return &scratch{
		phr:       make([]acc, phrasings, phrasings+phrasings/64),
		grams:     make([]float32, phrasings, phrasings+phrasings/64),
		ent:       make([]entAcc, entries, entries+entries/64),
		hit:       make([]uint64, words, words+words/64+1),
		worded:    make([]uint64, words, words+words/64+1),
		touched:   make([]uint64, (entries+63)/64, (entries+entries/64+63)/64+1),
		laterMask: make([]uint64, terms),
	}
}

// Search finds the entries closest to question: the best first, then up to
// three runners-up, each with a confidence in [0,1].
func (b *Index) Search(question string) Result {
	if b.idx == nil {
		return Result{}
	}
	return b.idx.search(question)
}

func (x *index) search(question string) Result {
	s := x.scratch.get()
	r := x.searchWith(s, question)
	// Not deferred: a search that did not finish may have left s.hit and
	// the n-gram sums dirty, and s must then not be used again.
	x.scratch.put(s)
	return r
}

// searchWith is search with the working memory s.
func (x *index) searchWith(s *scratch, question string) Result {
	s.gen++
	s.tag = 0
	s.touchedP, s.touchedW, s.touchedE = s.touchedP[:0], s.touchedW[:0], s.touchedE[:0]

	q2, a2 := x.analyse(question, s)
	if q2 == 0 {
		return Result{}
	}
	if x.foreignScale > 0 && x.w.named > 0 {
		x.markNamed(question, s)
	}
	g2 := 0.0
	s.gramIDs = s.gramIDs[:0]
	if x.w.grams > 0 {
		g2 = x.gramsOf(question, s)
	}
	// The n-grams left out count in neither the question's norm nor the
	// phrasings' dot products, so that confidences keep their scale.
	g2 -= x.plan(s)
	for _, f := range s.feats {
		if !f.deferred {
			x.apply(s, f)
		}
	}

	sc := scoring{q2: q2, qScale: math.Pow(q2, -x.w.query), wg: float32(x.w.grams)}
	if x.w.pairs > 0 {
		if p2 := x.pairsOf(s); p2 > 0 {
			sc.pScale = float32(x.w.pairs / math.Sqrt(p2))
		}
	}
	if g2 > 0 {
		sc.gScale = float32(1 / math.Sqrt(g2))
	}
	if a2 > 0 {
		sc.aScale = 1 / math.Sqrt(a2)
	}
	// Score the phrasings hit, in order, clearing s.hit as it is read. An
	// entry's phrasings are numbered together, so they come one after the
	// other: the best of the entry's so far is kept in best and bestPhr,
	// and stored when the next entry's come. Of an entry's phrasings that
	// score the same, the first in the file is its best.
	//
	// An entry's second-best phrasing is not looked for here, which made
	// searches a quarter slower: its second is set to its best, so that
	// entryScore gives at most the entry's score, and found only for the
	// entries that may rank among the candidates (see topEntries).
	//
	// An entry that no word of the question touched, and whose phrasings
	// hit share n-grams only, is not touched here but listed in
	// s.wordless with its best phrasing (see wordlessEntry): most entries
	// hit are, and the few that can rank are touched when they are ranked.
	s.wordless = s.wordless[:0]
	ea := &entAcc{}
	best, bestPhr, cur := scoreBits(0), int32(-1), int32(-1)
	gramsOnly := false // cur is an entry that no word has touched
	for i, word := range s.hit {
		if word == 0 {
			continue
		}
		worded := s.worded[i]
		s.hit[i], s.worded[i] = 0, 0
		for ; word != 0; word &= word - 1 {
			b := bits.TrailingZeros64(word)
			p := int32(i<<6 | b)
			s.touchedP = append(s.touchedP, p)
			hasWords := worded&(1<<b) != 0
			var v int32
			if hasWords {
				s.touchedW = append(s.touchedW, p)
				v = scoreBits(x.phrasingScore(s, p, &sc))
			} else {
				v = scoreBits(x.gramScore(s, p, &sc))
			}
			if e := x.phrEntry[p]; e != cur {
				if gramsOnly {
					s.wordless = append(s.wordless, wordless{entry: cur, best: math.Float32frombits(uint32(best)), bestPhr: bestPhr})
				} else {
					ea.best, ea.bestPhr = math.Float32frombits(uint32(best)), bestPhr
					ea.second = ea.best
				}
				cur = e
				if gramsOnly = s.touched[e>>6]&(1<<(e&63)) == 0; !gramsOnly {
					ea = &s.ent[e]
				}
				best, bestPhr = scoreBits(0), -1
			}
			if gramsOnly && hasWords {
				gramsOnly, ea = false, x.touch(s, cur)
			}
			if v > best {
				best, bestPhr = v, p
			}
		}
	}
	if gramsOnly {
		s.wordless = append(s.wordless, wordless{entry: cur, best: math.Float32frombits(uint32(best)), bestPhr: bestPhr})
	} else {
		ea.best, ea.bestPhr = math.Float32frombits(uint32(best)), bestPhr
		ea.second = ea.best
	}
	s.top = s.top[:0]
	if len(s.later) > 0 {
		// Common words were left out above: add them to the entries that
		// came out best without them, and rank those alone.
		s.rerank = s.rerank[:0]
		for _, e := range s.touchedE {
			s.rerank = pushTop(s.rerank, rerankEntries, scored{entry: e, score: x.plainScore(s, e, &sc)})
		}
		for _, w := range s.wordless {
			if c := (scored{entry: w.entry, score: x.wordlessScore(w)}); len(s.rerank) < rerankEntries || better(c, s.rerank[len(s.rerank)-1]) {
				x.wordlessEntry(s, w)
				s.rerank = pushTop(s.rerank, rerankEntries, scored{entry: w.entry, score: x.plainScore(s, w.entry, &sc)})
			}
		}
		for i := range s.rerank {
			c := &s.rerank[i]
			x.applyDeferred(s, c.entry, &sc)
			c.score = x.entryScore(s, c.entry, &sc)
			s.top = pushTop(s.top, x.candidates, *c)
		}
	} else {
		x.topEntries(s, &sc)
	}
	if sc.pScale > 0 && len(s.top) > 0 {
		// Word pairs raise an entry's score by at most (1-pooled)*pairs:
		// only the entries that close to the last candidate can change
		// the ranking. Rescore those with their pairs.
		cutoff := 0.0
		if len(s.top) == x.candidates {
			cutoff = s.top[len(s.top)-1].score - (1-x.w.pooled)*x.w.pairs - 1e-6
		}
		s.top = s.top[:0]
		rescore := func(e int32, most float64) {
			if most >= cutoff {
				x.addPairs(s, e, &sc)
				s.top = pushTop(s.top, x.candidates, scored{entry: e, score: x.entryScore(s, e, &sc)})
			}
		}
		if len(s.later) > 0 {
			for _, c := range s.rerank {
				rescore(c.entry, c.score)
			}
		} else {
			for _, e := range s.touchedE {
				_, most := x.scoreBounds(s, e, &sc)
				rescore(e, most)
			}
		}
	}

	judged := x.rerank(s)
	x.markUnrelated(s)
	plain := x.plainBest(s, &sc)
	x.liftAnswerPairs(s)
	x.keepScale(s, plain)
	s.top = s.top[:min(len(s.top), maxCandidates)]
	r := Result{Candidates: make([]Candidate, 0, len(s.top))}
	for _, c := range s.top {
		e := x.entries[c.entry]
		phr := e.Question
		if ea := &s.ent[c.entry]; ea.bestPhr >= 0 {
			phr = x.phrasingText(ea.bestPhr)
		}
		r.Candidates = append(r.Candidates, Candidate{Entry: e, Confidence: calibrate(c.score), Phrasing: phr})
	}
	if judged && len(s.top) > 0 {
		delta := x.classifier.opinion(s.probs[s.top[0].entry])
		for i := range r.Candidates {
			r.Candidates[i].Confidence = min(1, max(0, r.Candidates[i].Confidence+delta))
		}
	}
	x.liftStated(s, r.Candidates)
	if x.foreignScale > 0 {
		x.lowerForeign(s, r.Candidates)
		x.lowerUnnamed(s, r.Candidates)
	}
	for _, p := range s.touchedP {
		s.grams[p] = 0
	}
	for _, p := range s.touchedW {
		s.phr[p] = acc{}
	}
	for _, e := range s.touchedE {
		s.touched[e>>6] = 0
	}
	if len(s.later) > 0 {
		for _, c := range s.rerank {
			clear(s.phr[x.entPhr[c.entry]:x.entPhr[c.entry+1]])
		}
	}
	return r
}

// topEntries ranks the best x.candidates of the entries touched in s.top,
// with their second-best phrasings found. Until then an entry's second is
// its best, and entryScore gives at most its score; with lost taken off,
// at least. An entry whose most is below the x.candidates-th highest least
// cannot be a candidate: only the others' seconds are looked for.
func (x *index) topEntries(s *scratch, sc *scoring) {
	var floors [classifierCandidates]float64
	floor := floors[:x.candidates] // the best floors, highest first
	for _, e := range s.touchedE {
		least, _ := x.scoreBounds(s, e, sc)
		raiseFloor(floor, least-x.lost(e, s.ent[e].best))
	}
	// An entry only n-grams hit scores at least wordlessScore, the most it
	// may, less lost: the floors it may raise are below its most.
	for _, w := range s.wordless {
		if most := x.wordlessScore(w); most > floor[len(floor)-1] {
			raiseFloor(floor, most-x.lost(w.entry, w.best))
		}
	}
	least := floor[len(floor)-1]
	for _, w := range s.wordless {
		if x.wordlessScore(w) >= least {
			x.wordlessEntry(s, w)
		}
	}
	for _, e := range s.touchedE {
		if _, most := x.scoreBounds(s, e, sc); most >= least {
			x.findSecond(s, e, sc)
			s.top = pushTop(s.top, x.candidates, scored{entry: e, score: x.entryScore(s, e, sc)})
		}
	}
}

// wordlessScore is the score of entry w.entry, which only n-grams of the
// question hit: its phrasings' score, the best taken for the second, with
// nothing pooled and no answer. Its score is at most that, when its second
// is found, and plainScore gives just that.
func (x *index) wordlessScore(w wordless) float64 {
	return (1 - x.w.pooled) * float64(w.best)
}

// wordlessEntry touches entry w.entry, which only n-grams of the question
// hit, as scoring its phrasings would have.
func (x *index) wordlessEntry(s *scratch, w wordless) {
	ea := x.touch(s, w.entry)
	ea.best, ea.bestPhr, ea.second = w.best, w.bestPhr, w.best
}

// raiseFloor puts v among floor, the highest values so far, highest first,
// when it is higher than one of them.
func raiseFloor(floor []float64, v float64) {
	for i := range floor {
		if v > floor[i] {
			copy(floor[i+1:], floor[i:])
			floor[i] = v
			return
		}
	}
}

// lost is what entry e's score loses when its second-best phrasing scores
// 0 instead of as much as its best, best.
func (x *index) lost(e int32, best float32) float64 {
	return (1 - x.w.pooled) * float64(x.entSecond[e]) * float64(best)
}

// findSecond sets the score of entry e's second-best phrasing.
func (x *index) findSecond(s *scratch, e int32, sc *scoring) {
	ea := &s.ent[e]
	if x.entSecond[e] == 0 {
		return
	}
	var best, second float32
	for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
		v := x.phrasingScore(s, p, sc)
		second = max(second, min(v, best))
		best = max(best, v)
	}
	ea.second = second
}

// scoreBits returns the bits of score v as an int32. They order scores of
// 0 and more as their values do, and put negative ones (-0 too) below them
// all, as an entry's best, which starts at 0, needs; scores are never NaN.
// The compiler makes a choice between two of them a conditional move,
// where a comparison of floats is a branch, which the processor guesses
// wrong about half the time while scoring phrasings.
func scoreBits(v float32) int32 { return int32(math.Float32bits(v)) }

// markUnrelated scales down, by weights.unrelated, the candidates in s.top
// whose phrasings and answer hold none of the question's content words,
// and ranks the candidates again. Whether they hold one was noted while
// the words' postings were added. A question of one content word spares
// the candidates whose best phrasing has fewer than unrelatedOwn content
// words of its own: "how are you today" is "how are you", but "what's for
// lunch" is not "What is the office wifi password?", though a small file,
// where "what" and "is" are rare, weighs its stop words almost as much.
func (x *index) markUnrelated(s *scratch) {
	content := 0
	for _, sl := range s.slots {
		if sl.content {
			content++
		}
	}
	if content == 0 || x.w.unrelated == 1 {
		return
	}
	for i := range s.top {
		ea := &s.ent[s.top[i].entry]
		if ea.content {
			continue
		}
		if content >= 2 || ea.bestPhr >= 0 && x.contentWords(ea.bestPhr) >= unrelatedOwn {
			s.top[i].score *= x.w.unrelated
		}
	}
	for i := 1; i < len(s.top); i++ {
		for j := i; j > 0 && better(s.top[j], s.top[j-1]); j-- {
			s.top[j], s.top[j-1] = s.top[j-1], s.top[j]
		}
	}
}

// unrelatedOwn is the number of content words of its own from which a
// phrasing that shares only stop words with a question of one content word
// is unrelated to it (see markUnrelated). Chit-chat phrasings ("you're so
// kind") have fewer; FAQ questions mostly have more.
const unrelatedOwn = 3

// contentWords counts the terms of phrasing p that are not stop words, a
// CJK term as half a word: a run of CJK letters gives a pair for each
// letter but the first, and their words are of two letters or so.
func (x *index) contentWords(p int32) float64 {
	n := 0
	for t := range x.phrTerms.row(int(p)) {
		if !x.text.isStop(t) {
			n += 2
			if x.text.cjk[t] {
				n--
			}
		}
	}
	return float64(n) / 2
}

// scoring holds a search's constants for scoring phrasings and entries.
type scoring struct {
	q2, qScale, aScale float64
	gScale, wg         float32
	// pScale is weights.pairs over the norm of the question's known word
	// pairs, 0 when it has none.
	pScale float32
}

// phrasingScore is the weighted share of the question that phrasing p
// covers to the power weights.query, times the share of the phrasing
// covered to the power 1-weights.query, blended with the cosine of their
// character n-grams.
func (x *index) phrasingScore(s *scratch, p int32, sc *scoring) float32 {
	v := s.phr[p].sum * float32(sc.qScale) * x.phrScale[p]
	if sc.gScale > 0 {
		v = (1-sc.wg)*v + x.gramScore(s, p, sc)
	}
	return v
}

// gramScore is the part of phrasing p's score that its character n-grams
// give, all of it when no word of the question hit p.
func (x *index) gramScore(s *scratch, p int32, sc *scoring) float32 {
	return sc.wg * s.grams[p] * sc.gScale * x.grams.scale[p]
}

// entryScore ranks entry e: its phrasings' score, and its answer with each
// query word weighed by whether the phrasings hold it (see
// weights.ansHeld).
func (x *index) entryScore(s *scratch, e int32, sc *scoring) float64 {
	return x.phrasingsScore(s, e, sc) + float64(x.entAns[e])*x.weighedAnswer(s, e)*sc.aScale
}

// plainScore is entry e's score with its answer counted as a whole, the
// scale of confidences (see keepScale).
func (x *index) plainScore(s *scratch, e int32, sc *scoring) float64 {
	return x.phrasingsScore(s, e, sc) + float64(x.entAns[e])*float64(s.ent[e].ans.sum)*sc.aScale
}

// scoreBounds returns the least and the most entryScore can give entry e,
// without weighing its answer: each of the answer's query words at the
// least weight weighedAnswer gives, or at the greatest.
func (x *index) scoreBounds(s *scratch, e int32, sc *scoring) (least, most float64) {
	v := x.phrasingsScore(s, e, sc)
	a := float64(x.entAns[e]) * float64(s.ent[e].ans.sum) * sc.aScale
	return v + a*min(x.w.ansHeld, x.w.ansNew, 1), v + a*max(x.w.ansHeld, x.w.ansNew, 1)
}

// phrasingsScore blends entry e's best phrasing with all its phrasings
// pooled.
func (x *index) phrasingsScore(s *scratch, e int32, sc *scoring) float64 {
	ea := &s.ent[e]
	b := float64(ea.best)
	b += float64(x.entSecond[e]) * (float64(ea.second) - b)
	return (1-x.w.pooled)*b + x.w.pooled*float64(ea.pool.sum)/sc.q2
}

// weighedAnswer returns entry e's answer sum, ans, with each query word
// weighed by the share of it that the entry's phrasings hold: at
// weights.ansHeld for the share held, and for the rest at 1 raised toward
// weights.ansNew by the entry's thinShare. A word that stands for a query
// word at factor f is held in the share of f that the phrasings hold of
// the same query word ("need" for "required", at its similarity, holds
// that much of an answer's "required"; a correction the phrasings hold
// too is held whole). Stop words keep their weight: "how" or "the" in an
// answer is no evidence either way. The features are added in the order
// apply added them, as acc does, so that the sum lies between ans times
// the least weight and ans times the greatest (see scoreBounds).
func (x *index) weighedAnswer(s *scratch, e int32) float64 {
	ea := &s.ent[e]
	if ea.weighed >= 0 {
		return float64(ea.weighed)
	}
	ea.weighed = 0
	if ea.ans.sum == 0 {
		return 0
	}
	if int(s.tag) >= len(s.held) {
		s.held = make([]float32, max(2*int(s.tag), 32))
	}
	held := s.held[:s.tag+1]
	clear(held)
	fresh := 1 + (x.w.ansNew-1)*x.thinShare(int(e))
	for _, f := range s.feats {
		if f.gram {
			continue
		}
		if _, ok := x.poolPost.find(f.term, e); ok {
			held[f.tag] = max(held[f.tag], f.factor)
		}
	}
	var a acc
	for _, f := range s.feats {
		if f.gram || f.deferred || !x.answers(f) {
			continue
		}
		if i, ok := x.ansPost.find(f.term, e); ok {
			wt := float32(1)
			if !x.text.isStop(f.term) {
				h := min(1, held[f.tag]/f.factor)
				wt = float32(x.w.ansHeld*float64(h) + fresh*float64(1-h))
			}
			a.add(f.tag, x.answerFactor(f)*x.answerWeight(i, f.term, e)*wt)
		}
	}
	ea.weighed = a.sum
	return float64(a.sum)
}

// plainBest returns the highest of the candidates' plain scores, their
// answers counted as a whole, times what the candidate's score became
// since (see markUnrelated).
func (x *index) plainBest(s *scratch, sc *scoring) float64 {
	plain := 0.0
	for _, c := range s.top {
		if v := x.entryScore(s, c.entry, sc); v > 0 {
			plain = max(plain, c.score*x.plainScore(s, c.entry, sc)/v)
		}
	}
	return plain
}

// keepScale scales the candidates' scores alike, so that the best has
// plain, the highest of their plain scores (see plainBest): which of its
// answer's words an entry's phrasings hold, or which of the question's
// pairs its answer says together, says which entry is meant, not how
// likely any is, and the confidences keep the scale that the threshold
// was set on.
func (x *index) keepScale(s *scratch, plain float64) {
	if len(s.top) == 0 || s.top[0].score <= 0 {
		return
	}
	k := plain / s.top[0].score
	for i := range s.top {
		s.top[i].score *= k
	}
}

// rerankEntries is how many entries get the common words left out of a
// search over a large knowledge base added back before the final ranking.
const rerankEntries = 32

// searchBudget is the number of postings a search reads before it leaves
// the remaining, commonest, words and n-grams of the question out. On small
// knowledge bases nothing is left out.
const searchBudget = 8_000

// feature is one term of the question to add to the accumulators: a word
// (or one spelling of it) or a character n-gram.
type feature struct {
	term     int32
	factor   float32
	tag      uint32
	gram     bool
	deferred bool
	content  bool // a content word's (see slot)
	similar  bool // a word similar in meaning to the question's
	cost     int32
}

// plan lists the question's features in s.feats, rarest first, and marks
// those past the search budget as deferred, listing the deferred words in
// s.later. It returns the squared weight of
// the n-grams deferred, which are left out of the search.
func (x *index) plan(s *scratch) (left float64) {
	s.feats = s.feats[:0]
	for i := range s.slots {
		sl := &s.slots[i]
		s.tag++
		for _, al := range s.alts[sl.lo:sl.hi] {
			cost := x.phrPost.size(al.term) + x.poolPost.size(al.term)
			s.feats = append(s.feats, feature{term: al.term, factor: al.factor, tag: s.tag, cost: cost, content: sl.content && !al.similar, similar: al.similar})
		}
	}
	for _, id := range s.gramIDs {
		s.feats = append(s.feats, feature{term: id, gram: true, cost: x.grams.post.size(id)})
	}
	sortByCost(s.feats)
	spent := int32(0)
	s.later = s.later[:0]
	for i := range s.feats {
		f := &s.feats[i]
		if i > 0 && spent+f.cost > searchBudget {
			f.deferred = true
			if f.gram {
				w := float64(x.grams.weight[f.term])
				left += w * w
			} else {
				s.later = append(s.later, *f)
			}
			continue
		}
		spent += f.cost
	}
	return left
}

// sortByCost sorts features by cost, keeping the order of those that cost
// the same. A question has a few dozen features: an insertion sort is the
// fastest there is for so few.
func sortByCost(feats []feature) {
	for i := 1; i < len(feats); i++ {
		f := feats[i]
		j := i
		for ; j > 0 && feats[j-1].cost > f.cost; j-- {
			feats[j] = feats[j-1]
		}
		feats[j] = f
	}
}

// apply adds feature f to every phrasing, entry and answer that holds it.
func (x *index) apply(s *scratch, f feature) {
	if f.gram {
		c := x.grams.weight[f.term]
		c *= c
		// The hottest loop of a search: no branch, and s's fields held in
		// locals, which the compiler would otherwise reload each time.
		grams, hit := s.grams, s.hit
		b := x.grams.post.bytes(int(f.term))
		for j, last := 0, int32(-1); j < len(b); {
			var first int32
			if g := b[j]; g&0x81 == 0 {
				// A lone id less than 64 after the last, one byte: most
				// of them, read without a call (see nextRun).
				first = last + int32(g>>1) + 1
				last, j = first, j+1
			} else {
				first, last, j = nextRun(b, j, last)
			}
			for p := first; p <= last; p++ {
				grams[p] += c
				hit[p>>6] |= 1 << (p & 63)
			}
		}
		return
	}
	w := x.weight[f.term]
	c := f.factor * w * w
	b := x.phrPost.bytes(int(f.term))
	for j, last := 0, int32(-1); j < len(b); {
		var first int32
		if g := b[j]; g&0x81 == 0 {
			first = last + int32(g>>1) + 1
			last, j = first, j+1
		} else {
			first, last, j = nextRun(b, j, last)
		}
		for p := first; p <= last; p++ {
			s.phr[p].add(f.tag, c)
			s.hit[p>>6] |= 1 << (p & 63)
			s.worded[p>>6] |= 1 << (p & 63)
		}
	}
	for b := range x.poolPost.blocks {
		high, lo, hi := x.poolPost.span(f.term, b)
		for i := lo; i < hi; i++ {
			ea := x.touch(s, high|int32(x.poolPost.low[i]))
			ea.pool.add(f.tag, c*x.pooled(i))
			ea.content = ea.content || f.content
		}
	}
	if x.answers(f) {
		qa := x.answerFactor(f)
		for b := range x.ansPost.blocks {
			high, lo, hi := x.ansPost.span(f.term, b)
			for i := lo; i < hi; i++ {
				e := high | int32(x.ansPost.low[i])
				ea := x.touch(s, e)
				ea.ans.add(f.tag, qa*x.answerWeight(i, f.term, e))
				ea.content = ea.content || f.content
			}
		}
	}
}

// answers says whether feature f, a word, is looked for in answers.
func (x *index) answers(f feature) bool {
	return x.w.answer > 0 && (!f.similar || x.w.ansSimilar > 0)
}

// answerFactor is what word feature f counts in an answer, times the
// answer's weight of its term.
func (x *index) answerFactor(f feature) float32 {
	qa := f.factor * x.ansIDF[f.term]
	if f.similar {
		qa *= float32(x.w.ansSimilar)
	}
	return qa
}

// applyDeferred adds the deferred words of the question, s.later, to entry
// e and its phrasings, found through their own term lists, and rescores
// them.
func (x *index) applyDeferred(s *scratch, e int32, sc *scoring) {
	ea := &s.ent[e]
	// The deferred words are taken 64 at a time: laterMask[t] has bit i set
	// when the i-th of them is term t, so that the terms of a phrasing are
	// looked up once each, and the words are added in s.later's order. A
	// phrasing's terms are sorted, and the deferred words, common ones,
	// tend to have low numbers: the terms are read up to the highest of
	// them only. The entry's pooled phrasings hold a word with the share of
	// its phrasings that do.
	for from := 0; from < len(s.later); from += 64 {
		later := s.later[from:min(from+64, len(s.later))]
		top := int32(0)
		for i, f := range later {
			s.laterMask[f.term] |= 1 << i
			top = max(top, f.term)
		}
		// held[i] counts the entry's phrasings that ask it (see askedEnd)
		// and hold the i-th word.
		var held [64]int
		asked := x.askedEnd(e)
		for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
			var m uint64
			for t := range x.phrTerms.row(int(p)) {
				if t > top {
					break
				}
				m |= s.laterMask[t]
			}
			for ; m != 0; m &= m - 1 {
				i := bits.TrailingZeros64(m)
				if p < asked {
					held[i]++
				}
				f := later[i]
				w := x.weight[f.term]
				s.phr[p].add(f.tag, f.factor*w*w)
			}
		}
		np := int(x.asked(e))
		for i, f := range later {
			if held[i] > 0 {
				w := x.weight[f.term]
				ea.pool.add(f.tag, f.factor*w*w*x.share(held[i], np))
				ea.content = ea.content || f.content
			}
		}
		for _, f := range later {
			s.laterMask[f.term] = 0
		}
	}
	x.rescore(s, e, sc, false)
}

// rescore scores entry e's phrasings again, once words or pairs have been
// added to them, with the pairs when withPairs, and keeps the best two.
// Scores only rise: the best is replaced only when one is higher, but the
// second best is found again among the new scores, lest a phrasing be
// both, before and after.
func (x *index) rescore(s *scratch, e int32, sc *scoring, withPairs bool) {
	ea := &s.ent[e]
	var best, second float32
	bestPhr := int32(-1)
	for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
		if s.phr[p].sum == 0 && s.grams[p] == 0 {
			continue // nothing in common
		}
		v := x.phrasingScore(s, p, sc)
		if withPairs {
			v += x.pairScore(s, p, sc)
		}
		second = max(second, min(v, best))
		if v > best {
			best, bestPhr = v, p
		}
	}
	if best > ea.best {
		ea.best, ea.bestPhr = best, bestPhr
	}
	ea.second = second
}

// addPairs rescores entry e's phrasings with the question's word pairs.
func (x *index) addPairs(s *scratch, e int32, sc *scoring) {
	x.rescore(s, e, sc, true)
}

// pairScore is weights.pairs times the cosine of the word pairs of the
// question and of phrasing p.
func (x *index) pairScore(s *scratch, p int32, sc *scoring) float32 {
	if s.phr[p].sum == 0 {
		return 0 // no word in common, so no pair
	}
	q := s.pairIDs
	var dot float32
	var norm float64
	// Both lists are sorted: walk them together, all of the phrasing's
	// to sum its norm.
	for id := range x.pairs.rows.row(int(p)) {
		w := x.pairs.weight[id]
		norm += float64(w) * float64(w)
		for len(q) > 0 && q[0] < id {
			q = q[1:]
		}
		if len(q) > 0 && q[0] == id {
			dot += w * w
			q = q[1:]
		}
	}
	return dot * sc.pScale * pairScale(norm)
}

// pairsOf lists the question's pairs of neighbouring words that the base
// knows in s.pairIDs, sorted, each once, and returns the sum of their
// squared weights.
func (x *index) pairsOf(s *scratch) (p2 float64) {
	s.pairIDs = s.pairIDs[:0]
	for i := 1; i < len(s.near); i++ {
		a, b := s.near[i-1], s.near[i]
		if a < 0 || b < 0 {
			continue
		}
		if id, ok := x.pairs.id(a, b); ok && !seen(s.pairIDs, id) {
			s.pairIDs = append(s.pairIDs, id)
			w := float64(x.pairs.weight[id])
			p2 += w * w
		}
	}
	slices.Sort(s.pairIDs)
	return p2
}

// calibrate maps a raw score, a blend of the weighted shares of the
// question and of the phrasings that match, to a confidence in [0,1]. The
// exponent puts the threshold that does best on the dev splits of every
// public benchmark dataset (raw scores of about 0.3) at DefaultThreshold,
// 0.5, so that one threshold serves any knowledge base.
func calibrate(score float64) float64 {
	return math.Pow(math.Min(1, math.Max(0, score)), calibration)
}

// calibration is the exponent of calibrate.
const calibration = 0.57

// touch returns entry e's accumulator, reset if this search has not yet
// touched it.
func (x *index) touch(s *scratch, e int32) *entAcc {
	ea := &s.ent[e]
	if ea.gen != s.gen {
		*ea = entAcc{gen: s.gen, bestPhr: -1, weighed: -1}
		s.touchedE = append(s.touchedE, e)
		s.touched[e>>6] |= 1 << (e & 63)
	}
	return ea
}

// gramsOf lists the question's known character n-grams in s.gramIDs and
// returns the squared norm of all its n-grams, unknown ones included.
func (x *index) gramsOf(question string, s *scratch) float64 {
	g := &x.grams
	var g2 float64
	s.gramIDs = s.gramIDs[:0]
	s.buf = x.text.words(question, s.buf, func(word string) {
		for _, f := range s.fixes {
			if f.from == word {
				word = f.to
				break
			}
		}
		unknown := x.w.unknown
		if isCJKWord(word) {
			unknown *= x.w.cjkUnknown
		}
		s.gbuf = eachGram(word, s.gbuf, func(gram []byte) {
			id, ok := g.ids[gramKey(gram)]
			if !ok {
				g2 += g.max * g.max * unknown * unknown
				return
			}
			if seen(s.gramIDs, id) {
				return
			}
			s.gramIDs = append(s.gramIDs, id)
			w := float64(g.weight[id])
			g2 += w * w
		})
	})
	return g2
}

// pushTop keeps the k best entries in top, best first.
func pushTop(top []scored, k int, c scored) []scored {
	if c.score <= 0 {
		return top
	}
	if len(top) == k && !better(c, top[len(top)-1]) {
		return top
	}
	if len(top) < k {
		top = append(top, c)
	} else {
		top[len(top)-1] = c
	}
	for i := len(top) - 1; i > 0 && better(top[i], top[i-1]); i-- {
		top[i], top[i-1] = top[i-1], top[i]
	}
	return top
}

// sortTop sorts candidates best first (see better).
func sortTop(top []scored) {
	slices.SortFunc(top, func(a, b scored) int {
		switch {
		case better(a, b):
			return -1
		case better(b, a):
			return 1
		}
		return 0
	})
}

// better orders candidates by score, then by file order, so that results
// are deterministic.
func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.entry < b.entry
}

// analyse splits question into query words in s.slots and returns the
// squared norms of the question for phrasings and for answers.
func (x *index) analyse(question string, s *scratch) (q2, a2 float64) {
	a := x.text
	s.seq, s.slots, s.alts, s.fixes = s.seq[:0], s.slots[:0], s.alts[:0], s.fixes[:0]
	var unknown []string
	prevUnknown := false // whether the word before w was unknown, and stays so
	s.buf = a.words(question, s.buf, func(w string) {
		wasUnknown := prevUnknown
		prevUnknown = false
		t := a.lookup(w)
		if t < 0 && isCJKWord(w) {
			// An unknown CJK term is read as nothing else (see cjkTerms).
			s.seq = append(s.seq, int32(-2-len(unknown)))
			unknown = append(unknown, string([]byte(w)))
			return
		}
		if long, ok := a.lang.shorthand[w]; ok && t < 0 {
			w, t = long, a.lookup(long)
		}
		if t < 0 {
			if one, u := a.singular(w); u >= 0 {
				w, t = one, u
			}
		}
		if t >= 0 {
			s.seq = append(s.seq, t)
			return
		}
		if t, u, ok := x.split(w); ok {
			s.seq = append(s.seq, t, u)
			return
		}
		if wasUnknown {
			if t, ok := x.joined(s, unknown[len(unknown)-1], w); ok {
				s.seq[len(s.seq)-1] = t
				unknown = unknown[:len(unknown)-1]
				return
			}
		}
		// Unknown words are numbered -2, -3, ... so that no phrase matches.
		s.seq = append(s.seq, int32(-2-len(unknown)))
		unknown = append(unknown, string([]byte(w)))
		prevUnknown = true
	})
	if len(a.phrases) > 0 {
		s.seq = a.joinPhrases(s.seq, s.seq[:0])
	}
	s.near = s.near[:0]
	for i, t := range s.seq {
		s.near = append(s.near, max(t, -1))
		if t >= 0 {
			if seen(s.seq[:i], t) {
				continue
			}
			lo := len(s.alts)
			s.alts = append(s.alts, alt{term: t, factor: 1})
			w := float64(x.weight[t])
			aw := float64(x.ansIDF[t])
			content := !a.isStop(t)
			if content && x.bridge != nil && x.bridge.vecs[t] != nil {
				x.addBridged(x.bridge.nearTerm(t, x.w), w, 1, lo, s)
			}
			// Other forms of the word count at their factor, and no more
			// than the word itself would where they are rarer.
			form := func(factor float64) func(u int32) {
				return func(u int32) {
					f := factor
					if wt := float64(x.weight[u]); wt > w {
						f *= (w / wt) * (w / wt)
					}
					if !seen(s.seq, u) {
						s.alts = append(s.alts, alt{term: u, factor: float32(f)})
					}
				}
			}
			if content && len(a.lang.derivations) > 0 && x.w.derive > 0 {
				derived := form(x.w.derive)
				for _, u := range x.derivations()[t] {
					derived(u)
				}
			}
			if content && a.lang.compounds && x.w.compound > 0 {
				h := x.compoundHeads()
				h.compounds(h.stems[t], form(x.w.compound))
			}
			s.slots = append(s.slots, slot{lo: lo, hi: len(s.alts), weight: w, ansWeight: aw, content: content})
			continue
		}
		w := unknown[-2-t]
		cjk := isCJKWord(w)
		content := !a.lang.stop(w) && !isNumber(w)
		if cjk {
			content = !isCJKStop(w, a.cjkStop)
		}
		lo := len(s.alts)
		var weight, ansWeight float64
		fixed := false
		correct := func(t int32, key string) {
			if !fixed {
				// The first correction also stands in for the word's
				// character n-grams.
				s.fixes = append(s.fixes, fix{from: w, to: key})
				fixed = true
			}
			for _, al := range s.alts[lo:] {
				if al.term == t {
					return
				}
			}
			s.alts = append(s.alts, alt{term: t, factor: float32(x.w.typo)})
			weight = math.Max(weight, float64(x.weight[t]))
			ansWeight = math.Max(ansWeight, float64(x.ansIDF[t]))
		}
		meant := w
		// A stop word is spelt right: the file lacks it, and "where" is
		// not a typo of "there", nor "ich" of "sich".
		if !cjk && !a.lang.stop(w) {
			a.typos.lookup(w, correct)
			if stem := a.lang.stem(w, false); stem != w {
				a.typos.lookup(stem, correct)
			}
		}
		if len(s.alts) == lo && content && !cjk {
			if e, ok := x.spell(w, s, correct); ok {
				meant = e
			}
		}
		// A word of the file that the question's stands for, at factor:
		// the question's word weighs as that word does.
		standsFor := func(factor float64, form string) func(t int32) {
			return func(t int32) {
				s.alts = append(s.alts, alt{term: t, factor: float32(factor), form: form})
				weight = math.Max(weight, float64(x.weight[t]))
				ansWeight = math.Max(ansWeight, float64(x.ansIDF[t]))
			}
		}
		if len(s.alts) == lo && content && !cjk && a.lang.compounds && x.w.compound > 0 {
			h, stem := x.compoundHeads(), a.lang.stem(w, false)
			h.compounds(stem, standsFor(x.w.compound, FormHead))
			if len(s.alts) == lo {
				if t, ok := h.head(stem); ok {
					standsFor(x.w.compound, FormCompound)(t)
				}
			}
		}
		if len(s.alts) == lo && content && !cjk && x.w.short > 0 {
			x.shortForms().read(w, x.common(w), standsFor(x.w.short, FormShort))
		}
		if len(s.alts) > lo {
			// The first correction stands in for the word in pairs too.
			s.near[i] = s.alts[lo].term
		}
		if len(s.alts) == lo {
			// A word with no correction may still mean what some of the
			// base's words mean: they match it at their similarity to
			// it, and it keeps the weight of an unknown word, so that
			// they cover only part of it. A misspelling means what the
			// word it misspells means, at the typo's discount.
			if content && !cjk && a.lang.similar != nil && x.w.similar > 0 {
				factor := x.w.similar
				if meant != w {
					factor *= x.w.typo
				}
				x.addSimilar(meant, float32(factor), s)
				if x.bridge != nil {
					x.addBridged(x.bridge.nearWord(meant, x.w), 0, float32(factor), lo, s)
				}
			}
			weight = x.w.unknown * x.maxWeight
			if !content {
				weight = x.w.stop * x.maxWeight
			}
			if cjk {
				weight *= x.w.cjkUnknown
				if !content {
					weight *= x.w.cjkStop
				}
			}
			ansWeight = weight
		}
		foreign := content && !cjk && len(s.alts) == lo && meant == w && x.foreign(w, s)
		s.slots = append(s.slots, slot{lo: lo, hi: len(s.alts), weight: weight, ansWeight: ansWeight, content: content, foreign: foreign, word: w, meant: meant})
	}
	for _, sl := range s.slots {
		q2 += sl.weight * sl.weight
		a2 += sl.ansWeight * sl.ansWeight
	}
	return q2, a2
}

// spell reads w, a content word that the base lacks and that no
// one-letter correction turns into one of its words, as a misspelling of a
// word of the language's dictionary (the words of its vectors): the words
// one edit from w ("cancellattion": "cancellation"). Those the base has a
// reading of are w's corrections, given to correct, at the typo's
// discount. When the base has none of them and they are one word alone,
// spell returns it: w means what it means. A word of the dictionary is
// no misspelling, and a word with two or more readings is not guessed at.
func (x *index) spell(w string, s *scratch, correct func(t int32, key string)) (string, bool) {
	if x.text.lang.vectors == nil {
		return "", false
	}
	dict := x.text.lang.vectors()
	if dict.has(w) {
		return "", false
	}
	s.spelt = dict.oneEditFrom(w, s.spelt[:0])
	corrected := false
	for _, e := range s.spelt {
		if t := x.text.lookup(e); t >= 0 {
			correct(t, e)
			corrected = true
		}
	}
	if corrected || len(s.spelt) != 1 {
		return "", false
	}
	return s.spelt[0], true
}

// addSimilar adds to s.alts the terms of the base that the language's table
// of similar words gives for the unknown word w, each at its similarity to
// w times factor.
func (x *index) addSimilar(w string, factor float32, s *scratch) {
	lo := len(s.alts)
	x.text.lang.similar().each(w, func(stem string, sim float32) {
		t, ok := x.text.ids[stem]
		if !ok || x.text.isStop(t) || seen(s.seq, t) {
			// A stop word says nothing of what a word means ("human" is
			// not "be"), and a word of the question's own ("russia" of
			// "does russia support ukraine") does not stand in for
			// another too.
			return
		}
		for _, al := range s.alts[lo:] {
			if al.term == t {
				return // two similar words of one stem
			}
		}
		s.alts = append(s.alts, alt{term: t, factor: factor * sim, similar: true, sim: sim})
	})
}

func seen(terms []int32, t int32) bool {
	for _, u := range terms {
		if u == t {
			return true
		}
	}
	return false
}

// isNumber reports whether w is made of digits only.
func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// Decide says what to do with r at threshold: answer when the best
// candidate's confidence reaches it, ask when the runner-up is as plausible
// and too close to tell apart, and fall back otherwise.
func (r Result) Decide(threshold float64) Outcome {
	best, ok := r.Best()
	if !ok || best.Confidence < threshold {
		return Unknown
	}
	if len(r.Candidates) > 1 {
		second := r.Candidates[1]
		if second.Confidence >= threshold && best.Confidence-second.Confidence < ambiguityGap {
			return Ambiguous
		}
	}
	return Answered
}

// ambiguityGap is the confidence gap under which two candidates that both
// reach the threshold are too close to call.
const ambiguityGap = 0.003

func sortInt32(s []int32) { sort.Slice(s, func(i, j int) bool { return s[i] < s[j] }) }

func sortedKeys(m map[int32]int) []int32 {
	keys := make([]int32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortInt32(keys)
	return keys
}
