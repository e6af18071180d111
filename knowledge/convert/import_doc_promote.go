package convert

import (
	"strings"

	"github.com/faqbot/faqbot/internal/lazyregexp"
	"github.com/faqbot/faqbot/knowledge"
)

// promoteBoldLines makes questions of the lines that are bold alone: every
// one that ends in a question mark, and, in a document that asks that way
// at least twice, the bold statements among them too ("**VNC uses all my
// CPU**"); each must have text after it to be its answer.
func (d *document) promoteBoldLines() {
	asked := 0
	for _, b := range d.blocks {
		if b.bold && asksByMark(b.text) {
			asked++
		}
	}
	for i := range d.blocks {
		b := &d.blocks[i]
		if !b.bold {
			continue
		}
		q, _ := boldLine(b.text)
		followed := i+1 < len(d.blocks) && d.blocks[i+1].kind == blockText && !d.blocks[i+1].bold
		if followed && (asksByMark(q) || asked >= 2 && !strings.HasSuffix(q, ":") && !strings.HasSuffix(q, "：")) {
			if q, _ = questionText(q); q != "" {
				*b = docBlock{kind: blockQuestion, text: q, line: b.line}
			}
		}
	}
}

// promoteEmphasisItems makes questions of the list items that are a line
// in emphasis alone ("1. *Why is it slow?*", "- **Can I pay later?**")
// with text after them, in a document that asks at least twice that way:
// then the ones that ask by no mark ("2. *The sensor reads nothing*") are
// questions too.
func (d *document) promoteEmphasisItems() {
	asked := 0
	for _, b := range d.blocks {
		if q, ok := emphasisItem(b.text); ok && b.item && asksByMark(unquote(q)) {
			asked++
		}
	}
	if asked < 2 {
		return
	}
	for i := range d.blocks {
		b := &d.blocks[i]
		followed := i+1 < len(d.blocks) && d.blocks[i+1].kind == blockText && !d.blocks[i+1].item
		if !b.item || !followed {
			continue
		}
		q, _ := emphasisItem(b.text)
		if q, _ = questionText(unquote(q)); q != "" {
			*b = docBlock{kind: blockQuestion, text: q, line: b.line}
		}
	}
}

// emphasisItemRe matches a list item that is one line in emphasis alone.
var emphasisItemRe = lazyregexp.New(`^[ \t]*(?:\d{1,3}[.)]|[-*+•])[ \t]+(\*\*|__|\*|_)([^*_\n][^\n]*?)(\*\*|__|\*|_)[ \t]*$`)

// emphasisItem returns the text of a list item that is one line in
// emphasis alone.
func emphasisItem(p string) (string, bool) {
	m := emphasisItemRe.FindStringSubmatch(strings.TrimSpace(p))
	if m == nil || m[1] != m[3] || strings.Contains(m[2], m[1]) {
		return "", false
	}
	return strings.TrimSpace(m[2]), true
}

// unquote removes the quotation marks around the whole of s: "…", “…”,
// «…», 「…」.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}, {"„", "“"}, {"«", "»"}, {"「", "」"}, {"『", "』"}, {"'", "'"}, {"‘", "’"}} {
		if len(s) > len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) &&
			!strings.Contains(s[len(q[0]):len(s)-len(q[1])], q[0]) {
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// joinQuestionRuns reads the runs of questions with no text between them.
// The questions of a run that are asked again later are the document's
// table of contents, and go, when they have no answer here. Numbered
// ones and terms left ("Q5:", "Q6:", "Q7:" over one answer; <dt> terms
// over one <dd>) share the answer under the run's last question: they
// become its other phrasings.
func (d *document) joinQuestionRuns() knowledge.Errors {
	var warnings knowledge.Errors
	later := map[string]int{} // phrasing key -> index of its last asking
	for i, b := range d.blocks {
		if b.kind != blockText {
			later[knowledge.PhrasingKey(b.text)] = i
		}
	}
	out := d.blocks[:0:0]
	for i := 0; i < len(d.blocks); {
		if d.blocks[i].kind != blockQuestion {
			out = append(out, d.blocks[i])
			i++
			continue
		}
		j := i
		for j < len(d.blocks) && d.blocks[j].kind == blockQuestion {
			j++
		}
		var kept []docBlock
		toc := 0
		for k, b := range d.blocks[i:j] {
			answered := i+k+1 < len(d.blocks) && d.blocks[i+k+1].kind == blockText
			if !answered && later[knowledge.PhrasingKey(b.text)] > i+k {
				toc++
				continue
			}
			kept = append(kept, b)
		}
		if toc > 0 {
			warnings = append(warnings, knowledge.Problemf(d.name, d.blocks[i].line, 0, "",
				"a table of contents of %d questions, each asked again below; left out", toc))
		}
		if len(kept) > 1 && j < len(d.blocks) && d.blocks[j].kind == blockText && allShare(kept) {
			q := kept[len(kept)-1]
			for _, b := range kept[:len(kept)-1] {
				q.alts = append(q.alts, append([]string{b.text}, b.alts...)...)
				warnings = append(warnings, knowledge.Problemf(d.name, b.line, 0, "",
					"question %q has no answer of its own; it shares the one of %q, as its other phrasing", knowledge.Truncate(b.text, 60), knowledge.Truncate(q.text, 60)))
			}
			kept = []docBlock{q}
		}
		out = append(out, kept...)
		i = j
	}
	d.blocks = out
	return warnings
}

// allShare reports whether every one of the questions may share the
// answer below the next ones.
func allShare(bs []docBlock) bool {
	for _, b := range bs {
		if !b.shares {
			return false
		}
	}
	return true
}
