package convert

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faqbot/faqbot/internal/lazyregexp"
	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// docImport turns a document read by a format's reader into a knowledge
// file: the questions with their answers, section paths, source and date.
func docImport(d *document) (*knowledge.File, ImportReport, error) {
	drafts, questions, warnings := d.build()
	rep := ImportReport{Blocks: questions}
	warnings = append(d.notes, warnings...)
	source := filepath.Base(d.name)
	if d.title != "" {
		source = knowledge.Truncate(d.title, 150) + " (" + source + ")"
	}
	f := &knowledge.File{Version: knowledge.Version, Title: knowledge.Truncate(d.title, knowledge.MaxTitleLen)}
	ids := map[string]bool{}
	seen := map[string]string{} // phrasing key -> question
	warn := func(line int, format string, args ...any) {
		warnings = append(warnings, knowledge.Problemf(d.name, line, 0, "", format, args...))
	}
	lang, stop := documentLanguage(drafts)
	f.Language = lang
	var named []int        // the entries whose questions have no word to name them by
	df := map[string]int{} // Latin word -> how many answers use it, for ids
	for _, dr := range drafts {
		for _, w := range latinWords(strings.Join(dr.answer, "\n\n"), stop) {
			df[w]++
		}
	}
	for _, dr := range drafts {
		q, answer := fitLimits(dr.question, strings.Join(dr.answer, "\n\n"), func(format string, args ...any) { warn(dr.line, format, args...) })
		if knowledge.PhrasingKey(q) == "" {
			// Counted as skipped with the other "left out" warnings.
			warn(dr.line, "heading %q has no words to ask by; left out", knowledge.Truncate(q, 40))
			continue
		}
		section := strings.Join(dr.section, " › ")
		if other, dup := seen[knowledge.PhrasingKey(q)]; dup {
			renamed := q
			if section != "" {
				renamed = q + " (" + dr.section[len(dr.section)-1] + ")"
			}
			for n := 2; seen[knowledge.PhrasingKey(renamed)] != ""; n++ {
				renamed = fmt.Sprintf("%s (%d)", q, n)
			}
			warn(dr.line, "question %q is asked twice (as %q before); this one is renamed %q", knowledge.Truncate(q, 60), knowledge.Truncate(other, 60), renamed)
			q = renamed
		}
		seen[knowledge.PhrasingKey(q)] = q
		e := knowledge.Entry{Question: q, Answer: answer, Section: cutRunes(section, knowledge.MaxPhrasingLen),
			Source: source, Updated: d.updated, Line: dr.line}
		if id := slug(q, stop); id != "" {
			e.ID = uniqueID(id, ids)
		} else {
			// Named after its answer or section once every question
			// named after its own words has its id.
			e.ID = draftID(q, answer, dr.section, df, stop)
			named = append(named, len(f.Entries))
		}
		for _, a := range dr.alts {
			k := knowledge.PhrasingKey(a)
			if k == "" || utf8.RuneCountInString(a) > knowledge.MaxPhrasingLen || seen[k] != "" {
				continue
			}
			seen[k] = q
			e.Alternates = append(e.Alternates, a)
		}
		f.Entries = append(f.Entries, e)
	}
	for _, k := range named {
		f.Entries[k].ID = uniqueID(f.Entries[k].ID, ids)
	}
	rep.Skipped += countLeftOut(warnings)
	warnings.Sort()
	rep.Warnings = warnings
	if len(f.Entries) == 0 {
		return nil, rep, knowledge.Errors{knowledge.Problemf(d.name, 0, 0, "", "found no questions to import: looked for headings, bold lines, Q:/A: labels, definition terms, HTML question classes, <details> summaries and <Q>/<A> components, each followed by its answer")}
	}
	if err := finishImport(d.name, f); err != nil {
		return nil, rep, err
	}
	return f, rep, nil
}

// build turns the document into drafts of entries, with warnings for what
// it leaves out; questions counts the question blocks it found.
func (d *document) build() (drafts []docDraft, questions int, warnings knowledge.Errors) {
	warn := func(line int, format string, args ...any) {
		warnings = append(warnings, knowledge.Problemf(d.name, line, 0, "", format, args...))
	}
	if !d.structured {
		d.promoteBoldLines()
		d.promoteEmphasisItems()
		d.takeTitle()
		warnings = append(warnings, d.keepFAQSection()...)
		warnings = append(warnings, d.joinQuestionRuns()...)
		warnings = append(warnings, d.dropContents()...)
		warnings = append(warnings, d.dropFurniture()...)
	}
	root := d.tree()

	askLevel := d.questionLevel()
	var walk func(n *docNode, path []string, asked bool)
	walk = func(n *docNode, path []string, asked bool) {
		n.restated()
		answer := texts(n.text)
		isRoot := n == root
		if !isRoot && (n.asks() || asked && len(answer) > 0) && n.partsOnly(askLevel) {
			answer = append(answer, n.parts()...)
			n.children = nil
		}
		if !isRoot && (len(answer) > 0 || len(n.children) == 0) {
			questions++ // a heading over headings only is their context
		}
		switch {
		case isRoot && len(answer) > 0:
			// The introduction asks what its question sentences ask.
			alts := questionsIn(answer)
			if len(alts) == 0 {
				warn(n.text[0].line, "the introduction asks no question; left out (give it a heading to make it an entry)")
				break
			}
			q := d.title
			if q == "" {
				q, alts = alts[0], alts[1:]
			}
			drafts = append(drafts, docDraft{question: q, alts: alts, answer: answer, line: n.text[0].line, intro: true})
		case isRoot:
		case len(answer) == 0 && len(n.children) == 0:
			if n.asks() {
				warn(n.block.line, "question %q has no answer; left out", knowledge.Truncate(n.block.text, 60))
			} else {
				warn(n.block.line, "heading %q has no text under it; left out", knowledge.Truncate(n.block.text, 60))
			}
		case len(answer) == 0:
			// A heading over headings is their context.
		case len(n.children) > 0 && !n.asks() && n.hasQuestions():
			// The text under a heading that groups questions introduces
			// them; it is an entry when it asks something itself.
			alts := questionsIn(answer)
			if len(alts) == 0 {
				warn(n.text[0].line, "the introduction to %q asks no question; left out", knowledge.Truncate(n.block.text, 60))
				break
			}
			drafts = append(drafts, docDraft{question: n.block.text, alts: alts, answer: answer, section: path, line: n.block.line})
		default:
			drafts = append(drafts, docDraft{question: n.block.text, alts: n.block.alts, answer: answer, section: path, line: n.block.line})
		}
		sub := path
		if !isRoot && n.block.kind == blockHeading && !n.block.asked && !asksByMark(n.block.text) {
			// A heading names the section of what is under it unless it
			// is marked as a question (one only worded as one still does).
			sub = append(append([]string(nil), path...), n.block.text)
		}
		siblingsAsk := n.childrenAsk()
		for _, c := range n.children {
			walk(c, sub, siblingsAsk)
		}
	}
	walk(root, nil, false)
	if d.structured {
		return drafts, questions, warnings
	}
	return d.closeWithIntro(drafts), questions, warnings
}

