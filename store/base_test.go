package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge/match"
)

// TestBaseViews records through two knowledge bases' views and reads each
// back alone, and all together through the store.
func TestBaseViews(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		s := open(t, opts)
		ctx := context.Background()
		at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		def, hr := s.Base("default"), s.Base("hr")
		record := func(v *BaseView, q bot.Asked) {
			if err := v.RecordQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		record(def, asked(at, "where is the office", "U1", match.Unknown, "", "hours"))
		record(hr, asked(at, "how many holidays", "U1", match.Unknown, "", "leave"))
		record(hr, asked(at, "how many holidays", "U2", match.Unknown, "", "leave"))
		record(hr, asked(at, "what is the pension", "U2", match.Answered, "pension", "pension"))
		if err := hr.RecordVote(ctx, bot.Vote{Platform: "slack", Channel: "C1", User: "U1", EntryID: "pension", Up: false}); err != nil {
			t.Fatal(err)
		}
		if err := hr.RecordEdit(ctx, bot.Edit{Time: at, By: "slack:U1", EntryID: "leave", Phrasing: "how many holidays", File: "hr.yaml"}); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name       string
			unanswered func() ([]bot.Unanswered, error)
			stats      func() (bot.Stats, error)
			questions  func() ([]bot.AskedText, error)
			want       string
		}{
			{"default", func() ([]bot.Unanswered, error) { return def.Unanswered(ctx, at, 10) },
				func() (bot.Stats, error) { return def.Stats(ctx, at) },
				func() ([]bot.AskedText, error) { return def.Questions(ctx, at, 10) },
				"[where is the office×1] [] 1"},
			{"hr", func() ([]bot.Unanswered, error) { return hr.Unanswered(ctx, at, 10) },
				func() (bot.Stats, error) { return hr.Stats(ctx, at) },
				func() ([]bot.AskedText, error) { return hr.Questions(ctx, at, 10) },
				"[how many holidays×2] [pension 1 +0 -1] 2"},
			{"every base", func() ([]bot.Unanswered, error) { return s.Unanswered(ctx, at, 10) },
				func() (bot.Stats, error) { return s.Stats(ctx, at) },
				func() ([]bot.AskedText, error) { return s.Questions(ctx, at, 10) },
				"[how many holidays×2 where is the office×1] [pension 1 +0 -1] 3"},
		}
		for _, tt := range tests {
			un, err := tt.unanswered()
			if err != nil {
				t.Fatal(err)
			}
			st, err := tt.stats()
			if err != nil {
				t.Fatal(err)
			}
			qs, err := tt.questions()
			if err != nil {
				t.Fatal(err)
			}
			var texts, entries []string
			for _, u := range un {
				texts = append(texts, fmt.Sprintf("%s×%d", u.Text, u.Count))
			}
			for _, e := range st.Entries {
				entries = append(entries, fmt.Sprintf("%s %d +%d -%d", e.ID, e.Answered, e.Up, e.Down))
			}
			got := fmt.Sprintf("%v %v %d", texts, entries, len(qs))
			if got != tt.want {
				t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
			}
		}
		edits, err := hr.Edits(ctx, at)
		if err != nil || len(edits) != 1 || edits[0].Base != "hr" {
			t.Errorf("hr's edits: %+v, %v", edits, err)
		}
		if edits, _ := def.Edits(ctx, at); len(edits) != 0 {
			t.Errorf("the default base's edits: %+v", edits)
		}
	})
}
