package convert

import (
	"slices"
	"strings"
)

// docNode is a heading or a question in the document's tree.
type docNode struct {
	block    docBlock
	text     []docBlock // the answer text right under it
	children []*docNode
}

// tree arranges the blocks under their headings.
func (d *document) tree() *docNode {
	root := &docNode{block: docBlock{level: 0}}
	stack := []*docNode{root}
	var last *docNode = root // the node text goes under
	for _, b := range d.blocks {
		switch b.kind {
		case blockText:
			last.text = append(last.text, b)
		case blockHeading:
			for len(stack) > 1 && stack[len(stack)-1].block.level >= b.level {
				stack = stack[:len(stack)-1]
			}
			n := &docNode{block: b}
			parent := stack[len(stack)-1]
			parent.children = append(parent.children, n)
			stack = append(stack, n)
			last = n
		case blockQuestion:
			n := &docNode{block: b}
			parent := stack[len(stack)-1]
			parent.children = append(parent.children, n)
			last = n
		}
	}
	return root
}

// asks reports whether the node is a question rather than a topic: a
// question, or a heading marked or worded as one ("How to debug errors").
func (n *docNode) asks() bool {
	return n.block.kind == blockQuestion || n.block.asked || asksByMark(n.block.text) || interrogative(n.block.text)
}

// interrogativeWords open a question in the languages the matcher stems
// best; a heading that starts with one asks even with no question mark.
var interrogativeWords = map[string]bool{
	"what": true, "how": true, "why": true, "when": true, "where": true, "which": true, "who": true,
	"can": true, "could": true, "does": true, "do": true, "is": true, "are": true, "should": true, "will": true,
	"wie": true, "warum": true, "wann": true, "wo": true, "welche": true, "welcher": true, "kann": true, "muss": true,
	"comment": true, "pourquoi": true, "quand": true, "où": true, "quel": true, "quelle": true, "puis-je": true,
	"cómo": true, "qué": true, "cuándo": true, "dónde": true, "cuál": true, "puedo": true,
}

// interrogative reports whether a heading opens with a word that asks.
func interrogative(s string) bool {
	w, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), " ")
	return interrogativeWords[strings.Trim(w, `"'¿¡*_`)] && len(strings.Fields(s)) >= 3
}

// restated moves the question put again in other words before a labelled
// answer ("How does that work?" over "Answer: ...", under a heading that
// asks) to the node's other phrasings: each paragraph before the label
// that ends asking.
func (n *docNode) restated() {
	k := slices.IndexFunc(n.text, func(b docBlock) bool { return b.labelled })
	if k <= 0 || !n.asks() && n.block.kind != blockHeading {
		return
	}
	for _, b := range n.text[:k] {
		if !asksByMark(b.text) || strings.Contains(b.text, "\n\n") || strings.HasPrefix(b.text, "```") {
			return
		}
	}
	for _, b := range n.text[:k] {
		n.block.alts = append(n.block.alts, strings.Join(strings.Fields(b.text), " "))
	}
	n.text = n.text[k:]
}

// partsOnly reports whether the node's children are the parts of its
// answer: headings below the level the document asks at (askLevel), that
// ask nothing, with none that asks under them ("Fix for Windows",
// "Example 1" under a question).
func (n *docNode) partsOnly(askLevel int) bool {
	if len(n.children) == 0 {
		return false
	}
	for _, c := range n.children {
		if c.block.kind != blockHeading || c.block.level <= askLevel || c.asks() || c.hasQuestions() {
			return false
		}
	}
	return true
}

// parts returns the node's sub-headings with their text, as answer text:
// each heading a bold line over its paragraphs.
func (n *docNode) parts() []string {
	var out []string
	for _, c := range n.children {
		out = append(out, "**"+c.block.text+"**")
		out = append(out, texts(c.text)...)
		out = append(out, c.parts()...)
	}
	return out
}

// questionLevel returns the heading level the document asks at most
// often, 0 when no heading asks.
func (d *document) questionLevel() int {
	count := map[int]int{}
	best := 0
	for _, b := range d.blocks {
		if b.kind == blockHeading && (b.asked || asksByMark(b.text)) {
			count[b.level]++
			if count[b.level] > count[best] || count[b.level] == count[best] && b.level < best {
				best = b.level
			}
		}
	}
	return best
}

// childrenAsk reports whether most of the node's children ask: then a
// child that states rather than asks ("Only show errors in the log") is
// a question put another way, and its sub-headings are parts of its
// answer.
func (n *docNode) childrenAsk() bool {
	k := 0
	for _, c := range n.children {
		if c.asks() {
			k++
		}
	}
	return k*2 > len(n.children)
}

// hasQuestions reports whether a question is among the node's descendants.
func (n *docNode) hasQuestions() bool {
	for _, c := range n.children {
		if c.asks() || c.hasQuestions() {
			return true
		}
	}
	return false
}

// texts returns the blocks' text.
func texts(bs []docBlock) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.text)
	}
	return out
}
