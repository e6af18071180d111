package convert

import (
	"strings"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

var (
	orgHeadlineRe = lazyregexp.New(`^(\*+)[ \t]+(.*?)[ \t]*$`)
	orgTodoRe     = lazyregexp.New(`^(?:TODO|DONE|NEXT|WAITING|CANCELL?ED)[ \t]+`)
	orgPriorityRe = lazyregexp.New(`^\[#[A-Z0-9]\][ \t]+`)
	orgTagsRe     = lazyregexp.New(`[ \t]+:[\w@#%:]+:$`)
	orgKeywordRe  = lazyregexp.New(`^#\+(\w+):[ \t]*(.*)$`)
	orgBlockRe    = lazyregexp.New(`(?i)^#\+begin_(\w+)(?:[ \t]+(\S+))?`)
	orgDrawerRe   = lazyregexp.New(`^:[\w-]+:$`)
	orgPlanningRe = lazyregexp.New(`^(?:SCHEDULED|DEADLINE|CLOSED):`)
	orgListRe     = lazyregexp.New(`^([ \t]*)(?:[-+]|\d+[.)])[ \t]+(.*)$`)
	orgDescRe     = lazyregexp.New(`^(.*?)[ \t]+::(?:[ \t]+(.*))?$`)

	orgLinkRe   = lazyregexp.New(`\[\[([^\]]+)\](?:\[([^\]]+)\])?\]`)
	orgBoldRe   = lazyregexp.New(`(^|[\s('"{-])\*(\S(?:[^*\n]*?\S)?)\*([\s.,;:!?)'"}-]|$)`)
	orgItalicRe = lazyregexp.New(`(^|[\s('"{-])/(\S(?:[^/\n]*?\S)?)/([\s.,;:!?)'"}-]|$)`)
	orgCodeRe   = lazyregexp.New(`(^|[\s('"{-])[=~](\S(?:[^=~\n]*?\S)?)[=~]([\s.,;:!?)'"}-]|$)`)
	orgStrikeRe = lazyregexp.New(`(^|[\s('"{-])\+(\S(?:[^+\n]*?\S)?)\+([\s.,;:!?)'"}-]|$)`)
	orgUnderRe  = lazyregexp.New(`(^|[\s('"{-])_(\S(?:[^_\n]*?\S)?)_([\s.,;:!?)'"}-]|$)`)
)

// readOrg reads an Org-mode document: "*" headlines (their TODO keywords,
// priorities and tags left out), paragraphs, lists, description lists whose
// terms ask ("- Can I pay later? :: Yes."), source, example and quote
// blocks, fixed-width lines and tables, with the #+TITLE taken and other
// keywords, comments, drawers and planning lines left out.
func readOrg(name, src string, lf linkFixer) *document {
	d := &document{name: name}
	lines := strings.Split(src, "\n")
	var para []string
	at := 0
	flush := func() {
		if len(para) > 0 {
			d.paragraph(at, cleanAnswer(orgInline(strings.Join(para, "\n"), lf), lf))
			para = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		t := strings.TrimSpace(l)
		ln := i + 1
		switch {
		case t == "":
			flush()
		case orgHeadlineRe.MatchString(l):
			flush()
			m := orgHeadlineRe.FindStringSubmatch(l)
			h := orgTagsRe.ReplaceAllString(orgPriorityRe.ReplaceAllString(orgTodoRe.ReplaceAllString(m[2], ""), ""), "")
			if strings.HasPrefix(h, "COMMENT ") {
				i = orgSubtreeEnd(lines, i, len(m[1]))
				continue
			}
			d.heading(ln, len(m[1]), plainInline(orgInline(h, linkFixer{})))
		case orgBlockRe.MatchString(t):
			flush()
			m := orgBlockRe.FindStringSubmatch(t)
			end := "#+end_" + strings.ToLower(m[1])
			var body []string
			for i++; i < len(lines) && strings.ToLower(strings.TrimSpace(lines[i])) != end; i++ {
				body = append(body, lines[i])
			}
			switch strings.ToLower(m[1]) {
			case "src", "example", "export":
				d.answer(ln, "```"+strings.ToLower(m[2])+"\n"+strings.Join(dedent(body), "\n")+"\n```")
			case "comment":
			case "quote":
				q := cleanAnswer(orgInline(strings.Join(dedent(body), "\n"), lf), lf)
				d.answer(ln, "> "+strings.ReplaceAll(q, "\n", "\n> "))
			default:
				d.answer(ln, cleanAnswer(orgInline(strings.Join(dedent(body), "\n"), lf), lf))
			}
		case orgKeywordRe.MatchString(t):
			flush()
			if m := orgKeywordRe.FindStringSubmatch(t); strings.EqualFold(m[1], "title") && d.title == "" {
				d.title = strings.TrimSpace(plainInline(orgInline(m[2], linkFixer{})))
			}
		case t == "#" || strings.HasPrefix(t, "# "):
		case orgDrawerRe.MatchString(t) && !strings.EqualFold(t, ":end:"):
			flush()
			for i+1 < len(lines) && !strings.EqualFold(strings.TrimSpace(lines[i]), ":end:") {
				i++
			}
		case orgPlanningRe.MatchString(t):
		case t == ":" || strings.HasPrefix(t, ": "):
			flush()
			var body []string
			for ; i < len(lines) && (strings.TrimSpace(lines[i]) == ":" || strings.HasPrefix(strings.TrimSpace(lines[i]), ": ")); i++ {
				body = append(body, strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(lines[i]), ":"), " "))
			}
			i--
			d.answer(ln, "```\n"+strings.Join(body, "\n")+"\n```")
		case strings.HasPrefix(t, "|"):
			flush()
			var rows []string
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				r := strings.Trim(strings.TrimSpace(lines[i]), "|")
				if strings.Trim(r, "-+") == "" {
					continue // a rule
				}
				rows = append(rows, strings.Join(trimAll(strings.Split(r, "|")), " | "))
			}
			i--
			d.answer(ln, cleanAnswer(orgInline(strings.Join(rows, "\n"), lf), lf))
		case orgListRe.MatchString(l) && len(para) == 0 || orgListRe.MatchString(l) && orgListRe.MatchString(para[0]):
			m := orgListRe.FindStringSubmatch(l)
			if dm := orgDescRe.FindStringSubmatch(m[2]); dm != nil && strings.HasSuffix(strings.TrimSpace(dm[1]), "?") {
				// A description item that asks: a question, its
				// description the answer.
				flush()
				d.question(ln, plainInline(orgInline(dm[1], linkFixer{})))
				if dm[2] != "" {
					para, at = []string{dm[2]}, ln
				}
				continue
			}
			if dm := orgDescRe.FindStringSubmatch(m[2]); dm != nil {
				l = m[1] + "- **" + strings.TrimSpace(dm[1]) + "**: " + dm[2]
			}
			if len(para) == 0 {
				at = ln
			}
			para = append(para, l)
		default:
			if len(para) == 0 {
				at = ln
			}
			if len(para) > 0 && orgListRe.MatchString(para[0]) {
				para = append(para, l) // an item's next line, as indented
			} else {
				para = append(para, t)
			}
		}
	}
	flush()
	return d
}

