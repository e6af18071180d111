package convert

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

// The labels that mark a question and its answer, in the languages the
// matcher stems and in Chinese, Japanese and Korean: "Q:", "Q4a:",
// "Question:", "Frage:", "Question :", "Pregunta:", "问：", "Ｑ．", "질문:". The single Latin and
// Cyrillic letters are English's alone; elsewhere they mean other words,
// and count only in pairs (below).
const (
	questionLabels = `q\d+[a-z]?|q|question|frage|pregunta|domanda|pergunta|vraag|spørgsmål|spørsmål|fråga|kysymys|întrebare|intrebare|вопрос|soru|kérdés|ceist|سؤال|السؤال|问题|問題|质问|質問|问|問|질문|ｑ\d*`
	answerLabels   = `a\d+[a-z]?|a|ans|answer|antwort|réponse|reponse|respuesta|risposta|resposta|antwoord|svar|vastaus|răspuns|raspuns|ответ|cevap|yanıt|válasz|freagra|جواب|الجواب|回答|答案|答え|答|답변|답|ａ\d*`
	// The single letters other languages label with: "F:"/"A:" (Frage,
	// Antwort), "P:"/"R:" (Pregunta, Respuesta; Pergunta, Resposta),
	// "D:"/"R:" (Domanda, Risposta), "V:"/"A:" (Vraag, Antwoord),
	// "Q :"/"R :" (Question, Réponse), "В:"/"О:" (Вопрос, Ответ; "А:" in
	// Cyrillic too); "Q)" over "A)". A question so labelled must end as a
	// question does, and an answer so labelled must follow a question.
	pairedQuestionLabels = `f|p|в|d|v`
	pairedAnswerLabels   = `r|о|а`
)

var (
	// A label, maybe numbered and in emphasis: "**Q1:**", "**Q**:",
	// "_Antwort: ", "Question :". "Q." counts too, as in "Q. How?".
	questionLabelRe       = lazyregexp.New(`(?i)^[ \t]*([*_]{1,2})?[ \t]*(?:` + questionLabels + `)[ \t]*\d*(?:[*_]{1,2})?[ \t]*(?::|：|．|\.[ \t]|\)[ \t])[ \t]*(?:[*_]{1,2}(?:[ \t]|$))?[ \t]*`)
	answerLabelRe         = lazyregexp.New(`(?i)^[ \t]*([*_]{1,2})?[ \t]*(?:` + answerLabels + `)[ \t]*\d*(?:[*_]{1,2})?[ \t]*(?::|：|．)[ \t]*(?:[*_]{1,2}(?:[ \t]|$))?[ \t]*`)
	pairedQuestionLabelRe = lazyregexp.New(`(?i)^[ \t]*([*_]{1,2})?[ \t]*(?:` + pairedQuestionLabels + `)[ \t]*\d*(?:[*_]{1,2})?[ \t]*(?::|：)[ \t]*(?:[*_]{1,2}(?:[ \t]|$))?[ \t]*`)
	pairedAnswerLabelRe   = lazyregexp.New(`(?i)^[ \t]*([*_]{1,2})?[ \t]*(?:(?:` + pairedAnswerLabels + `)[ \t]*\d*(?:[*_]{1,2})?[ \t]*(?::|：)|a\))[ \t]*(?:[*_]{1,2}(?:[ \t]|$))?[ \t]*`)
	// An answer label ended by a full stop, "A." or "A1.", as written
	// under a "Q." or "Q1." question.
	answerDotLabelRe = lazyregexp.New(`(?i)^[ \t]*(?:[*_]{1,2})?[ \t]*(?:a|ans|answer)[ \t]*\d*\.[ \t]+(?:[*_]{1,2}[ \t]+)?`)
	// A bold question with its answer after it: "**Can I pay later?** Yes."
	boldQuestionRe = lazyregexp.New(`^[ \t]*(\*\*|__)([^*_\n].{0,300}?\?)[ \t]*(\*\*|__)[ \t]*(?:\n|[ \t]+)([\s\S]*\S[\s\S]*)$`)
	// A line that is bold alone: "**Where are the logs?**".
	boldLineRe = lazyregexp.New(`^[ \t]*(\*\*|__)([^*_\n](?:[^\n]{0,300}?[^*_ \n])?)(\*\*|__)[ \t]*$`)
	// Heading anchors: "{#id}", "\{#id}", "{#id .class}".
	headingAnchorRe = lazyregexp.New(`[ \t]*\\?\{#[^}]*\}[ \t]*$`)
	// A number before a question: "3.", "3)", "Q3.", "3 -", "2.6", "2.6.".
	questionNumberRe = lazyregexp.New(`^(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|\d{1,3}[ \t]+[-–—])[ \t]+`)
)

