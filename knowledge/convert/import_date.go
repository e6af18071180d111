package convert

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

const monthNames = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`

var (
	isoDateRe = lazyregexp.New(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	// "Dec 6th, 2023", "December 6, 2023", "Dec. 6 2023"
	mdyDateRe = lazyregexp.New(`(?i)\b(` + monthNames + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	// "6 Dec 2023", "6th of December, 2023"
	dmyDateRe = lazyregexp.New(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + monthNames + `)\.?,?\s+(\d{4})\b`)
	// What may stand beside a date on a line that only dates the document.
	dateLineWordsRe = lazyregexp.New(`(?i)\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\b|\b(?:published|updated|posted|last|modified|date|dated|on|at)\b|\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|utc|gmt)?\b`)
)

// findDate returns the first date written in text as YYYY-MM-DD, and where
// it starts; "" and -1 when there is none.
func findDate(text string) (string, int) {
	best, at := "", -1
	try := func(re *lazyregexp.Regexp, conv func(m []string) (int, int, int)) {
		for _, loc := range re.FindAllStringSubmatchIndex(text, -1) {
			if at >= 0 && loc[0] >= at {
				return
			}
			m := make([]string, len(loc)/2)
			for i := range m {
				if loc[2*i] >= 0 {
					m[i] = text[loc[2*i]:loc[2*i+1]]
				}
			}
			y, mo, d := conv(m)
			if s, ok := validDate(y, mo, d); ok {
				best, at = s, loc[0]
				return
			}
		}
	}
	try(isoDateRe, func(m []string) (int, int, int) { return atoi(m[1]), atoi(m[2]), atoi(m[3]) })
	try(mdyDateRe, func(m []string) (int, int, int) { return atoi(m[3]), monthNumber(m[1]), atoi(m[2]) })
	try(dmyDateRe, func(m []string) (int, int, int) { return atoi(m[3]), monthNumber(m[2]), atoi(m[1]) })
	return best, at
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func monthNumber(s string) int {
	s = strings.ToLower(s)
	for i, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(s, m) {
			return i + 1
		}
	}
	return 0
}

func validDate(y, m, d int) (string, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}

// isDateLine reports whether a line does nothing but date the document, as
// in "Wed. Dec 6th, 2023" or "Published on 6 December 2023".
func isDateLine(line string) bool {
	if len(line) > 80 {
		return false
	}
	d, _ := findDate(line)
	if d == "" {
		return false
	}
	rest := line
	for _, re := range []*lazyregexp.Regexp{isoDateRe, mdyDateRe, dmyDateRe} {
		rest = re.ReplaceAllString(rest, " ")
	}
	rest = dateLineWordsRe.ReplaceAllString(rest, " ")
	return strings.Trim(rest, " \t.,:;-–—|/()[]*_#") == ""
}
