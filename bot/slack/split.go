package slack

import (
	"strings"
	"unicode/utf8"
)

// Split cuts mrkdwn into pieces of at most limit characters, for Slack's
// per-block limits. It cuts at a paragraph break, else a line break, else a
// space, never inside an escape such as &amp; or a <link>, and closes and
// reopens a code block that a cut falls in. limit must be at least 16.
func Split(s string, limit int) []string {
	const fence = "```"
	var parts []string
	inFence := false
	for s != "" {
		if inFence {
			s = fence + "\n" + s
		}
		if utf8.RuneCountInString(s) <= limit {
			parts = append(parts, s)
			break
		}
		// Leave room to close a code block the cut falls in.
		window := firstRunes(s, limit-len("\n"+fence))
		cut := bestCut(window)
		chunk := strings.TrimRight(s[:cut], " \n")
		rest := s[cut:]
		inFence = fences(chunk)%2 == 1
		if inFence {
			chunk += "\n" + fence
			rest = strings.TrimLeft(rest, "\n")
		} else {
			rest = strings.TrimLeft(rest, " \n")
		}
		if strings.TrimSpace(chunk) != "" && chunk != fence+"\n"+fence {
			parts = append(parts, chunk)
		}
		s = rest
	}
	return parts
}

// fences counts the lines of s that open or close a code block: Mrkdwn
// writes them as "```" alone.
func fences(s string) int {
	n := 0
	for line := range strings.Lines(s) {
		if strings.TrimSuffix(line, "\n") == "```" {
			n++
		}
	}
	return n
}

// firstRunes returns the longest prefix of s with at most n runes.
func firstRunes(s string, n int) string {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// bestCut returns where to cut window: after the last paragraph break,
// line break or space in its second half, else at its end; then moved back
// out of any escape or link it would split. It always returns more than a
// quarter of the window, so Split makes progress.
func bestCut(window string) int {
	cut := len(window)
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(window, sep); i > len(window)/2 {
			cut = i + len(sep)
			break
		}
	}
	head := window[:cut]
	if amp := strings.LastIndexByte(head, '&'); amp >= 0 && amp > strings.LastIndexByte(head, ';') && len(head)-amp < len("&amp;") {
		cut = amp
	}
	head = window[:cut]
	if lt := strings.LastIndexByte(head, '<'); lt > strings.LastIndexByte(head, '>') && lt > 0 {
		cut = lt
	}
	if cut <= len(window)/4 {
		// A link longer than the whole window: cutting it is the lesser evil.
		cut = len(window)
	}
	return cut
}
