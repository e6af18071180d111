package match

import (
	"strings"

	"github.com/faqbot/faqbot/knowledge"
)

// ownHeadings returns each entry's own heading, "" for an entry that has
// none: the last heading of its section when no other entry sits under
// that section, unless it says again one of the entry's phrasings. A
// document that gives each question a heading of its own titles it there
// in a few words ("Empfang von großen Nachrichten ablehnen" over a
// paragraph that asks it at length), and a question that sums a
// paragraph up is closer to its title than to its paragraph: the index
// reads the title as one more way the entry is asked (see index.headings).
// A heading over several entries names what they have in common, not
// what any one of them asks. It returns nil when no entry has one.
func ownHeadings(entries []knowledge.Entry) []string {
	under := make(map[string]int)
	for i := range entries {
		if s := entries[i].Section; s != "" {
			under[s]++
		}
	}
	var out []string
	for i := range entries {
		e := &entries[i]
		if under[e.Section] != 1 {
			continue
		}
		h := e.Section
		if at := strings.LastIndex(h, "›"); at >= 0 {
			h = h[at+len("›"):]
		}
		h = strings.TrimSpace(h)
		if h == "" || strings.EqualFold(h, strings.TrimSpace(e.Question)) || containsFold(e.Alternates, h) {
			continue
		}
		if out == nil {
			out = make([]string, len(entries))
		}
		out[i] = h
	}
	return out
}

// containsFold reports whether list holds s, ignoring case and the space
// around it.
func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

// askedEnd returns where entry e's phrasings that ask it end: its question
// and alternates are x.entPhr[e] to askedEnd(e), and its own heading, when
// it has one (see ownHeadings), comes after them. The heading is scored as
// a phrasing, but counts as none where the number of ways an entry is
// asked matters: its pooled phrasings, its answer's weight, its second
// best's share.
func (x *index) askedEnd(e int32) int32 {
	end := x.entPhr[e+1]
	if x.hasHeading(e) {
		end--
	}
	return end
}

// hasHeading reports whether entry e has its own heading (see
// ownHeadings).
func (x *index) hasHeading(e int32) bool {
	return x.headings != nil && x.headings[e] != ""
}

// asked returns the number of phrasings that ask entry e (see askedEnd).
func (x *index) asked(e int32) int32 { return x.askedEnd(e) - x.entPhr[e] }

// isHeading reports whether phrasing p is its entry's own heading.
func (x *index) isHeading(p int32) bool {
	return x.headings != nil && p >= x.askedEnd(x.phrEntry[p])
}
