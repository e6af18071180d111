package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestGroupTexts(t *testing.T) {
	at := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	u := func(text string, n int) Unanswered { return Unanswered{Text: text, Count: n, Last: at} }
	for _, tc := range []struct {
		name  string
		texts []Unanswered
		want  string // groups as "text×count[variants]", most asked first
	}{
		{"case and punctuation", []Unanswered{u("Reset password?", 2), u("reset password", 1)},
			"Reset password?×3[reset password]"},
		{"filler words", []Unanswered{u("how do I reset my password", 1), u("reset the password please", 1)},
			"how do I reset my password×2[reset the password please]"},
		{"typo", []Unanswered{u("where is the cafeteria", 3), u("where is the cafetria", 1)},
			"where is the cafeteria×4[where is the cafetria]"},
		{"plural and possessive", []Unanswered{u("canteen opening hours", 1), u("the canteen's opening hour", 1)},
			"canteen opening hours×2[the canteen's opening hour]"},
		{"different questions stay apart", []Unanswered{u("how do I reset my password", 2), u("how do I reset my email", 1), u("refund", 1)},
			"how do I reset my password×2[] how do I reset my email×1[] refund×1[]"},
		{"a later, bigger group comes first", []Unanswered{u("dog at work", 2), u("parking fees", 1), u("parking fee", 1), u("Parking fees", 1)},
			"parking fees×3[Parking fees parking fee] dog at work×2[]"},
		{"nothing but punctuation is dropped", []Unanswered{u("???", 4), u("ok", 1)}, "ok×1[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, g := range groupTexts(tc.texts) {
				got = append(got, fmt.Sprintf("%s×%d%v", g.Text, g.Count, g.Variants))
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestGroupKeysAreStable(t *testing.T) {
	at := time.Now()
	a := groupTexts([]Unanswered{{Text: "Reset password?", Count: 1, Last: at}})
	b := groupTexts([]Unanswered{{Text: "something else", Count: 5, Last: at}, {Text: "reset  PASSWORD", Count: 1, Last: at}})
	if len(a[0].Key) != keyLen || !isKey(a[0].Key) || a[0].Key != b[1].Key || a[0].Key == b[0].Key {
		t.Errorf("keys: %q, then %q and %q", a[0].Key, b[0].Key, b[1].Key)
	}
}

func TestParseDays(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"", 7, true}, {"30", 30, true}, {"14d", 14, true}, {"0", 0, false}, {"-3", 0, false}, {"lots", 0, false}, {"99999", 0, false}} {
		got, err := parseDays(tc.in, 7)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("parseDays(%q) = %d, %v", tc.in, got, err)
		}
	}
}