// cutQuestionLabel returns what follows a question label at the start of
// line, and whether there was one.
func cutQuestionLabel(line string) (string, bool) {
	loc := questionLabelRe.FindStringSubmatchIndex(line)
	if loc == nil {
		loc = pairedQuestionLabelRe.FindStringSubmatchIndex(line)
		if loc == nil || !asksByMark(line[loc[1]:]) {
			return "", false
		}
	}
	rest := strings.TrimSpace(line[loc[1]:])
	if loc[2] >= 0 {
		// The emphasis the label opened closes the question: "*Q: Why?*".
		if w := line[loc[2]:loc[3]]; strings.HasSuffix(rest, w) && !strings.Contains(strings.TrimSuffix(rest, w), w) {
			rest = strings.TrimSpace(strings.TrimSuffix(rest, w))
		}
	}
	if rest == "" || strings.HasPrefix(strings.TrimSpace(line[:loc[1]]), "Q.") && !unicode.IsUpper(firstRune(rest)) {
		return "", false
	}
	return rest, true
}

// hasAnswerLabel reports whether line starts with an answer label, one of
// the paired letters too: it is asked under a question.
func hasAnswerLabel(line string) bool {
	return answerLabelRe.MatchString(line) || pairedAnswerLabelRe.MatchString(line)
}

// asksByMark reports whether s ends with a question mark, in emphasis or
// not: "?", the full-width "？".
func asksByMark(s string) bool {
	s = strings.TrimRight(stripEmphasis(strings.TrimSpace(s)), " *_")
	return strings.HasSuffix(s, "?") || strings.HasSuffix(s, "？")
}

// cutAnswerDotLabel returns a paragraph without the "A." or "A1." label
// that starts it, when a capital or digit follows the label.
func cutAnswerDotLabel(p string) (string, bool) {
	loc := answerDotLabelRe.FindStringIndex(p)
	if loc == nil {
		return "", false
	}
	rest := strings.TrimSpace(p[loc[1]:])
	if r := firstRune(rest); !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return "", false
	}
	return rest, true
}

// cutAnswerLabel returns a paragraph without the answer label that starts
// it, and without the emphasis that wraps the whole answer
// ("_Antwort: Nein._" gives "Nein.").
func cutAnswerLabel(p string) (string, bool) {
	return cutAnswerLabelWith(answerLabelRe, p)
}

// cutPairedAnswerLabel is cutAnswerLabel for the single letters that label
// an answer in other languages ("R:", "О:"), for a paragraph right under
// its question.
func cutPairedAnswerLabel(p string) (string, bool) {
	return cutAnswerLabelWith(pairedAnswerLabelRe, p)
}

func cutAnswerLabelWith(re *lazyregexp.Regexp, p string) (string, bool) {
	p = listMarkerRe.ReplaceAllString(p, "") // "- A: ..." under a question in a list
	m := re.FindStringSubmatchIndex(p)
	if m == nil {
		return "", false
	}
	first, more, _ := strings.Cut(p[m[1]:], "\n")
	rest := strings.TrimSpace(strings.Join(append([]string{strings.TrimSpace(first)}, dedent(strings.Split(more, "\n"))...), "\n"))
	if m[2] >= 0 {
		w := p[m[2]:m[3]]
		if strings.HasSuffix(rest, w) && !strings.Contains(strings.TrimSuffix(rest, w), w) {
			rest = strings.TrimSpace(strings.TrimSuffix(rest, w))
		}
	}
	return rest, rest != ""
}

// cutBoldQuestion splits a paragraph that starts with a bold question into
// the question and the answer after it.
func cutBoldQuestion(p string) (q, answer string, ok bool) {
	m := boldQuestionRe.FindStringSubmatch(p)
	if m == nil || m[1] != m[3] || strings.Contains(m[2], m[1]) {
		return "", "", false
	}
	return m[2], strings.TrimSpace(m[4]), true
}

// boldLine returns the text of a paragraph that is one bold line.
func boldLine(p string) (string, bool) {
	m := boldLineRe.FindStringSubmatch(strings.TrimSpace(p))
	if m == nil || m[1] != m[3] || strings.Contains(m[2], m[1]) {
		return "", false
	}
	return strings.TrimSpace(m[2]), true
}

