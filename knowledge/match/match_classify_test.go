package match

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// TestClassifier checks when a classifier is trained, and that it is what
// ranks the right entry first on testdata/classify, where the words of
// the question alone point at a near neighbour.
func TestClassifier(t *testing.T) {
	f := loadBenchFile(t, "testdata/classify/kb.yaml")
	best := func(w weights, question string) (string, float64) {
		t.Helper()
		x, err := newIndexWeights(f, w)
		if err != nil {
			t.Fatal(err)
		}
		r := x.search(question)
		for _, c := range r.Candidates {
			if c.Confidence <= 0 {
				t.Errorf("%q: candidate %s at confidence %v", question, c.Entry.ID, c.Confidence)
			}
		}
		if len(r.Candidates) == 0 {
			return "", 0
		}
		return r.Candidates[0].Entry.ID, r.Candidates[0].Confidence
	}
	const question = "my card won't work"
	off := defaultWeights()
	off.classifier = 0
	if id, conf := best(off, question); id != "virtual-card-not-working" {
		t.Errorf("%q without the classifier: %s (%.3f); want virtual-card-not-working, or the test proves nothing", question, id, conf)
	}
	if id, conf := best(defaultWeights(), question); id != "card-not-working" {
		t.Errorf("%q: %s (%.3f), want card-not-working", question, id, conf)
	}

	// Trained only where it can help and costs little.
	// 1,100 entries of two phrasings: 2,420,000 phrasings times entries.
	wide := &knowledge.File{Version: 1}
	for i := range 1100 {
		wide.Entries = append(wide.Entries, knowledge.Entry{ID: fmt.Sprint("e", i), Question: fmt.Sprint("question ", i), Alternates: []string{fmt.Sprint("another ", i)}, Answer: "a"})
	}
	// 300 entries of two phrasings: 60,000 phrasings times entries, but
	// 18,000,000 with 100 features of meaning.
	meaningless := &knowledge.File{Version: 1, Entries: wide.Entries[:300]}
	tests := []struct {
		name           string
		file           *knowledge.File
		want, meanings bool
	}{
		{"five phrasings an entry", f, true, true},
		{"one phrasing an entry", loadBenchFile(t, "testdata/team/kb.yaml"), false, false},
		{"more work than maxClassifierWork", wide, false, false},
		{"more work than maxMeaningWork", meaningless, true, false},
		{"a language without word vectors", loadBenchFile(t, "testdata/de/kb.yaml"), true, false},
	}
	for _, tt := range tests {
		x, err := newIndexWeights(tt.file, defaultWeights())
		if err != nil {
			t.Fatal(err)
		}
		if got := x.classifier != nil; got != tt.want {
			t.Errorf("%s: classifier trained %v, want %v", tt.name, got, tt.want)
		}
		if got := x.classifier != nil && x.classifier.words != nil; got != tt.meanings {
			t.Errorf("%s: features of meaning %v, want %v", tt.name, got, tt.meanings)
		}
	}
}

// TestClassifierDeterministic builds a file several times: each build
// trains the same classifier, though a stem's forms ("transfer",
// "transfers", "transferred", "transferring") sum into its vector and the
// vocabulary is a map, iterated in a different order each time.
func TestClassifierDeterministic(t *testing.T) {
	f := &knowledge.File{Version: 1, Entries: []knowledge.Entry{
		{ID: "transfer", Question: "How do I transfer money?", Alternates: []string{"Transfers to another bank", "I transferred money to a friend", "Is transferring free?"}, Answer: "a"},
		{ID: "charges", Question: "Why was I charged?", Alternates: []string{"What are the charges?", "Charging fees for cards", "Do you charge for cards?"}, Answer: "b"},
		{ID: "cards", Question: "Where is my card?", Alternates: []string{"My cards have not arrived", "Carding problems", "Card delivery"}, Answer: "c"},
	}}
	var first []float32
	for i := range 20 {
		x, err := newIndexWeights(f, defaultWeights())
		if err != nil {
			t.Fatal(err)
		}
		if x.classifier == nil || x.classifier.words == nil {
			t.Fatal("no classifier with features of meaning")
		}
		if i == 0 {
			first = x.classifier.w
			continue
		}
		if !slices.Equal(x.classifier.w, first) {
			t.Fatalf("build %d trained other weights than the first", i+1)
		}
	}
}

// TestClassifierMeaning asks testdata/meaning, where each entry is asked
// "where can I buy", "do you sell" and "I want" something, for things no
// phrasing names: the meaning of the question's words ("mango" is
// fruit, "concert passes" are tickets) ranks the right entry first, which
// the words alone do not.
func TestClassifierMeaning(t *testing.T) {
	f := loadBenchFile(t, "testdata/meaning/kb.yaml")
	tests := []struct{ question, want string }{
		{"I want a mango", "fruit"},
		{"do you sell concert passes", "tickets"},
	}
	for _, meaning := range []float64{0, defaultWeights().meaning} {
		w := defaultWeights()
		w.meaning = meaning
		x, err := newIndexWeights(f, w)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			r := x.search(tt.question)
			got := "-"
			if len(r.Candidates) > 0 {
				got = r.Candidates[0].Entry.ID
			}
			switch {
			case meaning > 0 && got != tt.want:
				t.Errorf("%q: %s first, want %s", tt.question, got, tt.want)
			case meaning == 0 && got == tt.want:
				t.Errorf("%q without features of meaning: %s first already; the test proves nothing", tt.question, got)
			}
		}
	}
}