// docDraft is an entry being made from a document.
type docDraft struct {
	question string
	alts     []string
	answer   []string
	section  []string // the headings above it, outermost first
	line     int
	intro    bool // the introduction, asked by the title
}

// conclusionRe matches the words that open a document's closing summary.
var conclusionRe = lazyregexp.New(`(?i)^(?:in summary|in conclusion|to sum up|to summari[sz]e|to conclude|in short|all in all|overall|ultimately|in closing)\b`)

// closeWithIntro moves a closing summary from the last answer to the
// introduction, which is asked by the title: the paragraphs at the end of
// the last answer that open as a conclusion does ("In summary, ...").
func (d *document) closeWithIntro(drafts []docDraft) []docDraft {
	n := len(drafts)
	if n == 0 || drafts[n-1].intro {
		return drafts
	}
	last := &drafts[n-1]
	k := len(last.answer)
	for k > 1 && conclusionRe.MatchString(last.answer[k-1]) {
		k--
	}
	if k == len(last.answer) {
		return drafts
	}
	closing := last.answer[k:]
	last.answer = last.answer[:k:k]
	if drafts[0].intro {
		drafts[0].answer = append(drafts[0].answer, closing...)
		return drafts
	}
	if d.title == "" {
		last.answer = append(last.answer, closing...)
		return drafts
	}
	return append([]docDraft{{question: d.title, answer: closing, intro: true, line: last.line}}, drafts...)
}

// questionsIn returns the question sentences of an introduction's
// paragraphs, leaving out code and lists.
func questionsIn(paras []string) []string {
	var out []string
	for _, p := range paras {
		if strings.HasPrefix(p, "```") || strings.HasPrefix(p, "    ") || listRe.MatchString(p) {
			continue
		}
		out = append(out, questionSentences(p)...)
	}
	return out
}

// draftID makes an entry's id from its question's words. A question with
// no word that can be spelt in ASCII (one in Chinese) is named after the
// words its answer writes in Latin letters (answerSlug), or else after the
// innermost of its section's headings that has one and says more than
// "FAQ" ("borrowing", "borrowing-2"), or else "entry".
func draftID(q, answer string, section []string, df map[string]int, stop func(string) bool) string {
	id := slug(q, stop)
	if id == "" {
		id = answerSlug(answer, df, stop)
	}
	for k := len(section) - 1; id == "" && k >= 0; k-- {
		if !genericTitle(section[k]) {
			id = slug(section[k], stop)
		}
	}
	if id == "" {
		return "entry"
	}
	return id
}

// documentLanguage finds the language a document is written in: the one
// whose stop words are most of its words, when that is not English. It
// returns the language's code, for the file's language (so that the
// matcher stems and weighs the document's words as that language), and the
// stop words to leave out of the entries' ids: the language's with
// English's. For an English document, or one whose language does not stand
// out, it returns "" and nil (English alone).
func documentLanguage(drafts []docDraft) (string, func(string) bool) {
	var words []string
	for _, dr := range drafts {
		for _, t := range append([]string{dr.question}, dr.answer...) {
			words = append(words, strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) })...)
		}
		if len(words) > 3000 {
			break
		}
	}
	best, bestHits, english := "", 0, 0
	var bestStop func(string) bool
	for _, code := range knowledge.Languages() {
		stop, err := match.StopWords(code)
		if err != nil {
			continue
		}
		hits := 0
		for _, w := range words {
			if stop(w) {
				hits++
			}
		}
		if code == "en" {
			english = hits
		}
		if hits > bestHits {
			best, bestHits, bestStop = code, hits, stop
		}
	}
	// A language stands out when its stop words are a tenth of the words
	// and clearly more than English's.
	if best == "" || best == "en" || bestHits*10 < len(words) || bestHits*4 < english*5 {
		return "", nil
	}
	// English's own stop words stay: a document in one language often
	// asks a few of its questions in English.
	return best, func(w string) bool { return idStopWords[w] || bestStop(w) }
}
