package match

import (
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// bridgeFile is a small FAQ whose answers say in their own words what the
// questions below ask in others.
const bridgeFile = `version: 1
entries:
  - id: maps
    question: Which maps can I use?
    answer: Street maps, and satellite photos of the whole region, updated monthly.
  - id: shipping
    question: Where do you deliver?
    answer: We deliver to every address in the country, and ship international orders by post.
  - id: returns
    question: How do I send an order back?
    answer: Print the label from your account and drop the parcel at any post office.
  - id: hours
    question: When is the shop open?
    answer: From nine to six on weekdays.
`

// TestBridge asks questions whose key word the file has only in a word of
// similar meaning that the language's nearest words do not list: through
// the word vectors each finds its entry first, and more confident than
// without them.
func TestBridge(t *testing.T) {
	tests := []struct{ question, want string }{
		{"aerial imagery", "maps"},
		{"can you ship overseas", "shipping"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			var conf [2]float64 // with and without the bridge
			for i, bridged := range []bool{true, false} {
				w := defaultWeights()
				if !bridged {
					w.bridge = 0
				}
				f, err := knowledge.Parse("bridge.yaml", []byte(bridgeFile))
				if err != nil {
					t.Fatal(err)
				}
				b, err := NewWithWeights(f, w)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range b.Search(tt.question).Candidates {
					if c.Entry.ID == tt.want {
						conf[i] = c.Confidence
					}
				}
				if best, _ := b.Search(tt.question).Best(); bridged && best.Entry.ID != tt.want {
					t.Errorf("best is %s (%.2f), want %s", best.Entry.ID, best.Confidence, tt.want)
				}
			}
			if conf[0] <= conf[1] {
				t.Errorf("%s: confidence %.2f bridged, %.2f not", tt.want, conf[0], conf[1])
			}
		})
	}
}
