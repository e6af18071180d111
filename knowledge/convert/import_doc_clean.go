package convert

import (
	"path/filepath"
	"strings"
	"unicode"

	"github.com/faqbot/faqbot/internal/lazyregexp"
	"github.com/faqbot/faqbot/knowledge"
)

// takeTitle takes the document's title from its blocks: the first heading
// when no other heading is as high, and it is not a question. A title from
// front matter is kept, and such a heading repeating it is dropped.
func (d *document) takeTitle() {
	first := -1
	for i, b := range d.blocks {
		if b.kind == blockHeading {
			first = i
			break
		}
		if b.kind == blockQuestion {
			return
		}
	}
	if first < 0 {
		return
	}
	h := d.blocks[first]
	for _, b := range d.blocks[first+1:] {
		if b.kind == blockHeading && b.level <= h.level {
			return
		}
	}
	if h.asked || asksByMark(h.text) {
		return
	}
	// Text before the title (a logo's alt text, a banner) goes under it.
	if d.title == "" || genericTitle(d.title) && !genericTitle(h.text) {
		d.title = h.text
	}
	d.blocks = append(d.blocks[:first:first], d.blocks[first+1:]...)
}

// faqWords are the words that name a list of questions and nothing else,
// in the languages the matcher stems: a title made of them alone ("FAQ",
// "Frequently Asked Questions", "Häufig gestellte Fragen") says less than
// a heading that names the subject.
var faqWords = map[string]bool{
	"faq": true, "faqs": true, "frequently": true, "asked": true, "common": true, "questions": true, "question": true,
	"answers": true, "and": true, "q": true, "a": true, "list": true, "the": true,
	"häufig": true, "häufige": true, "gestellte": true, "fragen": true, "und": true, "antworten": true, "liste": true,
	"foire": true, "aux": true, "fréquentes": true, "réponses": true, "et": true,
	"preguntas": true, "frecuentes": true, "respuestas": true, "y": true,
	"domande": true, "frequenti": true, "risposte": true, "perguntas": true, "frequentes": true,
	"veelgestelde": true, "vragen": true,
}

// genericTitle reports whether a title only says that the document is a
// list of questions.
func genericTitle(t string) bool {
	words := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		if !faqWords[w] {
			return false
		}
	}
	return true
}

// dropContents leaves out the text blocks that list the questions and
// headings asked after them, a table of contents written out as plain
// text keeps it: two or more items, most of them asked again below.
func (d *document) dropContents() knowledge.Errors {
	later := map[string]int{} // phrasing key -> index of its last asking
	for i, b := range d.blocks {
		if b.kind != blockText {
			later[knowledge.PhrasingKey(b.text)] = i
		}
	}
	var warnings knowledge.Errors
	out := d.blocks[:0:0]
	first, n := -1, 0 // the first line and item count of the contents met in a row
	flush := func() {
		if n > 0 {
			warnings = append(warnings, knowledge.Problemf(d.name, first, 0, "", "a table of contents of %d items, asked again below; left out", n))
		}
		n = 0
	}
	for i, b := range d.blocks {
		if b.kind == blockText {
			items := listItems(b.text)
			hits := 0
			for _, it := range items {
				if q, _ := questionText(it); later[knowledge.PhrasingKey(q)] > i {
					hits++
				}
			}
			if hits >= 2 && hits*5 >= len(items)*3 {
				if n == 0 {
					first = b.line
				}
				n += len(items)
				continue
			}
		}
		flush()
		out = append(out, b)
	}
	flush()
	d.blocks = out
	return warnings
}

// listItems returns the items of a list in text, each on one line: a line
// that starts with a list marker or a number starts an item, and the
// lines after it, until the next, go on with it.
func listItems(text string) []string {
	var items []string
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
		case tocItemRe.MatchString(t):
			items = append(items, tocItemRe.ReplaceAllString(t, ""))
		case len(items) > 0:
			items[len(items)-1] += " " + t
		default:
			return nil // text that is not a list
		}
	}
	return items
}

