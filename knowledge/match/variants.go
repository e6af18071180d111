package match

import "strings"

// americanSpelling returns the folded English word w in American spelling,
// by the regular patterns in which British and American spelling differ,
// so that both spellings of a word are one term: "colour" is "color",
// "organise" and "organisation" are "organize" and "organization",
// "analyse" is "analyze", "centre" is "center", "catalogue" is "catalog",
// "travelled" is "traveled". A rule needs a stem of three or more letters
// before the ending ("hour", "rise" and "rogue" stay as they are). Where it
// rewrites a word that has no other spelling ("devour", "exercise"), it
// rewrites it alike wherever it occurs, in the file and in questions, so
// the word still matches itself.
func americanSpelling(w string) string {
	for _, r := range spellingRules {
		for _, end := range r.endings {
			stem, ok := strings.CutSuffix(w, r.british+end)
			if ok && len(stem) >= 3 && r.applies(stem) {
				return stem + r.american + end
			}
		}
	}
	return w
}

// spellingRule rewrites the British letters of a word ending in british
// and then one of endings as american.
type spellingRule struct {
	british, american string
	endings           []string
	applies           func(stem string) bool
}

var spellingRules = []spellingRule{
	// colour, favourite, behavioural, neighbourhood, honourable
	{"our", "or", []string{"", "s", "ed", "ing", "ite", "ites", "able", "ably", "al", "ful", "less", "hood", "er", "ers", "y"}, anyStem},
	// organise, organisation, realised; a word with no -ize spelling
	// ("exercise") is rewritten alike wherever it occurs.
	{"is", "iz", []string{"e", "es", "ed", "ing", "er", "ers", "ation", "ations"}, anyStem},
	// analyse, paralysed
	{"ys", "yz", []string{"e", "es", "ed", "ing"}, anyStem},
	// centre, theatres, metre
	{"tre", "ter", []string{"", "s"}, anyStem},
	// catalogue, dialogues
	{"ogue", "og", []string{"", "s"}, anyStem},
	// travelled, cancelling, labeller: one l after an unstressed vowel,
	// which a stem with a vowel before its last one has.
	{"ll", "l", []string{"ed", "ing", "er", "ers"}, twoSyllables},
}

func anyStem(string) bool { return true }

// twoSyllables reports whether stem, which ends in the vowel before a
// doubled l, has another vowel before that one, after a consonant:
// "trave" and "cance" do, "fi" of "filled" and "insta" of "installed"
// do not count ("insta" has an "i" first, but "installed" keeps its two
// l's in American spelling, as "install" does: the stem must end in "e").
func twoSyllables(stem string) bool {
	last := stem[len(stem)-1]
	if last != 'e' {
		return false
	}
	return strings.ContainsAny(stem[:len(stem)-2], "aeiouy")
}
