package convert

import (
	"strings"
	"unicode/utf8"

	"github.com/faqbot/faqbot/knowledge"
)

// fitLimits cuts a question and its answer to the loader's limits, so that
// nothing is dropped: a question that is too long is cut and given whole at
// the top of its answer, and an answer that is too long is cut at a
// paragraph. Each cut is a warning.
func fitLimits(question, answer string, warn func(format string, args ...any)) (string, string) {
	q := cutRunes(question, knowledge.MaxPhrasingLen)
	if q != question {
		warn("question %q is longer than %d characters; cut, and given whole at the top of its answer", knowledge.Truncate(question, 40), knowledge.MaxPhrasingLen)
		answer = question + "\n\n" + answer
	}
	if n := utf8.RuneCountInString(answer); n > knowledge.MaxAnswerLen {
		answer = cutAnswer(answer, knowledge.MaxAnswerLen)
		warn("the answer to %q is %d characters long; cut to %d, the most an answer may have", knowledge.Truncate(q, 40), n, utf8.RuneCountInString(answer))
	}
	return q, answer
}

// cutAnswer cuts s to at most n characters, at a paragraph break when one
// falls in the second half.
func cutAnswer(s string, n int) string {
	cut := string([]rune(s)[:n])
	if i := strings.LastIndex(cut, "\n\n"); i > len(cut)/2 {
		return strings.TrimSpace(cut[:i])
	}
	return cutRunes(s, n)
}

// cutRunes cuts s to at most n characters, at a space where it can.
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut)
}
