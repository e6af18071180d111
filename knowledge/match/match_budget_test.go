package match

import (
	"fmt"
	"strings"
	"testing"
)

// TestBudgetWordsFirst asks a file whose products are each asked the same
// questions, the product's name in every one, with a search budget too
// small to read every posting, as in a file of 100,000 entries: a
// question still finds its own entry, because the search spends its
// budget on the question's words before their n-grams, and not on the
// product's name and its n-grams alone, which all its entries share.
func TestBudgetWordsFirst(t *testing.T) {
	verbs := []string{"reset", "change", "cancel", "renew", "share", "export"}
	nouns := []string{"password", "card", "account", "plan", "invoice", "address", "email", "device", "licence", "profile"}
	products := []string{"Bababa", "Zorvexa", "Quillon", "Mavrik"}
	var b strings.Builder
	b.WriteString("version: 1\nentries:\n")
	// General tips that name every verb and noun, so that each is in more
	// entries than a product's name is, as common words are.
	for i := range 40 {
		fmt.Fprintf(&b, "  - id: tip-%d\n    question: Tip %d on how to %s a %s\n", i, i, strings.Join(verbs, " or "), strings.Join(nouns, " or "))
		fmt.Fprintf(&b, "    answer: See the handbook, page %d.\n", i)
	}
	for _, p := range products {
		for _, v := range verbs {
			for _, o := range nouns {
				fmt.Fprintf(&b, "  - id: %s-%s-%s\n    question: How do I %s my %s in %s?\n", strings.ToLower(p), v, o, v, o, p)
				fmt.Fprintf(&b, "    alternates:\n      - Can I %s the %s %s?\n", v, p, o)
				fmt.Fprintf(&b, "    answer: Open %s and choose %s, then %s.\n", p, o, v)
			}
		}
	}
	x, err := parse("products.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	cost := func(w string) int32 {
		t := x.idx.text.lookup(w)
		return x.idx.phrPost.size(t) + x.idx.poolPost.size(t)
	}
	// Enough for a product's name, a verb and a noun, but less than the
	// name's n-grams, each cheaper than any of those words.
	x.idx.budget = cost("bababa") + cost("reset") + cost("card")
	tests := []struct{ question, want string }{
		{"How do I reset my card in Bababa?", "bababa-reset-card"},
		{"can i renew the zorvexa plan", "zorvexa-renew-plan"},
		{"export my address in Mavrik", "mavrik-export-address"},
		{"how do i share my device in quillon", "quillon-share-device"},
		{"Can I change the Bababa licence?", "bababa-change-licence"},
		{"cancel my Zorvexa profile", "zorvexa-cancel-profile"},
	}
	for _, tt := range tests {
		wantFirst(t, x, tt.question, tt.want)
		// The budget goes to words before n-grams: no word is left out
		// while an n-gram is read.
		s := newScratch(len(x.idx.phrEntry), len(x.idx.entries), len(x.idx.weight))
		x.idx.analyse(tt.question, s)
		x.idx.gramsOf(tt.question, s)
		x.idx.plan(s)
		wordLeft, gramRead := false, false
		for _, f := range s.feats {
			wordLeft = wordLeft || !f.gram && f.deferred
			gramRead = gramRead || f.gram && !f.deferred
		}
		if wordLeft && gramRead {
			t.Errorf("%q: a word was left out of the search while an n-gram was read", tt.question)
		}
	}
}
