package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Limits of /faq stale.
const (
	// DefaultStaleDays is the age past which an entry's updated date is
	// stale, and the period its questions and votes are read over, when
	// /faq stale is given no number of days.
	DefaultStaleDays = 90
	// minStaleVotes is the fewest votes on which a share of 👎 counts.
	minStaleVotes = 3
	// maxStale is the number of entries /faq stale lists.
	maxStale = 15
)

// StaleEntry is an entry that may want a look, and why.
type StaleEntry struct {
	ID    string `json:"id"`
	Owner string `json:"owner,omitempty"`
	// Age is the number of days since the entry's updated date, or -1
	// when it has none.
	Age int `json:"age"`
	// Down and Votes count the 👎 and all votes on its answers in the
	// period.
	Down  int `json:"down"`
	Votes int `json:"votes"`
	// NeverAsked is true when it answered no question in the period.
	NeverAsked bool `json:"never_asked"`
	// Reasons says why it is listed, worst first.
	Reasons []string `json:"reasons"`
	score   float64
}

// Stale returns the entries of the knowledge base being served that may
// want a look, worst first: those whose updated date is more than days
// ago, those whose answers got mostly 👎 (of minStaleVotes votes or more)
// and those that answered no question in the last days. Without a state
// database only the dates count.
func (b *Bot) Stale(ctx context.Context, days int) ([]StaleEntry, error) {
	return b.staleAt(ctx, time.Now(), days)
}

// staleAt is Stale as of now.
func (b *Bot) staleAt(ctx context.Context, now time.Time, days int) ([]StaleEntry, error) {
	counts := map[string]EntryStats{}
	if b.store != nil {
		st, err := b.store.Stats(ctx, now.Add(-time.Duration(days)*24*time.Hour))
		if err != nil {
			return nil, err
		}
		for _, e := range st.Entries {
			counts[e.ID] = e
		}
	}
	var out []StaleEntry
	for _, e := range b.kb.Load().Entries() {
		s := StaleEntry{ID: e.ID, Owner: e.Owner, Age: -1}
		if t, err := time.Parse("2006-01-02", e.Updated); err == nil {
			s.Age = int(now.Sub(t).Hours() / 24)
		}
		c := counts[e.ID]
		s.Down, s.Votes = c.Down, c.Up+c.Down
		s.NeverAsked = b.store != nil && c.Answered == 0
		if s.Votes >= minStaleVotes && 2*s.Down >= s.Votes {
			s.Reasons = append(s.Reasons, fmt.Sprintf("👎 %d of %d votes", s.Down, s.Votes))
			s.score += 2 + float64(s.Down)/float64(s.Votes)
		}
		if s.Age > days {
			s.Reasons = append(s.Reasons, fmt.Sprintf("updated %s, %d days ago", e.Updated, s.Age))
			s.score += 1 + float64(s.Age)/3650
		}
		if s.NeverAsked {
			s.Reasons = append(s.Reasons, fmt.Sprintf("never asked in the last %s", plural(days, "day")))
			s.score += 0.5
		}
		if len(s.Reasons) > 0 {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out, nil
}

func (b *Bot) staleCommand(ctx context.Context, m Message, args string) Reply {
	if !m.Admin {
		return Reply{Kind: Refusal, Private: true, Text: "Sorry, only admins can see which entries are stale."}
	}
	days, err := parseDays(args, DefaultStaleDays)
	if err != nil {
		return Reply{Kind: Refusal, Private: true, Text: err.Error() + ". Write `/faq stale [days]`."}
	}
	stale, err := b.Stale(ctx, days)
	if err != nil {
		b.log.Warn("could not read the statistics for /faq stale", "error", err)
		return Reply{Kind: Refusal, Private: true, Text: "I could not read the statistics: " + err.Error()}
	}
	if len(stale) == 0 {
		return Reply{Kind: Info, Private: true, Text: fmt.Sprintf("No entry looks stale: each was updated, asked and liked within the last %s.", plural(days, "day"))}
	}
	return Reply{Kind: Info, Private: true, Text: staleList(stale, "")}
}

// staleList lists stale entries, worst first, under a line counting them
// (after intro, when not ""), each with its owner defused.
func staleList(stale []StaleEntry, intro string) string {
	var sb strings.Builder
	sb.WriteString(intro)
	if len(stale) == 1 {
		sb.WriteString("1 entry may want a look:")
	} else {
		fmt.Fprintf(&sb, "%d entries may want a look, worst first:", len(stale))
	}
	for _, s := range stale[:min(len(stale), maxStale)] {
		fmt.Fprintf(&sb, "\n- `%s`", s.ID)
		if s.Owner != "" {
			fmt.Fprintf(&sb, " (owner %s)", Defuse(s.Owner))
		}
		sb.WriteString(": " + strings.Join(s.Reasons, "; "))
	}
	if len(stale) > maxStale {
		fmt.Fprintf(&sb, "\n- and %d more", len(stale)-maxStale)
	}
	return sb.String()
}
