package match

// A Reading is how the matcher read a word of a question that the
// knowledge file does not have: as a misspelling of some of its words, or
// as meaning what some of its words mean.
type Reading struct {
	// Word is the question's word, folded to lower case.
	Word string
	// As lists the knowledge file's words it was read as: the corrections
	// of its typo, or the words of similar meaning, nearest first.
	As []string
	// Similar says that As are words of similar meaning, not corrections.
	Similar bool
	// Form, when not "", says that Word stands for As in another way than
	// a typo: FormShort, FormHead or FormCompound.
	Form string
	// Spelt is the word of the language's dictionary that Word misspells
	// when As are that word's words of similar meaning: "garrage", spelt
	// "garage", read as "basement" and "park".
	Spelt string
}

// The forms of a Reading.
const (
	// FormShort is a short form of As: an acronym ("ghes"), a numeronym
	// ("k8s") or a prefix ("org").
	FormShort = "a short form"
	// FormHead is the head of the compounds As ("Adresse" of
	// "Mailadresse").
	FormHead = "the last part of a compound"
	// FormCompound is a compound whose head is As ("Mailadresse" of
	// "Adresse").
	FormCompound = "a compound"
)

// maxReadAs is the most words a Reading lists a question word as.
const maxReadAs = 3

// Readings returns how the matcher reads the words of question that the
// knowledge file does not have, in the question's order; the words it
// reads as none of the file's are left out. `/faq why` shows them, so
// that a knowledge file's owner sees a misreading and can add the word.
func (b *Index) Readings(question string) []Reading {
	if b.idx == nil {
		return nil
	}
	x := b.idx
	s := x.scratch.get()
	defer x.scratch.put(s) // analyse leaves nothing a search relies on
	x.analyse(question, s)
	// The words the base lacks that were read as some of its terms, each
	// with those terms, closest first; then the terms spelt as words.
	var read []slot
	var terms []int32
	for _, sl := range s.slots {
		if sl.word != "" && sl.hi > sl.lo {
			sl.hi = min(sl.hi, sl.lo+maxReadAs)
			read = append(read, sl)
			for _, al := range s.alts[sl.lo:sl.hi] {
				terms = append(terms, al.term)
			}
		}
	}
	if len(read) == 0 {
		return nil
	}
	spelt := x.text.spellings(terms)
	out := make([]Reading, len(read))
	for i, sl := range read {
		out[i] = Reading{Word: sl.word, Similar: s.alts[sl.lo].similar, Form: s.alts[sl.lo].form}
		if sl.meant != sl.word {
			out[i].Spelt = sl.meant
		}
		for _, al := range s.alts[sl.lo:sl.hi] {
			out[i].As = append(out[i].As, spelt[al.term])
		}
	}
	return out
}

// spellings returns a word of the knowledge file for each of terms, which
// are stems or synonym groups: the shortest of the words it has for each,
// the first in alphabetical order of those as short.
func (a *analyzer) spellings(terms []int32) map[int32]string {
	out := make(map[int32]string, len(terms))
	for _, t := range terms {
		out[t] = ""
	}
	for w, t := range a.surface {
		cur, ok := out[t]
		if ok && (cur == "" || len(w) < len(cur) || len(w) == len(cur) && w < cur) {
			out[t] = w
		}
	}
	return out
}
