package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// StatsReport is what happened over a period, read against the knowledge
// base being served, as /faq stats and "faqbot stats" show it.
type StatsReport struct {
	Days      int `json:"days"`
	Questions int `json:"questions"`
	Answered  int `json:"answered"`
	// PerDay has the days with questions, oldest first.
	PerDay []DayStats `json:"per_day"`
	// Entries are the entries answered with or voted on, the most answered
	// first.
	Entries []EntryStats `json:"entries"`
	// NeverAsked lists the ids of the entries being served that answered
	// no question in the period, in file order.
	NeverAsked []string `json:"never_asked"`
}

// maxStatsLines bounds each list in the stats reply.
const maxStatsLines = 10

// Stats returns the statistics of the last days.
func (b *Bot) Stats(ctx context.Context, days int) (StatsReport, error) {
	if b.store == nil {
		return StatsReport{}, ErrNoStore
	}
	st, err := b.store.Stats(ctx, time.Now().Add(-time.Duration(days)*24*time.Hour))
	if err != nil {
		return StatsReport{}, err
	}
	r := StatsReport{Days: days, PerDay: st.Days, Entries: st.Entries, NeverAsked: []string{}}
	for _, d := range st.Days {
		r.Questions += d.Questions
		r.Answered += d.Answered
	}
	sort.SliceStable(r.Entries, func(i, j int) bool { return r.Entries[i].Answered > r.Entries[j].Answered })
	asked := map[string]bool{}
	for _, e := range st.Entries {
		if e.Answered > 0 {
			asked[e.ID] = true
		}
	}
	if kb := b.kb.Load(); kb != nil {
		for _, e := range kb.Entries() {
			if !asked[e.ID] {
				r.NeverAsked = append(r.NeverAsked, e.ID)
			}
		}
	}
	return r, nil
}

func (b *Bot) statsCommand(ctx context.Context, m Message, args string) Reply {
	if !m.Admin {
		return Reply{Kind: Refusal, Private: true, Text: "Sorry, only admins can see the statistics."}
	}
	days, err := parseDays(args, DefaultStatsDays)
	if err != nil {
		return Reply{Kind: Refusal, Private: true, Text: err.Error() + ". Write `/faq stats [days]`."}
	}
	r, err := b.Stats(ctx, days)
	if err != nil {
		b.log.Warn("could not read the statistics", "error", err)
		return Reply{Kind: Refusal, Private: true, Text: "I could not read the statistics: " + err.Error()}
	}
	return Reply{Kind: Info, Private: true, Text: FormatStats(r)}
}

// FormatStats writes a stats report as Markdown.
func FormatStats(r StatsReport) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Last %s**: %s, %d answered", plural(r.Days, "day"), plural(r.Questions, "question"), r.Answered)
	if r.Questions > 0 {
		fmt.Fprintf(&sb, " (%.0f%%)", 100*float64(r.Answered)/float64(r.Questions))
	}
	sb.WriteString(".\n")
	if len(r.PerDay) > 0 {
		sb.WriteString("\n**Questions per day** (answered):\n")
		days := r.PerDay
		if len(days) > maxStatsLines {
			fmt.Fprintf(&sb, "…%s before these\n", plural(len(days)-maxStatsLines, "day"))
			days = days[len(days)-maxStatsLines:]
		}
		for _, d := range days {
			fmt.Fprintf(&sb, "- %s: %d (%d)\n", d.Day.Format(time.DateOnly), d.Questions, d.Answered)
		}
	}
	if len(r.Entries) > 0 {
		sb.WriteString("\n**Top entries**: answers, 👍, 👎\n")
		for i, e := range r.Entries {
			if i == maxStatsLines {
				fmt.Fprintf(&sb, "…and %d more\n", len(r.Entries)-maxStatsLines)
				break
			}
			fmt.Fprintf(&sb, "- `%s`: %d, 👍 %d, 👎 %d\n", e.ID, e.Answered, e.Up, e.Down)
		}
	}
	if voted := worstFirst(r.Entries); len(voted) > 0 {
		sb.WriteString("\n**Votes**, worst first: 👍, 👎\n")
		for i, e := range voted {
			if i == maxStatsLines {
				fmt.Fprintf(&sb, "…and %d more\n", len(voted)-maxStatsLines)
				break
			}
			fmt.Fprintf(&sb, "- `%s`: 👍 %d, 👎 %d\n", e.ID, e.Up, e.Down)
		}
	}
	if n := len(r.NeverAsked); n > 0 {
		shown := r.NeverAsked[:min(n, 2*maxStatsLines)]
		fmt.Fprintf(&sb, "\n**Never asked** (%d): `%s`", n, strings.Join(shown, "`, `"))
		if n > len(shown) {
			fmt.Fprintf(&sb, " and %d more", n-len(shown))
		}
		sb.WriteString("\n")
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// worstFirst returns the entries with votes, the most disliked first: by
// 👎 less 👍, then by 👎, then by id.
func worstFirst(entries []EntryStats) []EntryStats {
	var out []EntryStats
	for _, e := range entries {
		if e.Up+e.Down > 0 {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Down-a.Up != b.Down-b.Up {
			return a.Down-a.Up > b.Down-b.Up
		}
		if a.Down != b.Down {
			return a.Down > b.Down
		}
		return a.ID < b.ID
	})
	return out
}
