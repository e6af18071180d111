package convert

import (
	"strings"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

func TestSlugID(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"How much does membership cost?", "membership-cost"},
		{"How many holiday days do I get per year?", "holiday-days-per-year"},
		{"Can I bring my dog to work?", "bring-dog-work"},
		{"Why is my card not working?", "card-not-working"},
		{"What's the wifi password?", "wifi-password"},
		{"I'm locked out of my account", "locked-out-account"},
		{"Does Russia endorse Hamas?", "russia-endorse-hamas"},
		{"What drives Russia’s support for Palestine?", "drives-russia-support-palestine"},
		{"How do I?", "how-do-i"},
		{"¿Qué?", "que"},
		{"Wann ist geöffnet?", "wann-ist-geoffnet"},
		{"Поддерживает ли Россия Палестину?", "podderzhivaet-li-rossiya-palestinu"},
		{"???", "entry"},
		{"Supercalifragilisticexpialidocious antidisestablishmentarianism words", "supercalifragilisticexpialidocious"},
	} {
		if got := slugID(tc.in, nil); got != tc.want {
			t.Errorf("slugID(%q) = %q; want %q", tc.in, got, tc.want)
		}
		if msg := knowledge.CheckID(slugID(tc.in, nil)); msg != "" {
			t.Errorf("slugID(%q) is not a valid id: %s", tc.in, msg)
		}
	}
}

func TestUniqueIDs(t *testing.T) {
	taken := map[string]bool{}
	for _, want := range []string{"a", "a-2", "a-3"} {
		if got := uniqueID("a", taken); got != want {
			t.Errorf("uniqueID = %q; want %q", got, want)
		}
	}
	long := strings.Repeat("x", knowledge.MaxIDLen)
	lines := map[string]int{long: 3}
	if got := freeID(long, lines); len(got) != knowledge.MaxIDLen || !strings.HasSuffix(got, "-2") {
		t.Errorf("freeID of a taken id of the longest length = %q; want one as long, ending in -2", got)
	}
	if got := cleanID(" what is this? "); got != "what-is-this" {
		t.Errorf("cleanID = %q", got)
	}
}
