package knowledge

import (
	"regexp"
	"unicode/utf8"
)

// knowledgeKey finds a key of the knowledge file's format (version,
// entries, or an entry's id, question, answer or alternates), in YAML or
// JSON: what a knowledge file, even a broken one, has, and what a file
// that is not one (a config file, a password file a symbolic link was
// pointed at) lacks.
var knowledgeKey = regexp.MustCompile(`(?m)^[ \t]*(?:- +)?(?:version|entries|id|question|answer|alternates)[ \t]*:|"(?:version|entries|id|question|answer|alternates)"[ \t\r\n]*:`)

// content finds a line that is neither blank nor a YAML comment.
var content = regexp.MustCompile(`(?m)^[ \t]*[^ \t\r\n#]`)

// foreign returns the one problem to report for a file that failed to
// load and has no version or entries key: it is not a knowledge file, so
// its content is no business of the messages, which go to logs and to
// chat, and none of it is quoted. It returns nil for a file that looks
// like a knowledge file, whose own problems are reported as they are.
func foreign(name string, data []byte) error {
	if knowledgeKey.Match(data) || !content.Match(data) {
		return nil
	}
	kind := "text"
	if !utf8.Valid(data) {
		kind = "binary data"
	}
	return Errors{Problemf(name, 0, 0, "", "is not a knowledge file: it holds %s with no version or entries key, so none of it is shown here; check that the path (or, for a link, the file it points to) names your FAQ file", kind)}
}

// maxQuoted is the most characters of a key or value of the file that a
// message quotes.
const maxQuoted = 40

// excerpt returns s, cut to maxQuoted characters, for a message.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= maxQuoted {
		return s
	}
	r := []rune(s)
	return string(r[:maxQuoted]) + "…"
}
