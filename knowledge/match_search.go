package knowledge

import (
	"math"
	"sort"
)

// scratch is the working memory of one search, reused through a pool so
// that a search allocates little. Stamps tell fresh slots from stale ones,
// so nothing is cleared between searches.
type scratch struct {
	phr []phrAcc
	ent []entAcc
	gen uint32 // this search
	tag uint32 // the query word being added, unique across searches

	touchedP []int32
	touchedE []int32
	seq      []int32
	slots    []slot
	alts     []alt
	buf      []byte
	gbuf     []byte
	gramIDs  []int32
	top      []scored
}

// phrAcc accumulates a phrasing's dot product with the question. A query
// word with several spellings counts once, by its best: last is what the
// word tagged tag added so far.
type phrAcc struct {
	gen   uint32
	tag   uint32
	dot   float32
	last  float32
	grams float32
}

// entAcc accumulates an entry's scores.
type entAcc struct {
	gen     uint32
	best    float32
	bestPhr int32
	pool    acc
	ans     acc
}

// acc is a sum over query words in which each word counts once, by its best
// spelling.
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
// the same for answer text.
type slot struct {
	lo, hi    int
	weight    float64
	ansWeight float64
}

// alt is a term a query word may stand for, with the factor its match is
// worth: 1 for the word itself, less for a correction.
type alt struct {
	term   int32
	factor float32
}

// scored is an entry with its score, during selection.
type scored struct {
	entry int32
	score float64
}

func newScratch(phrasings, entries int) *scratch {
	return &scratch{phr: make([]phrAcc, phrasings), ent: make([]entAcc, entries)}
}

// Search finds the entries closest to question: the best first, then up to
// three runners-up, each with a confidence in [0,1].
func (b *Base) Search(question string) Result {
	if b.idx == nil {
		return Result{}
	}
	return b.idx.search(question)
}

func (x *index) search(question string) Result {
	s := x.scratch.Get().(*scratch)
	defer x.scratch.Put(s)
	s.gen++
	s.touchedP, s.touchedE = s.touchedP[:0], s.touchedE[:0]

	q2, a2 := x.analyse(question, s)
	if q2 == 0 {
		return Result{}
	}
	for i := range s.slots {
		sl := &s.slots[i]
		s.tag++
		for _, al := range s.alts[sl.lo:sl.hi] {
			x.add(s, al)
		}
	}

	g2 := 0.0
	if x.w.grams > 0 {
		g2 = x.addGrams(question, s)
	}

	// Score each phrasing touched, keeping each entry's best.
	wq := x.w.query
	for _, p := range s.touchedP {
		pa := &s.phr[p]
		dot := float64(pa.dot)
		covQ := dot / q2
		covP := math.Min(1, dot/float64(x.phrNorm[p]))
		sc64 := math.Pow(covQ, wq) * math.Pow(covP, 1-wq)
		if g2 > 0 {
			cos := float64(pa.grams) / math.Sqrt(g2*float64(x.grams.norm[p]))
			sc64 = (1-x.w.grams)*sc64 + x.w.grams*cos
		}
		sc := float32(sc64)
		e := x.phrEntry[p]
		ea := x.touch(s, e)
		if sc > ea.best {
			ea.best, ea.bestPhr = sc, p
		}
	}

	s.top = s.top[:0]
	for _, e := range s.touchedE {
		ea := &s.ent[e]
		score := (1-x.w.pooled)*float64(ea.best) + x.w.pooled*float64(ea.pool.sum)/q2
		if a2 > 0 {
			score += x.w.answer * float64(ea.ans.sum) / math.Sqrt(a2)
		}
		s.top = pushTop(s.top, scored{entry: e, score: score})
	}

	r := Result{Candidates: make([]Candidate, 0, len(s.top))}
	for _, c := range s.top {
		conf := calibrate(c.score)
		e := x.entries[c.entry]
		phr := e.Question
		if ea := &s.ent[c.entry]; ea.bestPhr >= 0 {
			phr = x.phrText[ea.bestPhr]
		}
		r.Candidates = append(r.Candidates, Candidate{Entry: e, Confidence: conf, Phrasing: phr})
	}
	return r
}

// calibrate maps a raw score, the weighted share of the question and the
// phrasing that match, to a confidence in [0,1] whose threshold holds
// across knowledge bases.
func calibrate(score float64) float64 {
	return math.Sqrt(math.Min(1, math.Max(0, score)))
}

// touch returns entry e's accumulator, reset if this search has not yet
// touched it.
func (x *index) touch(s *scratch, e int32) *entAcc {
	ea := &s.ent[e]
	if ea.gen != s.gen {
		*ea = entAcc{gen: s.gen, bestPhr: -1}
		s.touchedE = append(s.touchedE, e)
	}
	return ea
}

