package bot

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/faqbot/faqbot/knowledge/eval"
)

// Gate decides whether a newly loaded knowledge base may replace the one
// being served. It returns an error saying why not, and Reload then keeps
// the old one.
type Gate func(ctx context.Context, old, next *Base) error

// maxBroken is the number of broken cases a refused reload lists.
const maxBroken = 10

// CasesGate returns a Gate that asks the new knowledge base the questions
// of the evaluation cases in file (read anew at every reload, see
// eval.ReadCases) at threshold, and refuses it when the share handled
// right is below minAccuracy. The refusal lists the cases that broke: those
// the serving base handled right and the new one does not.
func CasesGate(file string, minAccuracy, threshold float64) Gate {
	return func(_ context.Context, old, next *Base) error {
		cases, err := eval.LoadCases(file)
		if err != nil {
			return fmt.Errorf("reload gate: cannot read the cases: %w", err)
		}
		ev, err := eval.Evaluate(next.Path, next.Index, cases)
		if err != nil {
			return fmt.Errorf("reload gate: %w", err)
		}
		rep := ev.At(threshold, len(cases))
		if rep.Accuracy >= minAccuracy {
			return nil
		}
		var sb strings.Builder
		fmt.Fprintf(&sb, "reload gate: the new knowledge file handles %.1f%% of the %d cases in %s right, below reload.min_accuracy %.1f%%",
			100*rep.Accuracy, rep.Cases, filepath.Base(file), 100*minAccuracy)
		failedBefore := map[string]bool{} // by missKey
		if old != nil {
			if prev, err := eval.Evaluate(old.Path, old.Index, cases); err == nil {
				was := prev.At(threshold, len(cases))
				fmt.Fprintf(&sb, " (the serving one: %.1f%%)", 100*was.Accuracy)
				for _, m := range was.Misses {
					failedBefore[missKey(m)] = true
				}
			}
		}
		var broke, still []eval.Miss
		for _, m := range rep.Misses {
			if failedBefore[missKey(m)] {
				still = append(still, m)
			} else {
				broke = append(broke, m)
			}
		}
		if len(broke) > 0 {
			sb.WriteString(".\nCases that broke:")
			for i, m := range broke {
				if i == maxBroken {
					fmt.Fprintf(&sb, "\n…and %d more", len(broke)-maxBroken)
					break
				}
				sb.WriteString("\n- " + describeMiss(m))
			}
		}
		if len(still) > 0 {
			fmt.Fprintf(&sb, "\n%s failing before this change as well", plural(len(still), "case"))
		}
		return fmt.Errorf("%s", sb.String())
	}
}

// missKey names the case of miss m: its query and what it expected.
func missKey(m eval.Miss) string {
	return strings.Join(append([]string{m.Query, m.Expect}, m.Want...), "\x00")
}

// describeMiss says in a line what a case expected and what it got.
func describeMiss(m eval.Miss) string {
	want := "no answer"
	switch {
	case m.Expect != "":
		want = "`" + m.Expect + "`"
	case len(m.Want) > 0:
		want = "an answer with “" + strings.Join(m.Want, "” or “") + "”"
	}
	got := "nothing"
	if m.Got != "" {
		got = fmt.Sprintf("`%s` (%.2f, %s)", m.Got, m.Confidence, m.Outcome)
	}
	return fmt.Sprintf("“%s”: expected %s, got %s", m.Query, want, got)
}