// orgSubtreeEnd returns the last line of the subtree whose headline, of
// the given level, is at line i.
func orgSubtreeEnd(lines []string, i, level int) int {
	for j := i + 1; j < len(lines); j++ {
		if m := orgHeadlineRe.FindStringSubmatch(lines[j]); m != nil && len(m[1]) <= level {
			return j - 1
		}
	}
	return len(lines) - 1
}

// orgInline turns Org's inline markup into Markdown: links, and bold,
// italic, code, verbatim, strike-through and underlined text.
func orgInline(s string, lf linkFixer) string {
	s = orgLinkRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := orgLinkRe.FindStringSubmatch(m)
		target, text := strings.TrimPrefix(sm[1], "file:"), sm[2]
		switch {
		case strings.HasPrefix(target, "*") || strings.HasPrefix(target, "#") || !strings.ContainsAny(target, ":/."):
			// A headline or target within the document.
			if text == "" {
				text = strings.TrimLeft(target, "*# ")
			}
			return text
		case text == "" && isImagePath(target):
			return lf.link(true, "", target)
		}
		return lf.link(false, text, target)
	})
	// The marks are written as placeholders until the end, so that a
	// second pass (for markup next to markup, "*a* *b*") does not read
	// the first pass's marks as Org's.
	for range 2 {
		s = orgCodeRe.ReplaceAllString(s, "$1\x01$2\x01$3")
		s = orgBoldRe.ReplaceAllString(s, "$1\x02$2\x02$3")
		s = orgItalicRe.ReplaceAllString(s, "$1\x03$2\x03$3")
		s = orgStrikeRe.ReplaceAllString(s, "$1\x04$2\x04$3")
		s = orgUnderRe.ReplaceAllString(s, "$1$2$3")
	}
	s = strings.NewReplacer("\x01", "`", "\x02", "**", "\x03", "*", "\x04", "~~").Replace(s)
	return s
}

func isImagePath(p string) bool {
	switch strings.ToLower(pathExt(p)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp":
		return true
	}
	return false
}