// add adds one spelling of the current query word to every phrasing, entry
// and answer that holds it.
func (x *index) add(s *scratch, al alt) {
	w := float64(x.weight[al.term])
	c := float32(float64(al.factor) * w * w)
	lo, hi := x.phrPost.of(al.term)
	for _, p := range x.phrPost.ids[lo:hi] {
		pa := &s.phr[p]
		if pa.gen != s.gen {
			*pa = phrAcc{gen: s.gen}
			s.touchedP = append(s.touchedP, p)
		}
		if pa.tag != s.tag {
			pa.tag, pa.last = s.tag, c
			pa.dot += c
		} else if c > pa.last {
			pa.dot += c - pa.last
			pa.last = c
		}
	}
	lo, hi = x.poolPost.of(al.term)
	for i := lo; i < hi; i++ {
		x.touch(s, x.poolPost.ids[i]).pool.add(s.tag, c*x.poolFrac[i])
	}
	if x.w.answer > 0 {
		qa := al.factor * x.ansIDF[al.term]
		lo, hi = x.ansPost.of(al.term)
		for i := lo; i < hi; i++ {
			x.touch(s, x.ansPost.ids[i]).ans.add(s.tag, qa*x.ansWeight[i])
		}
	}
}

// addGrams adds the question's character n-grams to every phrasing that
// shares them and returns the squared norm of the question's grams.
func (x *index) addGrams(question string, s *scratch) float64 {
	g := &x.grams
	var g2 float64
	s.gramIDs = s.gramIDs[:0]
	s.buf = x.text.words(question, s.buf, func(word string) {
		s.gbuf = eachGram(word, s.gbuf, func(gram []byte) {
			id, ok := g.ids[string(gram)]
			if !ok {
				g2 += g.max * g.max * x.w.unknown * x.w.unknown
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
	for _, id := range s.gramIDs {
		w := g.weight[id]
		c := w * w
		lo, hi := g.post.of(id)
		for _, p := range g.post.ids[lo:hi] {
			pa := &s.phr[p]
			if pa.gen != s.gen {
				*pa = phrAcc{gen: s.gen}
				s.touchedP = append(s.touchedP, p)
			}
			pa.grams += c
		}
	}
	return g2
}

// pushTop keeps the maxCandidates best entries in top, best first.
func pushTop(top []scored, c scored) []scored {
	if c.score <= 0 {
		return top
	}
	if len(top) == maxCandidates && !better(c, top[len(top)-1]) {
		return top
	}
	if len(top) < maxCandidates {
		top = append(top, c)
	} else {
		top[len(top)-1] = c
	}
	for i := len(top) - 1; i > 0 && better(top[i], top[i-1]); i-- {
		top[i], top[i-1] = top[i-1], top[i]
	}
	return top
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
	s.seq, s.slots, s.alts = s.seq[:0], s.slots[:0], s.alts[:0]
	var unknown []string
	s.buf = a.words(question, s.buf, func(w string) {
		if t := a.lookup(w); t >= 0 {
			s.seq = append(s.seq, t)
			return
		}
		// Unknown words are numbered -2, -3, ... so that no phrase matches.
		s.seq = append(s.seq, int32(-2-len(unknown)))
		unknown = append(unknown, string([]byte(w)))
	})
	if len(a.phrases) > 0 {
		s.seq = a.joinPhrases(s.seq, s.seq[:0])
	}
	for i, t := range s.seq {
		if t >= 0 {
			if seen(s.seq[:i], t) {
				continue
			}
			s.alts = append(s.alts, alt{term: t, factor: 1})
			w := float64(x.weight[t])
			aw := float64(x.ansIDF[t])
			s.slots = append(s.slots, slot{lo: len(s.alts) - 1, hi: len(s.alts), weight: w, ansWeight: aw})
			continue
		}
		w := unknown[-2-t]
		lo := len(s.alts)
		var weight, ansWeight float64
		correct := func(t int32) {
			for _, al := range s.alts[lo:] {
				if al.term == t {
					return
				}
			}
			s.alts = append(s.alts, alt{term: t, factor: float32(x.w.typo)})
			weight = math.Max(weight, float64(x.weight[t]))
			ansWeight = math.Max(ansWeight, float64(x.ansIDF[t]))
		}
		a.typos.lookup(w, correct)
		if stem := a.lang.stem(w, false); stem != w {
			a.typos.lookup(stem, correct)
		}
		if len(s.alts) == lo {
			weight = x.w.unknown * x.maxWeight
			if a.lang.stop(w) || isNumber(w) {
				weight = x.w.stop * x.maxWeight
			}
			ansWeight = weight
		}
		s.slots = append(s.slots, slot{lo: lo, hi: len(s.alts), weight: weight, ansWeight: ansWeight})
	}
	for _, sl := range s.slots {
		q2 += sl.weight * sl.weight
		a2 += sl.ansWeight * sl.ansWeight
	}
	return q2, a2
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
const ambiguityGap = 0.005

func sortInt32(s []int32) { sort.Slice(s, func(i, j int) bool { return s[i] < s[j] }) }

func sortedKeys(m map[int32]int) []int32 {
	keys := make([]int32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortInt32(keys)
	return keys
}
