package match

import "testing"

// TestCompoundHeads asks a German file, whose language writes compounds as
// one word, with the heads of its compounds and with compounds of its
// words: "Adresse" finds "Mailadresse", "Passwortregeln" finds "Regeln".
func TestCompoundHeads(t *testing.T) {
	b := loadTestBase(t, "testdata/compound/kb.yaml")
	tests := []struct {
		question, want string
	}{
		{"adresse ändern", "mailadresse"},
		{"was sind die passwortregeln", "regeln"},
		{"muss ich die werte nehmen", "standardwerte"},
		{"rechnungsdatum", "rechnung"},
		{"groß- und kleinschreibung", "schreibweise"},
	}
	for _, tt := range tests {
		wantFirst(t, b, tt.question, tt.want)
	}
	// "Groß-" is the first part of "Großschreibung", not "groß": the
	// question says nothing of large attachments.
	for _, c := range b.Search("groß- und kleinschreibung").Candidates {
		if c.Entry.ID == "grosse-anhaenge" {
			t.Errorf("groß- und kleinschreibung: candidate %s (%.3f)", c.Entry.ID, c.Confidence)
		}
	}
	h := b.idx.compoundHeads()
	for _, tt := range []struct {
		head string
		want int
	}{
		{"adress", 1}, // "mailadress"
		{"wert", 1},   // "standardwert"
		{"mail", 0},   // "mail" itself is not a compound of it
		{"e", 0},      // too short to be a head
	} {
		n := 0
		h.compounds(tt.head, func(int32) { n++ })
		if n != tt.want {
			t.Errorf("compounds(%q) = %d, want %d", tt.head, n, tt.want)
		}
	}
}
