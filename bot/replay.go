package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/faqbot/faqbot/knowledge/match"
)

// AskedText is one distinct question text asked of the bot, with how often
// it was asked.
type AskedText struct {
	Text  string
	Count int
}

// History is the power of a state database to list the questions asked,
// which replays need. Package store's Store has it; a Store without it
// simply has no replays.
type History interface {
	// Questions returns the distinct texts of the questions asked of the
	// bot since the given time, the most asked first, at most limit of
	// them.
	Questions(ctx context.Context, since time.Time, limit int) ([]AskedText, error)
}

// Limits of replays.
const (
	// DefaultReplayDays is the period of questions a replay asks again
	// when none is given, and the one a reload replays.
	DefaultReplayDays = 30
	// MaxReplayTexts is the number of distinct question texts, the most
	// asked, that a replay asks again: each is asked of both files.
	MaxReplayTexts = 5000
)

// ReplayChange is one distinct question whose reply differs between two
// knowledge files.
type ReplayChange struct {
	Text string `json:"text"`
	// Count is how often it was asked.
	Count int `json:"count"`
	// Before and After are the entries answered with, "" for none.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// BeforeConfidence and AfterConfidence are those of the best
	// candidate, answered with or not.
	BeforeConfidence float64 `json:"before_confidence"`
	AfterConfidence  float64 `json:"after_confidence"`
}

// ReplayReport is what a change of knowledge file does to the questions
// people asked: each distinct question asked of both files at the bot's
// threshold. Each list is the most asked first.
type ReplayReport struct {
	Days int `json:"days"`
	// Questions counts every question replayed, Distinct the distinct
	// texts.
	Questions int `json:"questions"`
	Distinct  int `json:"distinct"`
	// AnsweredBefore and AnsweredAfter count the questions (not the
	// texts) each file answers.
	AnsweredBefore int `json:"answered_before"`
	AnsweredAfter  int `json:"answered_after"`
	// Changed are answered by both files, with different entries.
	Changed []ReplayChange `json:"changed"`
	// NewlyAnswered are answered by the new file only.
	NewlyAnswered []ReplayChange `json:"newly_answered"`
	// NowRefused are answered by the old file only.
	NowRefused []ReplayChange `json:"now_refused"`
}

// ShareBefore returns the share of the questions the old file answers.
func (r ReplayReport) ShareBefore() float64 { return share(r.AnsweredBefore, r.Questions) }

// ShareAfter returns the share of the questions the new file answers.
func (r ReplayReport) ShareAfter() float64 { return share(r.AnsweredAfter, r.Questions) }

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Replay asks every question of old and of next at threshold, as the bot
// would answer it, and reports the replies that differ.
func Replay(old, next *Base, questions []AskedText, threshold float64, days int) ReplayReport {
	r := ReplayReport{Days: days, Changed: []ReplayChange{}, NewlyAnswered: []ReplayChange{}, NowRefused: []ReplayChange{}}
	for _, q := range questions {
		r.Distinct++
		r.Questions += q.Count
		c := ReplayChange{Text: q.Text, Count: q.Count}
		c.Before, c.BeforeConfidence = answeredWith(old, q.Text, threshold)
		c.After, c.AfterConfidence = answeredWith(next, q.Text, threshold)
		if c.Before != "" {
			r.AnsweredBefore += q.Count
		}
		if c.After != "" {
			r.AnsweredAfter += q.Count
		}
		switch {
		case c.Before == c.After:
		case c.Before == "":
			r.NewlyAnswered = append(r.NewlyAnswered, c)
		case c.After == "":
			r.NowRefused = append(r.NowRefused, c)
		default:
			r.Changed = append(r.Changed, c)
		}
	}
	for _, list := range [][]ReplayChange{r.Changed, r.NewlyAnswered, r.NowRefused} {
		sort.SliceStable(list, func(i, j int) bool { return list[i].Count > list[j].Count })
	}
	return r
}

// answeredWith returns the entry kb answers text with at threshold, or ""
// when it does not answer, and the best candidate's confidence.
func answeredWith(kb *Base, text string, threshold float64) (string, float64) {
	res := kb.Search(text)
	best, ok := res.Best()
	if !ok {
		return "", 0
	}
	if res.Decide(threshold) != match.Answered {
		return "", round(best.Confidence)
	}
	return best.Entry.ID, round(best.Confidence)
}

// ReplayHistory reads the questions of the last days from h and replays
// them against old and next.
func ReplayHistory(ctx context.Context, h History, old, next *Base, threshold float64, days int) (ReplayReport, error) {
	qs, err := h.Questions(ctx, time.Now().Add(-time.Duration(days)*24*time.Hour), MaxReplayTexts)
	if err != nil {
		return ReplayReport{}, err
	}
	return Replay(old, next, qs, threshold, days), nil
}

