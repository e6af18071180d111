package bot

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkGroupTexts groups maxTexts distinct questions made of common
// words, the worst case for /faq unanswered.
func BenchmarkGroupTexts(b *testing.B) {
	words := []string{"how", "do", "i", "reset", "password", "vpn", "laptop", "printer", "holiday", "expense", "report",
		"office", "parking", "wifi", "email", "calendar", "invite", "payroll", "badge", "lost", "new", "order", "refund", "account"}
	r := rand.New(rand.NewPCG(1, 2))
	texts := make([]Unanswered, maxTexts)
	for i := range texts {
		n := 3 + r.IntN(6)
		s := ""
		for j := range n {
			if j > 0 {
				s += " "
			}
			s += words[r.IntN(len(words))]
		}
		texts[i] = Unanswered{Text: fmt.Sprintf("%s %d", s, i), Count: 1 + r.IntN(5), Last: time.Now()}
	}
	b.ResetTimer()
	for range b.N {
		groupTexts(texts)
	}
}
