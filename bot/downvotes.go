package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Downvote is one 👎 as recorded: the entry answered with, the question it
// answered (or "" when none was found: a shared answer, say) and the
// voter's reason, if they gave one.
type Downvote struct {
	Time     time.Time
	EntryID  string
	Question string
	Reason   string
}

// Downvotes is the power of a state database to list the 👎 votes, which
// /faq unanswered shows next to the unanswered questions. Package store's
// Store has it; a Store without it shows no votes there.
type Downvotes interface {
	// Downvoted returns the 👎 votes since the given time, the latest
	// first, at most limit of them.
	Downvoted(ctx context.Context, since time.Time, limit int) ([]Downvote, error)
}

// DownvotedGroup is an answer people marked 👎: one question and the entry
// it was answered with, with every reason given.
type DownvotedGroup struct {
	// Key names the group in "/faq promote <key>", as UnansweredGroup.Key.
	Key      string    `json:"key"`
	Question string    `json:"question"`
	EntryID  string    `json:"entry_id"`
	Count    int       `json:"count"`
	Reasons  []string  `json:"reasons,omitempty"`
	Last     time.Time `json:"last"`
	// BestID is the entry, other than EntryID, that comes closest to the
	// question in the knowledge base being served, or "": where a promote
	// would send it.
	BestID     string  `json:"best_id,omitempty"`
	Confidence float64 `json:"confidence"`
}

// maxDownvotes is the number of 👎 votes read to group.
const maxDownvotes = 2000

// maxReasons is the number of reasons shown for one downvoted answer.
const maxReasons = 3

// Downvoted returns the answers marked 👎 in the last days, grouped by
// question and entry, the most downvoted first. A bot whose store cannot
// list votes returns none.
func (b *Bot) Downvoted(ctx context.Context, days int) ([]DownvotedGroup, error) {
	dv, ok := b.store.(Downvotes)
	if !ok {
		return nil, nil
	}
	votes, err := dv.Downvoted(ctx, time.Now().Add(-time.Duration(days)*24*time.Hour), maxDownvotes)
	if err != nil {
		return nil, err
	}
	byKey := map[string]*DownvotedGroup{}
	var out []*DownvotedGroup
	for _, v := range votes {
		sum := sha256.Sum256([]byte("down\x00" + normalize(v.Question) + "\x00" + v.EntryID))
		key := hex.EncodeToString(sum[:])[:keyLen]
		g, seen := byKey[key]
		if !seen {
			g = &DownvotedGroup{Key: key, Question: v.Question, EntryID: v.EntryID, Last: v.Time}
			byKey[key] = g
			out = append(out, g)
		}
		g.Count++
		if r := strings.TrimSpace(v.Reason); r != "" && len(g.Reasons) < maxReasons {
			g.Reasons = append(g.Reasons, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	kb := b.kb.Load()
	groups := make([]DownvotedGroup, 0, len(out))
	for _, g := range out {
		if kb != nil && g.Question != "" {
			for _, c := range kb.Search(g.Question).Candidates {
				if c.Entry.ID != g.EntryID && c.Confidence >= minBestGuess {
					g.BestID, g.Confidence = c.Entry.ID, round(c.Confidence)
					break
				}
			}
		}
		groups = append(groups, *g)
	}
	return groups, nil
}

// asUnanswered is the group as promote takes it: its question, and where a
// promote without "to <id>" sends it.
func (g DownvotedGroup) asUnanswered() UnansweredGroup {
	return UnansweredGroup{Key: g.Key, Text: g.Question, Count: g.Count, Last: g.Last, BestID: g.BestID, Confidence: g.Confidence}
}

// FormatDownvoted writes the downvoted answers as Markdown, numbered from
// first on in chat (after the unanswered questions, for "/faq promote
// <n>"), each with its key elsewhere.
func FormatDownvoted(groups []DownvotedGroup, first int, chat bool) string {
	if len(groups) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\n\nAnswers marked 👎, most downvoted first:\n")
	for i, g := range groups {
		if chat {
			fmt.Fprintf(&sb, "%d. ", first+i)
		} else {
			fmt.Fprintf(&sb, "- %s ", g.Key)
		}
		q := "(a shared answer: no question)"
		if g.Question != "" {
			q = "“" + Defuse(g.Question) + "”"
		}
		fmt.Fprintf(&sb, "%s answered with `%s`: 👎 ×%d", q, g.EntryID, g.Count)
		if len(g.Reasons) > 0 {
			quoted := make([]string, len(g.Reasons))
			for j, r := range g.Reasons {
				quoted[j] = "“" + Defuse(r) + "”"
			}
			fmt.Fprintf(&sb, " (%s)", strings.Join(quoted, "; "))
		}
		if g.BestID != "" {
			fmt.Fprintf(&sb, ". Perhaps `%s` (%.2f)", g.BestID, g.Confidence)
		}
		sb.WriteString(".\n")
	}
	if chat {
		sb.WriteString("Send one to the right entry with `/faq promote <n> to <id>`.")
	} else {
		sb.WriteString("In chat, `/faq promote <key> to <id>` adds one as a phrasing of the right entry.")
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// downvotedActions offers, for each downvoted answer with another close
// entry, a button that adds its question as a phrasing of that entry.
func downvotedActions(groups []DownvotedGroup, first int) []Action {
	var out []Action
	for i, g := range groups {
		if g.BestID != "" && g.Question != "" {
			out = append(out, Action{Label: fmt.Sprintf("%d: add as a phrasing of %s", first+i, g.BestID), Command: PromoteCommand(g.Key, g.BestID)})
		}
	}
	return out
}