// questionText cleans a heading or question for use as a question: no
// emphasis or quotation marks around it, no anchor, label or number
// before it, one line. It
// reports whether a question label marked it.
func questionText(s string) (string, bool) {
	s = strings.Join(strings.Fields(normalizeText(s)), " ")
	s = headingAnchorRe.ReplaceAllString(s, "")
	s = stripEmphasis(s)
	asked := false
	if q, ok := cutQuestionLabel(s); ok {
		s, asked = stripEmphasis(q), true
	}
	s = questionNumberRe.ReplaceAllString(s, "")
	s = unquote(strings.TrimSpace(stripEmphasis(s)))
	s = strings.TrimSuffix(s, ":")
	return strings.TrimSpace(s), asked
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// normalizeText removes the Unicode format characters that do not show
// (zero-width spaces, byte order marks, soft hyphens, direction marks) and
// makes no-break spaces plain ones. Zero-width joiners, which hold emoji
// and some scripts together, stay.
func normalizeText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u00a0' || r == '\u202f':
			return ' '
		case r == '\u200c' || r == '\u200d':
			return r
		case unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

var (
	// Template tags of Liquid, Jinja, Hugo and Handlebars.
	templateTagRe = lazyregexp.New(`\{%-?[\s\S]*?-?%\}|\{\{[<%][\s\S]*?[>%]\}\}|\{\{[\s\S]*?\}\}|\{#[\s\S]*?#\}`)
	// Markdown links and images: [text](url "title"), ![alt](url).
	mdLinkRe = lazyregexp.New(`(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)`)
	// Reference links: [text][ref], [text][], and [ref] alone.
	mdRefLinkRe = lazyregexp.New(`(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\](?:\[([^\[\]]*)\])?`)
	// Reference definitions: [ref]: url "title".
	mdRefDefRe = lazyregexp.New(`(?m)^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S*?)>?(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$`)
	// Runs of spaces inside a line, and a space before punctuation.
	spaceRunRe         = lazyregexp.New(`(\S)[ \t]{2,}`)
	spaceBeforePunctRe = lazyregexp.New(`[ \t]+([.,;:!?)])`)
	// An HTML comment.
	htmlCommentRe = lazyregexp.New(`<!--[\s\S]*?-->`)
)

// admonitionRe matches the lines that open and close an admonition, a
// call-out box: Docusaurus's and VitePress's ":::note Title" and ":::",
// and GitHub's "> [!NOTE]".
var admonitionRe = lazyregexp.New(`(?m)^[ \t]*(?::{3,}[ \t]*(?:[A-Za-z][\w-]*)?(?:[ \t]+(.*?))?|>[ \t]*\[![A-Za-z]+\])[ \t]*$`)

// admonitionTitle keeps an admonition's title as a bold line; its markers
// go.
func admonitionTitle(line string) string {
	m := admonitionRe.FindStringSubmatch(line)
	if t := strings.Trim(strings.TrimSpace(m[1]), "{}"); t != "" {
		return "**" + t + "**"
	}
	if strings.Contains(line, "[!") {
		return ">"
	}
	return ""
}

var (
	// An empty anchor that only names a place: <a name="x"></a>, <a id="x"/>.
	anchorTagRe = lazyregexp.New(`(?i)<a\s+(?:name|id)\s*=\s*["'][^"'<>]*["']\s*/?>(?:\s*</a>)?`)
	// A link within the page, in Markdown.
	pageLinkRe = lazyregexp.New(`!?\[[^\]\n]*\]\(#[^)\s]*\)`)
	// What may stand between navigation links: emphasis, separators, arrows.
	navFillerRe = lazyregexp.New(`^[\s*_|·•/\-–—↑⬆^]*$`)
)

// dropPageNavigation leaves out the paragraphs that are only links within
// the page ("[Back to top](#top) | [Next](#next)"): navigation, not an
// answer.
func dropPageNavigation(p string) string {
	if !strings.Contains(p, "](#") {
		return p
	}
	paras := strings.Split(p, "\n\n")
	out := paras[:0]
	for _, para := range paras {
		if pageLinkRe.MatchString(para) && navFillerRe.MatchString(pageLinkRe.ReplaceAllString(para, "")) {
			continue
		}
		out = append(out, para)
	}
	return strings.Join(out, "\n\n")
}

// stripTemplateTags removes template tags, and the lines they leave empty.
func stripTemplateTags(s string) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "{%") && !strings.Contains(s, "{#") {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		c := templateTagRe.ReplaceAllString(l, "")
		if strings.TrimSpace(c) == "" && strings.TrimSpace(l) != "" {
			continue
		}
		if c != l {
			// The spaces around a tag, and before the punctuation after it.
			c = spaceBeforePunctRe.ReplaceAllString(spaceRunRe.ReplaceAllString(c, "$1 "), "$1")
		}
		out = append(out, c)
	}
	// A tag may span lines.
	return templateTagRe.ReplaceAllString(strings.Join(out, "\n"), "")
}

// linkFixer rewrites a document's links for an answer: images become their
// alt text with a link, links within the page become plain text, relative
// links become absolute under a base URL, and reference links become
// inline ones.
type linkFixer struct {
	base string            // "" keeps relative links as they are
	refs map[string]string // lower-case reference label -> URL
}