// tocItemRe matches the marker of a list item in written-out text: "*",
// "+", "-", "•", "1.", "1.1".
var tocItemRe = lazyregexp.New(`^(?:[-*+•]|\d{1,3}(?:\.\d{1,3})*[.)]?)[ \t]+`)

// furnitureHeadings name the sections that are about the document, not
// its subject: its contents and its revision history.
var furnitureHeadings = map[string]bool{
	"contents": true, "table of contents": true, "revision history": true, "document history": true,
	"version history": true, "change history": true, "revisions": true, "inhaltsverzeichnis": true,
	"änderungshistorie": true, "table des matières": true, "sommaire": true, "índice": true, "目录": true, "目次": true,
}

// dropFurniture leaves out the sections about the document rather than
// its subject ("Revision History", "Contents"), with what is under them up
// to the next heading.
func (d *document) dropFurniture() knowledge.Errors {
	var warnings knowledge.Errors
	out := d.blocks[:0:0]
	for i := 0; i < len(d.blocks); i++ {
		b := d.blocks[i]
		if b.kind == blockText || !furnitureHeadings[strings.ToLower(strings.Trim(b.text, " :"))] {
			out = append(out, b)
			continue
		}
		j := i + 1
		for j < len(d.blocks) && d.blocks[j].kind == blockText {
			j++
		}
		warnings = append(warnings, knowledge.Problemf(d.name, b.line, 0, "", "section %q is about the document, not its subject; left out", b.text))
		i = j - 1
	}
	d.blocks = out
	return warnings
}

// faqSectionWords are the words of faqWords that name a list of questions
// by themselves: a heading made of faqWords with one of these ("FAQ",
// "Common questions", "Häufig gestellte Fragen (FAQ)") names an FAQ
// section.
var faqSectionWords = map[string]bool{
	"faq": true, "faqs": true, "questions": true, "fragen": true, "preguntas": true, "domande": true,
	"perguntas": true, "vragen": true,
}

// faqHeading reports whether a heading names an FAQ section.
func faqHeading(t string) bool {
	if !genericTitle(t) {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if faqSectionWords[w] {
			return true
		}
	}
	return false
}

// readmeName reports whether a file is named as a project's README
// ("README.md", "readme.rst", "docs-README.txt").
func readmeName(name string) bool {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	for _, w := range strings.FieldsFunc(strings.ToLower(base), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if w == "readme" {
			return true
		}
	}
	return false
}

// keepFAQSection leaves out, of a README, what is outside its FAQ
// sections: a project's README with a "## FAQ" section gives that
// section's questions, not its installation and usage notes. A section
// counts when it holds questions or sub-headings; a README without one is
// read whole.
func (d *document) keepFAQSection() knowledge.Errors {
	if !readmeName(d.name) {
		return nil
	}
	keep := make([]bool, len(d.blocks))
	found := false
	for i, b := range d.blocks {
		if b.kind != blockHeading || !faqHeading(b.text) {
			continue
		}
		end, asks := i+1, false
		for ; end < len(d.blocks) && !(d.blocks[end].kind == blockHeading && d.blocks[end].level <= b.level); end++ {
			asks = asks || d.blocks[end].kind != blockText
		}
		if !asks {
			continue
		}
		found = true
		for k := i; k < end; k++ {
			keep[k] = true
		}
	}
	if !found {
		return nil
	}
	var warnings knowledge.Errors
	out := d.blocks[:0:0]
	for i, b := range d.blocks {
		switch {
		case keep[i]:
			out = append(out, b)
		case b.kind == blockText && (i == 0 || keep[i-1]):
			warnings = append(warnings, knowledge.Problemf(d.name, b.line, 0, "", "text outside the README's FAQ section; left out"))
		case b.kind != blockText:
			warnings = append(warnings, knowledge.Problemf(d.name, b.line, 0, "", "%q is outside the README's FAQ section; left out", knowledge.Truncate(b.text, 60)))
		}
	}
	d.blocks = out
	return warnings
}
