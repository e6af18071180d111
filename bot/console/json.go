package console

import "github.com/faqbot/faqbot/bot"

// JSONReply is a reply as "faqbot ask --json" and "faqbot chat --json"
// write it. Confidences are rounded to three decimals, as the bot rounds
// them.
type JSONReply struct {
	// Answered is true when the reply answers with an entry.
	Answered bool `json:"answered"`
	// ID, Question, Source and Updated describe the entry answered with.
	ID       string `json:"id"`
	Question string `json:"question"`
	// Answer is the entry's answer, or the reply's text (the fallback, a
	// command's output), as Markdown.
	Answer string `json:"answer"`
	// Confidence is the confidence in the entry answered with, or in the
	// best candidate when none was confident enough.
	Confidence  float64          `json:"confidence"`
	Source      string           `json:"source,omitempty"`
	Updated     string           `json:"updated,omitempty"`
	Suggestions []JSONSuggestion `json:"suggestions"`
}

// JSONSuggestion is one "Did you mean…" choice in a JSONReply.
type JSONSuggestion struct {
	ID         string  `json:"id"`
	Question   string  `json:"question"`
	Confidence float64 `json:"confidence"`
}

// NewJSONReply returns r as a JSONReply.
func NewJSONReply(r bot.Reply) JSONReply {
	out := JSONReply{Answered: r.Kind == bot.Answer, Answer: r.Text, Confidence: r.Confidence, Suggestions: []JSONSuggestion{}}
	if e := r.Entry; e != nil {
		out.ID, out.Question, out.Answer = e.ID, e.Question, e.Answer
		out.Source, out.Updated = e.Source, e.Updated
	}
	for _, s := range r.Suggestions {
		out.Suggestions = append(out.Suggestions, JSONSuggestion(s))
	}
	return out
}
