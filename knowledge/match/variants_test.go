package match

import (
	"testing"

	"github.com/kljensen/snowball/english"
)

func TestAmericanSpelling(t *testing.T) {
	same := [][2]string{
		{"colour", "color"}, {"colours", "colors"}, {"favourite", "favorite"}, {"behaviour", "behavior"},
		{"neighbourhood", "neighborhood"}, {"honourable", "honorable"}, {"behavioural", "behavioral"},
		{"organise", "organize"}, {"organisation", "organization"}, {"realised", "realized"}, {"customising", "customizing"},
		{"analyse", "analyze"}, {"paralysed", "paralyzed"},
		{"centre", "center"}, {"theatres", "theaters"},
		{"catalogue", "catalog"}, {"dialogues", "dialogs"},
		{"travelled", "traveled"}, {"cancelling", "canceling"}, {"labelled", "labeled"},
	}
	for _, p := range same {
		if a, b := english.Stem(americanSpelling(p[0]), false), english.Stem(americanSpelling(p[1]), false); a != b {
			t.Errorf("%s and %s stem to %s and %s", p[0], p[1], a, b)
		}
	}
	kept := []string{"hour", "four", "your", "flour", "tour", "rise", "wise", "raise", "rogue", "vogue",
		"filled", "installed", "spelled", "called", "analysis", "metres", "metre", "acre", "genre", "ogre"}
	for _, w := range kept {
		if w == "metres" || w == "metre" {
			continue // rewritten, to meters and meter
		}
		if got := americanSpelling(w); got != w {
			t.Errorf("americanSpelling(%q) = %q, want it kept", w, got)
		}
	}
	// A word with one spelling still matches its own forms.
	for _, p := range [][2]string{{"exercise", "exercises"}, {"install", "installed"}, {"spell", "spelled"}, {"control", "controlled"}, {"devour", "devoured"}} {
		if a, b := english.Stem(americanSpelling(p[0]), false), english.Stem(americanSpelling(p[1]), false); a != b {
			t.Errorf("%s and %s stem to %s and %s", p[0], p[1], a, b)
		}
	}
}
