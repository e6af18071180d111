package knowledge

import (
	"reflect"
	"testing"
)

// TestReadings checks how the words of a question that the knowledge file
// lacks are read: as corrections of a typo, as words of similar meaning,
// or, when neither, not at all.
func TestReadings(t *testing.T) {
	b := loadTestBase(t, "testdata/match/kb.yaml")
	tests := []struct {
		question string
		want     []Reading
	}{
		{"What is the wifi password?", nil},
		{"what is the wifi pasword", []Reading{{Word: "pasword", As: []string{"password"}}}},
		{"is there a garage", []Reading{{Word: "garage", As: []string{"basement", "park"}, Similar: true}}},
		{"Where is the CAFETERIA, and the pasword?", []Reading{
			{Word: "cafeteria", As: []string{"canteen"}, Similar: true},
			{Word: "pasword", As: []string{"password"}},
		}},
		{"is there a zzyzx", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := b.Readings(tt.question); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Readings(%q) = %+v, want %+v", tt.question, got, tt.want)
		}
	}
}
