package match

import (
	"math"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// weighedFile has pairs of entries whose questions share the words a user
// asks with: one's answer says its question's words again, the other's, a
// question of two content words, holds the user's other words.
const weighedFile = `version: 1
entries:
  - id: relate
    question: How does Spark relate to Hadoop?
    answer: Spark is compatible with Hadoop. Spark reads Hadoop data, runs on Hadoop clusters through YARN, and Hadoop users run Spark beside Hadoop MapReduce.
  - id: need
    question: What does Spark depend on?
    answer: Spark needs Java. Hadoop is not required, though a cluster needs a shared file system for its data.
  - id: offline
    question: Can the app be used offline?
    answer: Yes. The app keeps the last week of messages, so the app works offline, and the app syncs when it is back online.
  - id: privacy
    question: Where does my data go?
    answer: The app sends your messages over an encrypted connection, and none of them is stored on our servers.
  - id: cost
    question: What does the plan cost?
    answer: The plan costs five euros a month, billed yearly.
`

// TestWeighedAnswer asks questions whose words two entries' questions both
// hold, and whose other words only the right entry's answer holds: it comes
// first, where with every answer word weighed alike the entry whose
// answer repeats its question's words does. The best's confidence is the
// one the answers weighed alike give: the rule reorders, it does not make
// the matcher surer.
func TestWeighedAnswer(t *testing.T) {
	tests := []struct{ question, want, alike string }{
		{"is hadoop required for spark", "need", "relate"},
		{"can the app store messages on servers", "privacy", "offline"},
	}
	indexWith := func(held, fresh float64) *index {
		t.Helper()
		f, err := knowledge.Parse("weighed.yaml", []byte(weighedFile))
		if err != nil {
			t.Fatal(err)
		}
		w := defaultWeights()
		w.ansHeld, w.ansNew = held, fresh
		// The stated share moves the confidence by the best entry's own
		// words (see liftStated): left out, so that only this rule differs.
		w.stated = 0
		x, err := newIndexWeights(f, w)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	w := defaultWeights()
	weighed, alike := indexWith(w.ansHeld, w.ansNew), indexWith(1, 1)
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			r, ra := weighed.search(tt.question), alike.search(tt.question)
			best, ok := r.Best()
			if !ok || best.Entry.ID != tt.want {
				t.Fatalf("best is %+v, want %s", best, tt.want)
			}
			bestAlike, _ := ra.Best()
			if bestAlike.Entry.ID != tt.alike {
				t.Errorf("with answer words weighed alike, best is %s, want %s", bestAlike.Entry.ID, tt.alike)
			}
			if math.Abs(best.Confidence-bestAlike.Confidence) > 1e-6 {
				t.Errorf("confidence %.4f, with answer words weighed alike %.4f", best.Confidence, bestAlike.Confidence)
			}
			for i := 1; i < len(r.Candidates); i++ {
				if r.Candidates[i].Confidence > r.Candidates[i-1].Confidence {
					t.Errorf("candidate %d is more confident than candidate %d: %+v", i, i-1, r.Candidates)
				}
			}
		})
	}
}

// TestWeighedBounds checks what scoreBounds promises the searches that
// skip entries by it: every entry's weighed answer lies between its answer
// sum times the least weight and times the greatest, on questions that
// hold stop words, similar words and corrections.
func TestWeighedBounds(t *testing.T) {
	f, err := knowledge.Parse("weighed.yaml", []byte(weighedFile))
	if err != nil {
		t.Fatal(err)
	}
	team := loadTestBase(t, "testdata/team/kb.yaml")
	w := defaultWeights()
	least, most := min(w.ansHeld, w.ansNew, 1), max(w.ansHeld, w.ansNew, 1)
	for _, x := range []*index{mustIndex(t, f), team.idx} {
		for _, q := range []string{
			"is hadoop requird for spark",
			"can the app keep my mesages when offline",
			"how do i book a meeting room for the team",
			"where is the wifi password and how much does lunch cost",
			"what happens if i am late",
		} {
			s := x.scratch.get()
			x.searchWith(s, q)
			checked := 0
			for _, e := range s.touchedE {
				ea := &s.ent[e]
				if ea.ans.sum == 0 {
					continue
				}
				checked++
				v, sum := x.weighedAnswer(s, e), float64(ea.ans.sum)
				if v < least*sum-1e-6 || v > most*sum+1e-6 {
					t.Errorf("%q, entry %s: weighed answer %.4f outside [%.4f, %.4f]", q, x.entries[e].ID, v, least*sum, most*sum)
				}
			}
			if checked == 0 {
				t.Errorf("%q: no answer holds a word of it", q)
			}
			x.scratch.put(s)
		}
	}
}

// mustIndex indexes f at the default weights.
func mustIndex(t *testing.T, f *knowledge.File) *index {
	t.Helper()
	x, err := newIndex(f)
	if err != nil {
		t.Fatal(err)
	}
	return x
}
