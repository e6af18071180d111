package convert

import (
	"html"
	"regexp"
	"strings"
)

var (
	// A JSX tag of a component (a capitalised name) alone on a line, or
	// starting one: "<Q>", "</A>", "<Versions/>", "<Accordion title="...">".
	jsxTagRe = regexp.MustCompile(`^[ \t]*<(/?)([A-Z][\w.]*)((?:[ \t]+[\w:-]+(?:=(?:"[^"]*"|'[^']*'|\{[^}]*\}))?)*)[ \t]*(/?)>`)
	// An attribute that holds a question: title="...", question="...".
	jsxQuestionAttrRe = regexp.MustCompile(`\b(?:question|title|summary|label|header)=(?:"([^"]*)"|'([^']*)'|\{["'` + "`" + `]([^"'` + "`" + `]*)["'` + "`" + `]\})`)
	mdxImportRe       = regexp.MustCompile(`^(?:import|export)[ \t{*]`)
	mdxExprRe         = regexp.MustCompile(`^[ \t]*\{[\s\S]*\}[ \t]*$`)
	htmlHeadingLineRe = regexp.MustCompile(`^([ \t]*)<h[1-6][^>]*>(.*?)</h[1-6]>[ \t]*$`)
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
		if m == nil {
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
			if a := jsxQuestionAttrRe.FindStringSubmatch(attrs); a != nil {
				q := strings.TrimSpace(a[1] + a[2] + a[3])
				switch {
				case strings.HasSuffix(q, "?"):
					emitQuestion()
					lines[i] = `<p class="question">` + html.EscapeString(q) + `</p>`
				case q != "" && !inQuestion:
					// A tab's label or a box's title that does not ask
					// (<TabItem label="Windows">) heads its content as a
					// bold line of its own.
					lines[i] = "**" + q + "**"
					apart[i] = true
				}
			}
		}
	}
	emitQuestion()
	endSegment(len(lines))
	return strings.Join(lines, "\n"), apart
}
