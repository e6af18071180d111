package match

import (
	"slices"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

func ids(es []*knowledge.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestList(t *testing.T) {
	b := loadTestBase(t, "testdata/match/kb.yaml")
	tests := []struct {
		filter string
		want   []string
	}{
		{"", []string{"wifi-password", "parking", "vacation-days", "expenses", "printer", "lunch", "office-hours", "laptop-request"}},
		{"  ", []string{"wifi-password", "parking", "vacation-days", "expenses", "printer", "lunch", "office-hours", "laptop-request"}},
		{"printer", []string{"printer"}},
		{"laptop", []string{"laptop-request"}},
		{"lunch", []string{"lunch"}},
		{"zzzz", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			if got := ids(b.List(tt.filter)); !slices.Equal(got, tt.want) {
				t.Errorf("List(%q) = %q, want %q", tt.filter, got, tt.want)
			}
		})
	}
}

func TestComplete(t *testing.T) {
	b := loadTestBase(t, "testdata/match/kb.yaml")
	tests := []struct {
		partial string
		n       int
		want    []string
	}{
		{"", 2, []string{"wifi-password", "parking"}},
		{"prin", 3, []string{"printer"}},
		{"wifi", 1, []string{"wifi-password"}},
		{"how do i get a new lap", 1, []string{"laptop-request"}},
		{"where can i park my", 2, []string{"parking"}},
		{"anything", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.partial, func(t *testing.T) {
			got := ids(b.Complete(tt.partial, tt.n))
			if len(got) > tt.n {
				t.Fatalf("Complete(%q, %d) = %d entries", tt.partial, tt.n, len(got))
			}
			if len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
				t.Errorf("Complete(%q, %d) = %q, want it to start with %q", tt.partial, tt.n, got, tt.want)
			}
		})
	}
}