func (lf linkFixer) fix(s string) string {
	s = mdLinkRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := mdLinkRe.FindStringSubmatch(m)
		return lf.link(sm[1] == "!", sm[2], sm[3])
	})
	if len(lf.refs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range mdRefLinkRe.FindAllStringSubmatchIndex(s, -1) {
		if m[1] < len(s) && (s[m[1]] == '(' || s[m[1]] == ':') {
			continue // an inline link, or a definition
		}
		label := s[m[4]:m[5]]
		if m[6] >= 0 && m[7] > m[6] {
			label = s[m[6]:m[7]]
		}
		url, ok := lf.refs[strings.ToLower(strings.Join(strings.Fields(label), " "))]
		if !ok {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(lf.link(m[3] > m[2], s[m[4]:m[5]], url))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// link writes one link or image.
func (lf linkFixer) link(image bool, text, url string) string {
	text = strings.TrimSpace(text)
	url = lf.absolute(strings.TrimSpace(url))
	if image {
		if text == "" {
			text = "image"
		}
		if url == "" {
			return text
		}
		return "[" + text + "](" + url + ")"
	}
	if url == "" || strings.HasPrefix(url, "#") {
		return text
	}
	if text == "" {
		return "<" + url + ">"
	}
	return "[" + text + "](" + url + ")"
}

// absolute makes a relative URL absolute under the base, if there is one.
func (lf linkFixer) absolute(url string) string {
	if lf.base == "" || url == "" || strings.HasPrefix(url, "#") || strings.Contains(url, "://") ||
		strings.HasPrefix(url, "mailto:") || strings.HasPrefix(url, "tel:") || strings.HasPrefix(url, "//") {
		return url
	}
	base := lf.base
	if strings.HasPrefix(url, "/") {
		// From the site's root.
		if i := strings.Index(base, "://"); i >= 0 {
			if j := strings.IndexByte(base[i+3:], '/'); j >= 0 {
				base = base[:i+3+j]
			}
		}
		return strings.TrimRight(base, "/") + url
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimPrefix(url, "./")
}

// cleanAnswer removes the markup noise from answer text in Markdown:
// comments, template tags, format characters, and fixes its links. Code
// blocks are left as written.
func cleanAnswer(s string, lf linkFixer) string {
	var out []string
	var prose []string
	flush := func() {
		if len(prose) == 0 {
			return
		}
		p := strings.Join(prose, "\n")
		p = admonitionRe.ReplaceAllStringFunc(p, admonitionTitle)
		p = htmlCommentRe.ReplaceAllString(p, "")
		p = anchorTagRe.ReplaceAllString(p, "")
		p = dropPageNavigation(p)
		p = mdRefDefRe.ReplaceAllString(p, "")
		p = stripTemplateTags(p)
		p = lf.fix(p)
		out = append(out, p)
		prose = prose[:0]
	}
	fence := ""
	for _, l := range strings.Split(normalizeText(s), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case fence != "":
			out = append(out, l)
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			flush()
			out = append(out, l)
			fence = t[:3]
		default:
			prose = append(prose, l)
		}
	}
	flush()
	return strings.Trim(collapseBlankLines(strings.Join(out, "\n")), "\n")
}

// collapseBlankLines leaves at most one blank line between paragraphs.
func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// dedent removes the indentation that all of text's non-blank lines share.
func dedent(lines []string) []string {
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			l = l[indent:]
		} else if strings.TrimSpace(l) == "" {
			l = ""
		}
		out[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return out
}

// qaColumns finds the columns of a table that hold questions and their
// answers: the ones its header names so ("Question" and "Answer", "Q" and
// "A", in the languages the data keys know), or else, in a table with no
// such header, a first column whose every cell asks. header is nil for a
// table without one.
func qaColumns(header []string, rows [][]string) (q, a int, ok bool) {
	q, a = -1, -1
	for i, h := range header {
		k := dataKey(stripEmphasis(strings.TrimSpace(h)))
		switch {
		case q < 0 && (slices.Contains(dataQuestionKeys, k) || strings.Contains(k, "question") || strings.Contains(k, "frage")):
			q = i
		case a < 0 && slices.Contains(dataAnswerKeys, k):
			a = i
		}
	}
	if q >= 0 && a >= 0 {
		return q, a, true
	}
	if len(rows) < 2 {
		return 0, 0, false
	}
	for _, r := range rows {
		if len(r) < 2 || !strings.HasSuffix(strings.TrimSpace(stripEmphasis(strings.TrimSpace(r[0]))), "?") {
			return 0, 0, false
		}
	}
	return 0, 1, true
}
