package convert

import (
	"html"
	"strings"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

var (
	// A JSX tag of a component (a capitalised name) alone on a line, or
	// starting one: "<Q>", "</A>", "<Versions/>", "<Accordion title="...">".
	// An expression may hold objects two deep, as old Docusaurus tabs
	// write their labels: values={[{label: 'Windows', value: 'win'}]}.
	jsxTagRe = lazyregexp.New(`^[ \t]*<(/?)([A-Z][\w.]*)((?:[ \t]+[\w:-]+(?:=(?:"[^"]*"|'[^']*'|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}))?)*)[ \t]*(/?)>`)
	// The start of a component's tag that may go on over the next lines.
	jsxTagStartRe = lazyregexp.New(`^[ \t]*<[A-Z][\w.]*(?:[ \t]|$)`)
	// A component's closing tag that ends a line of its content:
	// "Overwatering rots the roots.</Warning>".
	jsxCloseEndRe = lazyregexp.New(`</([A-Z][\w.]*)>[ \t]*$`)
	// A tab of a values list: {label: 'Windows', value: 'win'}, in either
	// order.
	jsxTabValueRe  = lazyregexp.New(`\{[ \t]*(label|value)[ \t]*:[ \t]*(?:"([^"]*)"|'([^']*)')[ \t]*,[ \t]*(label|value)[ \t]*:[ \t]*(?:"([^"]*)"|'([^']*)')[ \t]*,?[ \t]*\}`)
	jsxValueAttrRe = lazyregexp.New(`\bvalue=(?:"([^"]*)"|'([^']*)'|\{["'` + "`" + `]([^"'` + "`" + `]*)["'` + "`" + `]\})`)
	// An attribute that holds a question: title="...", question="...".
	jsxQuestionAttrRe = lazyregexp.New(`\b(?:question|title|summary|label|header)=(?:"([^"]*)"|'([^']*)'|\{["'` + "`" + `]([^"'` + "`" + `]*)["'` + "`" + `]\})`)
	mdxImportRe       = lazyregexp.New(`^(?:import|export)[ \t{*]`)
	mdxExprRe         = lazyregexp.New(`^[ \t]*\{[\s\S]*\}[ \t]*$`)
	htmlHeadingLineRe = lazyregexp.New(`^([ \t]*)<h[1-6][^>]*>(.*?)</h[1-6]>[ \t]*$`)
)

// jsxQuestionName reports whether a component's name says it holds a
// question ("Q", "Question", "FaqQuestion") or an answer ("A", "Answer").
func jsxRole(name string) string {
	n := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:])
	switch {
	case n == "q" || strings.HasSuffix(n, "question"):
		return "question"
	case n == "a" || strings.HasSuffix(n, "answer"):
		return "answer"
	}
	return ""
}