// TestClassifierFeatures analyses questions as a search does and compares
// the classifier's features: a misspelt word counts as the word it
// corrects (the typo discount lowers the confidence, not the ranking), its
// n-grams as the correction's, and a word read through its similar words
// counts less than the word itself.
func TestClassifierFeatures(t *testing.T) {
	x, err := newIndexWeights(loadBenchFile(t, "testdata/classify/kb.yaml"), defaultWeights())
	if err != nil {
		t.Fatal(err)
	}
	features := func(question string) map[int32]float32 {
		t.Helper()
		s := x.scratch.get()
		defer x.scratch.put(s)
		x.analyse(question, s)
		x.gramsOf(question, s)
		if !x.classifierFeatures(s) {
			t.Fatalf("%q: no features", question)
		}
		out := map[int32]float32{}
		for i, term := range s.qTerms {
			out[term] = s.qVals[i]
		}
		return out
	}
	near := func(a, b float32) bool { return a-b < 1e-6 && b-a < 1e-6 }
	right, typo := features("my virtual card does not work"), features("my virtal card does not work")
	if len(right) != len(typo) {
		t.Fatalf("%d features with the typo, %d without", len(typo), len(right))
	}
	for term, v := range right {
		if !near(typo[term], v) {
			t.Errorf("feature %d: %v with the typo, %v without", term, typo[term], v)
		}
	}
	virtual := x.text.lookup("virtual")
	if v := typo[virtual]; v == 0 {
		t.Fatalf("the correction of %q is not among the features", "virtal")
	}
	// Its character n-grams are features too, past its words and their
	// meaning.
	grams := 0
	for term := range right {
		if term >= x.classifier.firstGram {
			grams++
		}
	}
	if x.classifier.letters == 0 || grams == 0 {
		t.Errorf("%d features of spelling (letters %v); want some", grams, x.classifier.letters)
	}
	// "denied" is not in the file, and reads as "rejected" (similar in
	// meaning), which is.
	own, read := features("my card was rejected"), features("my card was denied")
	rejected := x.text.lookup("rejected")
	if own[rejected] == 0 || read[rejected] == 0 || read[rejected] >= own[rejected] {
		t.Errorf("rejected: %v as itself, %v read from denied; want less, but some", own[rejected], read[rejected])
	}
}

// TestClassifierOpinion checks how the classifier's probability of the
// best candidate's entry moves the confidences: up a little when likely,
// down when improbable; and, through a search, that every candidate moves
// by the same amount, so that their order and gaps stay.
func TestClassifierOpinion(t *testing.T) {
	c := &classifier{opinionWeight: 0.15}
	tests := []struct {
		p    float32
		want float64
	}{
		{0, -0.15 * 0.25},
		{0.1, -0.15 * 0.15},
		{0.25, 0},
		{0.3, 0.15 * 0.05},
		{0.9, 0.15 * 0.05},
	}
	for _, tt := range tests {
		if got := c.opinion(tt.p); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("opinion(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}

	f := loadBenchFile(t, "testdata/classify/kb.yaml")
	without := defaultWeights()
	without.opinion = 0
	x0, err := newIndexWeights(f, without)
	if err != nil {
		t.Fatal(err)
	}
	x, err := newIndexWeights(f, defaultWeights())
	if err != nil {
		t.Fatal(err)
	}
	const question = "my card won't work" // card-not-working, and the classifier is sure
	r0, r := x0.search(question), x.search(question)
	if len(r.Candidates) < 2 || len(r.Candidates) != len(r0.Candidates) {
		t.Fatalf("%q: %d candidates, %d without the opinion; want the same, two or more", question, len(r.Candidates), len(r0.Candidates))
	}
	for i, cand := range r.Candidates {
		want := min(1, r0.Candidates[i].Confidence+0.15*0.05)
		if cand.Entry != r0.Candidates[i].Entry || math.Abs(cand.Confidence-want) > 1e-6 {
			t.Errorf("%q: candidate %d is %s %.4f, want %s %.4f", question, i, cand.Entry.ID, cand.Confidence, r0.Candidates[i].Entry.ID, want)
		}
	}
}

// TestClassifierCandidates asks chitchat-professional's knowledge file
// questions whose right entry the words alone rank below the fourth: with
// a classifier a search ranks classifierCandidates entries, and the
// classifier lifts the right one to first; ranking four, it is not even
// among the candidates.
func TestClassifierCandidates(t *testing.T) {
	f := loadBenchFile(t, filepath.Join(benchDir(t), "chitchat-professional", "kb.yaml"))
	x, err := newIndexWeights(f, defaultWeights())
	if err != nil {
		t.Fatal(err)
	}
	if x.classifier == nil || x.candidates != classifierCandidates {
		t.Fatalf("classifier %v, %d candidates ranked; want one, and %d", x.classifier != nil, x.candidates, classifierCandidates)
	}
	tests := []struct{ question, want string }{
		{"I'm going to bed", "have-yourself-a-good-night"},
		{"What do you think about AI?", "how-do-you-feel-about-artificial-intelligence"},
	}
	for _, tt := range tests {
		x.candidates = classifierCandidates
		got := "nothing"
		if r := x.search(tt.question); len(r.Candidates) > 0 {
			got = r.Candidates[0].Entry.ID
		}
		if got != tt.want {
			t.Errorf("%q: %s first, want %s", tt.question, got, tt.want)
		}
		x.candidates = maxCandidates
		for _, c := range x.search(tt.question).Candidates {
			if c.Entry.ID == tt.want {
				t.Errorf("%q: %s among four candidates ranked alone; the test proves nothing", tt.question, tt.want)
			}
		}
	}
}