// Summary says in one line what the change does: "14 answers change, 9
// newly answered, 2 now refused; answered 61.0% → 64.2% of 1234
// questions in the last 30 days".
func (r ReplayReport) Summary() string {
	if r.Questions == 0 {
		return fmt.Sprintf("No questions asked in the last %s to replay.", plural(r.Days, "day"))
	}
	verb := "change"
	if len(r.Changed) == 1 {
		verb = "changes"
	}
	return fmt.Sprintf("%s %s, %d newly answered, %d now refused; answered %.1f%% → %.1f%% of %s in the last %s",
		plural(len(r.Changed), "answer"), verb, len(r.NewlyAnswered), len(r.NowRefused),
		100*r.ShareBefore(), 100*r.ShareAfter(), plural(r.Questions, "question"), plural(r.Days, "day"))
}

// replayGroups names the report's lists, in the order they are shown.
func (r ReplayReport) replayGroups() []struct {
	title string
	list  []ReplayChange
} {
	return []struct {
		title string
		list  []ReplayChange
	}{
		{"Answers that change", r.Changed},
		{"Newly answered", r.NewlyAnswered},
		{"Now refused", r.NowRefused},
	}
}

// describeChange says in a line what happens to one question: in
// Markdown, defused, for chat; or in plain text, quoted, for a terminal.
func describeChange(c ReplayChange, markdown bool) string {
	entry := func(id string, conf float64) string {
		switch {
		case id == "":
			return fmt.Sprintf("no answer (%.2f)", conf)
		case markdown:
			return fmt.Sprintf("`%s` (%.2f)", id, conf)
		}
		return fmt.Sprintf("%s (%.2f)", id, conf)
	}
	text := fmt.Sprintf("%q", c.Text)
	if markdown {
		text = "“" + Defuse(c.Text) + "”"
	}
	return fmt.Sprintf("%s ×%d: %s → %s", text, c.Count, entry(c.Before, c.BeforeConfidence), entry(c.After, c.AfterConfidence))
}

// Details lists up to n of the changes, the answers that change first,
// one a line in Markdown, and says how many more there are.
func (r ReplayReport) Details(n int) string {
	var sb strings.Builder
	shown, total := 0, 0
	for _, g := range r.replayGroups() {
		total += len(g.list)
		for _, c := range g.list {
			if shown == n {
				break
			}
			sb.WriteString("\n- " + describeChange(c, true))
			shown++
		}
	}
	if total > shown {
		fmt.Fprintf(&sb, "\n- and %d more (`faqbot replay` lists them all)", total-shown)
	}
	return strings.TrimPrefix(sb.String(), "\n")
}

// WriteReplay writes the report in format "text", "markdown" (for a
// pull-request comment) or "json".
func WriteReplay(w io.Writer, r ReplayReport, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			ReplayReport
			ShareBefore float64 `json:"answered_share_before"`
			ShareAfter  float64 `json:"answered_share_after"`
		}{r, round(r.ShareBefore()), round(r.ShareAfter())})
	case "markdown":
		var sb strings.Builder
		sb.WriteString("### What this knowledge change does to the questions asked\n\n")
		sb.WriteString(r.Summary() + ".\n")
		for _, g := range r.replayGroups() {
			if len(g.list) == 0 {
				continue
			}
			fmt.Fprintf(&sb, "\n**%s** (%d)\n\n", g.title, len(g.list))
			sb.WriteString("| question | asked | before | after |\n|---|---:|---|---|\n")
			for _, c := range g.list {
				fmt.Fprintf(&sb, "| %s | %d | %s | %s |\n", markdownCell(c.Text), c.Count,
					markdownEntry(c.Before, c.BeforeConfidence), markdownEntry(c.After, c.AfterConfidence))
			}
		}
		_, err := io.WriteString(w, sb.String())
		return err
	case "text", "":
		var sb strings.Builder
		sb.WriteString(r.Summary() + ".\n")
		for _, g := range r.replayGroups() {
			if len(g.list) == 0 {
				continue
			}
			fmt.Fprintf(&sb, "\n%s (%d):\n", g.title, len(g.list))
			for _, c := range g.list {
				sb.WriteString("  " + describeChange(c, false) + "\n")
			}
		}
		_, err := io.WriteString(w, sb.String())
		return err
	}
	return fmt.Errorf("unknown format %q: use text, markdown or json", format)
}

// markdownEntry is an entry and confidence in a Markdown table cell.
func markdownEntry(id string, conf float64) string {
	if id == "" {
		return fmt.Sprintf("— (%.2f)", conf)
	}
	return fmt.Sprintf("`%s` (%.2f)", id, conf)
}

// markdownCell makes a question safe inside a Markdown table cell: no
// pipes or line breaks to break the table, and no mentions.
func markdownCell(s string) string {
	s = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(Defuse(s))
	return s
}

// Lost returns the number of distinct questions that were answered and
// now get another answer or none: what reload.max_changed and
// "faqbot replay --max-changed" limit.
func (r ReplayReport) Lost() int { return len(r.Changed) + len(r.NowRefused) }