// readMDX turns MDX into CommonMark with the same lines: import and export
// lines, expressions and components go (each component tag leaves a blank
// line); a question component becomes a <p class="question"> block that
// the HTML reader takes for a question; the content of components is
// unindented, since MDX has no indented code; headings in HTML inside an
// answer, and the labels and titles of other components that do not ask
// (<TabItem label="Windows">), become bold lines, whose 0-based numbers it
// returns: each is a paragraph of its own.
func (d *document) readMDX(src string) (string, map[int]bool) {
	apart := map[int]bool{}
	lines := strings.Split(src, "\n")
	fence := ""
	var (
		inQuestion bool
		qLine      = -1
		qText      []string
		inAnswer   int // depth of answer components
		segStart   = 0 // the run of content lines since the last tag
	)
	endSegment := func(i int) {
		copy(lines[segStart:i], dedent(lines[segStart:i]))
		segStart = i + 1
	}
	emitQuestion := func() {
		if qLine >= 0 && len(qText) > 0 {
			lines[qLine] = `<p class="question">` + html.EscapeString(strings.Join(qText, " ")) + `</p>`
		}
		inQuestion, qLine, qText = false, -1, nil
	}
	importing := false
	var tabLabels map[string]string // value -> label, of the last <Tabs values={...}>
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		if importing || mdxImportRe.MatchString(l) {
			// An import may run over lines up to its "from '...'".
			importing = !(strings.Contains(l, " from ") || strings.HasSuffix(t, ";") || strings.HasSuffix(t, "'") || strings.HasSuffix(t, `"`))
			lines[i] = ""
			continue
		}
		if strings.HasPrefix(t, "{/*") {
			for j := i; j < len(lines); j++ {
				done := strings.Contains(lines[j], "*/}")
				lines[j] = ""
				if done {
					i = j
					break
				}
			}
			continue
		}
		if mdxExprRe.MatchString(l) && !strings.HasPrefix(t, "{#") {
			lines[i] = ""
			continue
		}
		m := jsxTagRe.FindStringSubmatch(l)
		tagEnd := i // the line the tag ends on
		if m == nil && jsxTagStartRe.MatchString(l) {
			// A tag over several lines: its attributes go on to the ">"
			// that closes it; the lines it took are left blank.
			if j, joined, ok := jsxTagLines(lines, i); ok {
				for k := i + 1; k <= j; k++ {
					lines[k] = ""
				}
				l, m, tagEnd = joined, jsxTagRe.FindStringSubmatch(joined), j
			}
		}
		if m == nil {
			if c := jsxCloseEndRe.FindStringSubmatch(l); c != nil && !inQuestion && jsxRole(c[1]) == "" {
				l = strings.TrimRight(l[:len(l)-len(c[0])], " \t")
				lines[i] = l
			}
			if inQuestion {
				if t != "" {
					if qLine < 0 {
						qLine = i
					}
					qText = append(qText, t)
				}
				lines[i] = ""
			} else if inAnswer > 0 {
				if h := htmlHeadingLineRe.FindStringSubmatch(l); h != nil {
					lines[i] = h[1] + "**" + strings.TrimSpace(h[2]) + "**"
					apart[i] = true
				}
			}
			continue
		}
		closing, name, attrs, selfClosing := m[1] == "/", m[2], m[3], m[4] == "/"
		rest := strings.TrimSpace(l[len(m[0]):])
		endSegment(i)
		lines[i] = ""
		role := jsxRole(name)
		if tagEnd > i {
			segStart = tagEnd + 1
		}
		switch {
		case closing && role == "answer":
			inAnswer = max(inAnswer-1, 0)
		case closing && role == "question":
			emitQuestion()
		case closing:
		case selfClosing:
			d.note(i+1, "component <%s/> left out: it is filled in when the site is built", name)
		case role == "question":
			emitQuestion()
			inQuestion, qLine = true, i
			if q := strings.TrimSpace(strings.Split(rest, "</")[0]); q != "" {
				qText = append(qText, q)
			}
			if strings.Contains(rest, "</"+name+">") {
				emitQuestion()
			}
		case role == "answer":
			if inQuestion {
				emitQuestion()
			}
			inAnswer++
			if rest != "" {
				lines[i] = strings.TrimSuffix(rest, "</"+name+">")
			}
		default:
			if tabs := jsxTabValueRe.FindAllStringSubmatch(attrs, -1); tabs != nil {
				tabLabels = map[string]string{}
				for _, tab := range tabs {
					first, second := tab[2]+tab[3], tab[5]+tab[6]
					if tab[1] == "label" {
						tabLabels[second] = first
					} else {
						tabLabels[first] = second
					}
				}
			}
			// The content that follows the tag on its line
			// (<Note>Text.</Note>) is text of its own.
			text := strings.TrimSpace(strings.TrimSuffix(rest, "</"+name+">"))
			q := ""
			if a := jsxQuestionAttrRe.FindStringSubmatch(attrs); a != nil {
				q = strings.TrimSpace(a[1] + a[2] + a[3])
			} else if v := jsxValueAttrRe.FindStringSubmatch(attrs); v != nil {
				q = tabLabels[v[1]+v[2]+v[3]] // an old tab's label, given by its <Tabs>
			}
			switch {
			case strings.HasSuffix(q, "?"):
				emitQuestion()
				lines[i] = `<p class="question">` + html.EscapeString(q) + `</p>`
				if text != "" {
					lines[i] += `<p>` + html.EscapeString(text) + `</p>`
				}
			case q != "" && !inQuestion:
				// A tab's label or a box's title that does not ask
				// (<TabItem label="Windows">) heads its content as a
				// bold line of its own, or leads it in when it is on
				// the same line.
				lines[i] = "**" + q + "**"
				if text != "" {
					lines[i] = "**" + strings.TrimRight(q, ":") + ":** " + text
				}
				apart[i] = true
			case text != "" && !inQuestion:
				lines[i] = text
				apart[i] = true
			}
		}
		i = tagEnd
	}
	emitQuestion()
	endSegment(len(lines))
	return strings.Join(lines, "\n"), apart
}

// jsxTagLines joins the lines of a component's tag that goes on over
// several lines, from line i to the line of the ">" that closes it (at
// most 40 lines on), and returns that line's index and the tag on one
// line.
func jsxTagLines(lines []string, i int) (int, string, bool) {
	joined := lines[i]
	for j := i + 1; j < len(lines) && j <= i+40; j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			return 0, "", false // a tag has no blank line in it
		}
		joined += " " + t
		if m := jsxTagRe.FindString(joined); m != "" {
			return j, joined, true
		}
	}
	return 0, "", false
}
