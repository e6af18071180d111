package bot

import (
	"strings"
	"unicode"
)

// Courtesy replies: what the bot says to a greeting or a thank-you that
// the knowledge file has no answer for. They are not questions, so they
// are neither logged nor recorded as unanswered: an admin's list of what
// the bot could not answer holds questions only.
const (
	greetingReply = "Hi! Ask me a question in your own words; `/faq help` shows what else I can do."
	thanksReply   = "You're welcome!"
)

// courtesies maps a whole message, lower-cased and without punctuation,
// to its reply.
var courtesies = func() map[string]string {
	m := make(map[string]string)
	for _, s := range []string{"hi", "hello", "hey", "hiya", "howdy", "yo", "hi there", "hello there", "hey there", "hi all", "hello all", "hey all", "hi everyone", "hello everyone", "hey everyone", "good morning", "good afternoon", "good evening", "morning"} {
		m[s] = greetingReply
	}
	for _, s := range []string{"thanks", "thank you", "thx", "ty", "thanks a lot", "thanks so much", "thank you so much", "thank you very much", "many thanks", "cheers", "ok thanks", "ok thank you", "great thanks", "perfect thanks", "thanks again", "thanks all", "thanks everyone"} {
		m[s] = thanksReply
	}
	return m
}()

// courtesy returns the reply to text when it is only a greeting or a
// thank-you, in English: "Hello!", "thanks :)", "Thank you so much."
func courtesy(text string) (string, bool) {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r)
	})
	if len(words) == 0 || len(words) > 4 {
		return "", false
	}
	r, ok := courtesies[strings.Join(words, " ")]
	return r, ok
}
