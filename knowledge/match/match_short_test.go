package match

import (
	"slices"
	"testing"
)

// TestShortForms reads question words that the file lacks as short forms
// of its words: acronyms of its questions' and headings' runs of words,
// numeronyms and prefixes, where they stand for few words, and never a
// common word of the language.
func TestShortForms(t *testing.T) {
	x := loadTestBase(t, "testdata/short/kb.yaml").idx
	tests := []struct {
		word string
		want []string // the file's words it stands for, one of each term
	}{
		{"ghes", []string{"github", "enterprise", "server"}}, // "GitHub Enterprise Server"
		{"gh", []string{"github"}},                           // the parts of "GitHub"
		{"doh", []string{"department", "health"}},            // "Department of Health", a section
		{"dh", []string{"department", "health"}},             // the same without "of"
		{"k8s", []string{"kubernetes"}},                      // k, 8 letters, s
		{"org", []string{"organization"}},
		{"vids", []string{"videos"}}, // "vid" of "videos"
		{"docs", []string{"documentation"}},
		{"buy", nil},                               // a common word means itself, not "Buycraft"
		{"re", nil},                                // too short for a prefix
		{"k9s", nil},                               // no word of eleven letters from k to s
		{"rec", []string{"recorded", "recommend"}}, // two words: both
		{"pub", nil},                               // a common word: a bar, not "publish"
		{"se", nil},                                // initials of nothing
	}
	for _, tt := range tests {
		var got []int32
		x.shortForms().read(tt.word, x.common(tt.word), func(t int32) { got = append(got, t) })
		var want []int32
		for _, w := range tt.want {
			want = append(want, x.text.lookup(w))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("read(%q) = terms %v, want %v (%q)", tt.word, got, want, tt.want)
		}
	}
}

// TestShortFormQuestions asks in chat's short forms: each finds the entry
// its long form would, and a common word that starts a longer word of the
// file still means itself.
func TestShortFormQuestions(t *testing.T) {
	b := loadTestBase(t, "testdata/short/kb.yaml")
	tests := []struct {
		question, want string
	}{
		{"ghes licensing?", "enterprise-server"},
		{"deploy docs to gh pages", "pages"},
		{"grid on k8s?", "kubernetes"},
		{"where do my vids go", "videos"},
		{"how r org accounts billed", "organizations"},
		{"where do i buy a licence", "purchase"},
		{"can u tell me who answers abt vaccines", "departments"},
	}
	for _, tt := range tests {
		wantFirst(t, b, tt.question, tt.want)
	}
}

// wantFirst fails t unless b's best candidate for question is the entry
// want.
func wantFirst(t *testing.T, b *Index, question, want string) {
	t.Helper()
	r := b.Search(question)
	if len(r.Candidates) == 0 || r.Candidates[0].Entry.ID != want {
		var got []string
		for _, c := range r.Candidates {
			got = append(got, c.Entry.ID)
		}
		t.Errorf("Search(%q) = %q, want %s first", question, got, want)
	}
}
