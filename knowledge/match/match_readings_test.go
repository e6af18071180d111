package match

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
		// Misspellings of words the file lacks, read through the
		// dictionary: as the word misspelt, whose stem the file has, or
		// as the words of similar meaning to it.
		// ("garrage" is one letter from "garage", "garbage" and
		// "barrage": no guess.)
		{"can I get reimbursemnet", []Reading{{Word: "reimbursemnet", As: []string{"reimbursed"}}}},
		{"where is the cafetria", []Reading{{Word: "cafetria", As: []string{"canteen"}, Similar: true, Spelt: "cafeteria"}}},
		{"is there a garrage", nil},
		{"is there a zzyzx", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := b.Readings(tt.question); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Readings(%q) = %+v, want %+v", tt.question, got, tt.want)
		}
	}

	// The table lists "be" among the words similar to "human"; a stop word
	// of the file is never what a word means.
	b, err := parse("volunteer.yaml", []byte(`version: 1
entries:
  - id: volunteer
    question: How can I be a volunteer?
    answer: Write to the volunteers' desk.
  - id: animals
    question: Can I bring animals?
    answer: Dogs on a leash only.
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Reading{{Word: "human", As: []string{"animals"}, Similar: true}}
	if got := b.Readings("can I bring a human"); !reflect.DeepEqual(got, want) {
		t.Errorf("Readings with a stop word among the similar words = %+v, want %+v", got, want)
	}

	// A stop word the file lacks is spelt right: "where" is not a typo of
	// "there", though one letter from it.
	b, err = parse("parking.yaml", []byte(`version: 1
entries:
  - id: parking
    question: Is there parking?
    answer: Behind the building.
  - id: canteen
    question: When does the canteen open?
    answer: At noon.
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Readings("where is the canteen"); got != nil {
		t.Errorf("Readings of a stop word the file lacks = %+v, want none", got)
	}
}

// TestReadingForms reads short forms and compounds as such, for /faq why.
func TestReadingForms(t *testing.T) {
	tests := []struct {
		file, question string
		want           []Reading
	}{
		{"testdata/short/kb.yaml", "grid on k8s?", []Reading{{Word: "k8s", As: []string{"kubernetes"}, Form: FormShort}}},
		{"testdata/short/kb.yaml", "where are my vids", []Reading{{Word: "vids", As: []string{"video"}, Form: FormShort}}},
		{"testdata/compound/kb.yaml", "welche werte", []Reading{{Word: "werte", As: []string{"standardwerten"}, Form: FormHead}}},
		{"testdata/compound/kb.yaml", "passwortregeln", []Reading{{Word: "passwortregeln", As: []string{"regeln"}, Form: FormCompound}}},
	}
	for _, tt := range tests {
		b := loadTestBase(t, tt.file)
		if got := b.Readings(tt.question); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Readings(%q) = %+v, want %+v", tt.file, tt.question, got, tt.want)
		}
	}
}
