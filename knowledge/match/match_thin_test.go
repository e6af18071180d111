package match

import (
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// thinFile is a small handbook whose headings are statements of a word or
// two: what a reader asks is in the answers.
const thinFile = `version: 1
entries:
  - id: recording
    question: Lectures
    answer: Lectures are recorded and the recordings are posted on the course page within a day. You may not record a lecture yourself.
  - id: appeals
    question: Grade disputes
    answer: To appeal a mark, write to the course organiser within two weeks of its publication, saying which part you dispute and why.
  - id: late
    question: Late submissions
    answer: Work handed in after the deadline loses ten percent of its mark for each day late, unless an extension was granted.
  - id: rooms
    question: Where is the timetable with the rooms, times and teachers of every seminar and tutorial this term?
    answer: The timetable lists the rooms.
`

// TestThinQuestion asks of entries whose questions are short headings
// things said only in their answers: each finds its entry first, more
// confident than when the answer counts as for any question, and an
// entry whose question has thinFrom content words or more keeps its
// answer weight.
func TestThinQuestion(t *testing.T) {
	tests := []struct{ question, want string }{
		{"can i record the lecture", "recording"},
		{"how do i appeal my mark", "appeals"},
		{"what happens if i hand in work after the deadline", "late"},
	}
	indexWith := func(thin float64) *index {
		t.Helper()
		f, err := knowledge.Parse("thin.yaml", []byte(thinFile))
		if err != nil {
			t.Fatal(err)
		}
		w := defaultWeights()
		w.thin = thin
		x, err := newIndexWeights(f, w)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	thin, flat := indexWith(defaultWeights().thin), indexWith(0)
	if got := thin.thinness(3); got != 1 {
		t.Errorf("thinness of a question of %g content words: %.2f, want 1", thin.contentWords(thin.entPhr[3]), got)
	}
	if got := thin.thinness(0); got <= 1 {
		t.Errorf("thinness of a one-word heading: %.2f, want more than 1", got)
	}
	confidence := func(x *index, question, id string) float64 {
		for _, c := range x.search(question).Candidates {
			if c.Entry.ID == id {
				return c.Confidence
			}
		}
		return 0
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			r := thin.search(tt.question)
			if best, ok := r.Best(); !ok || best.Entry.ID != tt.want {
				t.Fatalf("best is %+v, want %s", best, tt.want)
			}
			if a, b := confidence(thin, tt.question, tt.want), confidence(flat, tt.question, tt.want); a <= b {
				t.Errorf("%s: confidence %.2f with thin headings weighed, %.2f without", tt.want, a, b)
			}
		})
	}
}
