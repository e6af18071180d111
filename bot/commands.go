package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/faqbot/faqbot/knowledge"
)

// maxList is the number of entries /faq list shows at once.
const maxList = 25

func (b *Bot) help() Reply {
	kb := b.kb.Load()
	var sb strings.Builder
	if t := kb.Title(); t != "" {
		fmt.Fprintf(&sb, "**%s**: ", t)
	}
	fmt.Fprintf(&sb, "I answer questions from a knowledge base of %d entries. Ask me in your own words.\n\n", kb.Len())
	sb.WriteString("- `/faq <question>`: the answer to a question\n")
	sb.WriteString("- `/faq list [filter]`: the questions I know, optionally filtered\n")
	sb.WriteString("- `/faq show <id>`: one entry by its id\n")
	sb.WriteString("- `/faq why <question>`: the best matches with their confidence, for tuning the knowledge file\n")
	sb.WriteString("- `/faq reload`: reload the knowledge file (admins)\n")
	sb.WriteString("- `/faq unanswered [days]`: the questions I could not answer (admins)\n")
	sb.WriteString("- `/faq promote <n> [to <id>]`: add unanswered question n as a phrasing of its best guess, or of entry id (admins)\n")
	sb.WriteString("- `/faq stats [days]`: questions per day, answered share, top entries and votes (admins)\n")
	sb.WriteString("- `/faq stale [days]`: the entries that may want a look: old, disliked or never asked (admins)\n")
	sb.WriteString("- `/faq add`, `/faq edit <id>`: add or edit a whole entry with a form (admins)\n")
	if b.publisher != nil {
		sb.WriteString("- `/faq history`: the latest commits of the knowledge file (admins)\n")
	} else {
		sb.WriteString("- `/faq history [id]`: the latest edits made from chat, of entry id if given (admins)\n")
	}
	sb.WriteString("- `/faq help`: this help")
	if v := b.versionOf(kb); v != "" {
		fmt.Fprintf(&sb, "\n\nKnowledge base version: `%s`", v)
	}
	return Reply{Kind: Info, Text: sb.String(), Private: true}
}

func (b *Bot) list(filter string) Reply {
	entries := b.kb.Load().List(filter)
	if len(entries) == 0 {
		return Reply{Kind: Info, Private: true, Text: "No question matches that filter. Try `/faq list` for all of them."}
	}
	var sb strings.Builder
	for i, e := range entries {
		if i == maxList {
			fmt.Fprintf(&sb, "…and %d more: narrow the list with `/faq list <filter>`.\n", len(entries)-maxList)
			break
		}
		fmt.Fprintf(&sb, "- `%s`: %s\n", e.ID, e.Question)
	}
	return Reply{Kind: Info, Private: true, Text: strings.TrimSuffix(sb.String(), "\n")}
}

func (b *Bot) show(id string) Reply {
	if id == "" {
		return Reply{Kind: Refusal, Private: true, Text: "Which entry? Write `/faq show <id>`; `/faq list` shows the ids."}
	}
	kb := b.kb.Load()
	if e, ok := kb.Entry(id); ok {
		return answer(kb, e)
	}
	r := Reply{Kind: Unsure, Private: true, Text: "There is no entry with that id."}
	for i, e := range kb.List(id) {
		if i == 3 {
			break
		}
		r.Suggestions = append(r.Suggestions, Suggestion{ID: e.ID, Question: e.Question})
	}
	return r
}

func (b *Bot) why(question string) Reply {
	if question == "" {
		return Reply{Kind: Refusal, Private: true, Text: "Write `/faq why <question>` to see how a question is matched."}
	}
	res := b.kb.Load().Search(question)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Matches for “%s” (threshold %.2f, outcome: %s):\n", Defuse(question), b.threshold, res.Decide(b.threshold))
	if len(res.Candidates) == 0 {
		sb.WriteString("- nothing matched any word of the question")
	}
	for _, c := range res.Candidates {
		fmt.Fprintf(&sb, "- `%s` %.3f, matched “%s”\n", c.Entry.ID, c.Confidence, c.Phrasing)
	}
	// The words the file lacks, and what they were read as: a misreading
	// is the owner's cue to add the word to an alternate or a synonym.
	if readings := b.kb.Load().Readings(question); len(readings) > 0 {
		sb.WriteString("Words the knowledge file does not have:\n")
		for _, r := range readings {
			how := "a typo"
			switch {
			case r.Spelt != "":
				how = "similar in meaning to “" + Defuse(r.Spelt) + "”, which it misspells"
			case r.Similar:
				how = "similar in meaning"
			case r.Form != "":
				how = r.Form
			}
			fmt.Fprintf(&sb, "- “%s” read as “%s” (%s)\n", Defuse(r.Word), Defuse(strings.Join(r.As, "”, “")), how)
		}
	}
	return Reply{Kind: Info, Private: true, Text: strings.TrimSuffix(sb.String(), "\n")}
}

func (b *Bot) reloadCommand(ctx context.Context, m Message) Reply {
	if !m.Admin {
		return Reply{Kind: Refusal, Private: true, Text: "Sorry, only admins can reload the knowledge base."}
	}
	d, rep, note, err := b.reload(ctx, m.Platform+":"+m.User, b.confusionNote)
	if err != nil {
		return Reply{Kind: Refusal, Private: true, Text: "The reload failed and the current knowledge base keeps serving.\n\n```\n" + err.Error() + "\n```"}
	}
	if d.Unchanged {
		return Reply{Kind: Info, Private: true, Text: DescribeDiff(d)}
	}
	text := DescribeDiff(d) + replayNote(rep)
	if note != "" {
		text += "\n\n" + note
	}
	return Reply{Kind: Info, Private: true, Text: text}
}

// confusionNote tells an admin which phrasings of kb another entry answers
// (see match.Index.Confusions), the first few of them, or "" when none
// does. Only the phrasings that have a near entry, found through the
// index, are asked, and only until there are more than it shows, so that
// it stays quick at any size.
func (b *Bot) confusionNote(kb *Base) string {
	const shown = 5
	cs, more := kb.FirstConfusions(b.threshold, shown)
	if len(cs) == 0 {
		return ""
	}
	var sb strings.Builder
	switch {
	case more:
		fmt.Fprintf(&sb, "Warning: more than %d phrasings are answered with another entry, asked word for word; the first %d:", shown, shown)
	case len(cs) == 1:
		sb.WriteString("Warning: 1 phrasing is answered with another entry, asked word for word:")
	default:
		fmt.Fprintf(&sb, "Warning: %d phrasings are answered with another entry, asked word for word:", len(cs))
	}
	for _, c := range cs {
		fmt.Fprintf(&sb, "\n- `%s` “%s” → `%s` “%s”", c.Entry.ID, c.Phrasing, c.Other.ID, c.OtherPhrasing)
	}
	sb.WriteString("\nReword one of each pair so that a word tells them apart, or merge them; `faqbot check --warnings 0` lists them all.")
	return sb.String()
}

// Reload builds a new knowledge base with the configured Loader and, only
// when it loaded without a single error, swaps it in atomically. On failure
// the old base keeps serving unchanged. Reloads never run concurrently; by
// names who asked, for the log.
func (b *Bot) Reload(ctx context.Context, by string) (knowledge.Diff, error) {
	d, _, _, err := b.reload(ctx, by, nil)
	return d, err
}

// reload is Reload, which also returns what the new base does to the
// questions asked lately, or nil when the bot keeps no history, and what
// note says of the new base, when note is not nil and a new base was
// swapped in. note runs before the memory the reload leaves is handed
// back, so that its garbage goes with the rest.
func (b *Bot) reload(ctx context.Context, by string, note func(*Base) string) (knowledge.Diff, *ReplayReport, string, error) {
	if b.load == nil {
		return knowledge.Diff{}, nil, "", ErrNoReload
	}
	b.reloadMu.Lock()
	defer b.reloadMu.Unlock()
	serving := b.kb.Load()
	next, err := b.load(ctx, serving)
	if err == nil && next == nil {
		err = errors.New("the loader returned no knowledge base")
	}
	if err == nil && next == serving {
		// The loader found the file as it was (see
		// Loading.LoadReplacing): there is nothing to check or swap.
		n := len(serving.File.Entries)
		d := knowledge.Diff{Before: n, After: n, Unchanged: true}
		b.log.Info("the knowledge file is unchanged; nothing to reload", "by", by, "entries", n)
		b.reloaded(ctx, Reloaded{Time: time.Now(), By: by, Diff: d})
		return d, nil, "", nil
	}
	if err == nil && b.gate != nil {
		err = b.gate(ctx, serving, next)
	}
	var rep *ReplayReport
	if err == nil {
		rep, err = b.replayReload(ctx, serving, next)
	}
	if err != nil {
		b.log.Warn("reload failed; the old knowledge base keeps serving", "by", by, "error", err)
		b.reloaded(ctx, Reloaded{Time: time.Now(), By: by, Err: err})
		if next != nil && next != serving {
			// The base built and refused is garbage: hand its memory
			// back now, as after a swap.
			debug.FreeOSMemory()
		}
		return knowledge.Diff{}, nil, "", err
	}
	old := b.kb.Swap(next)
	// The old base's searches' working memory is the new one's now.
	old.HandOver(next.Index)
	d := knowledge.Compare(old.File, next.File)
	b.log.Info("reloaded", "by", by, "before", d.Before, "after", d.After,
		"added", d.Added, "removed", d.Removed, "changed", d.Changed)
	b.reloaded(ctx, Reloaded{Time: time.Now(), By: by, Diff: d})
	var noted string
	if note != nil {
		// Asking a large file's phrasings leaves garbage of the base's
		// size.
		noted = note(next)
	}
	// The old base is garbage once the questions being answered with it
	// are, and so is what the load left: hand their memory back now
	// rather than as the runtime gets to it, in the one collection a
	// reload forces (see Loading.LoadReplacing). Each forced collection
	// costs the answers meanwhile a full mark of the heap, and empties
	// what the index keeps between searches once two run with no search
	// between them.
	debug.FreeOSMemory()
	return d, rep, noted, nil
}

// DescribeDiff says in a sentence or two what a reload changed.
func DescribeDiff(d knowledge.Diff) string {
	if d.Unchanged {
		if d.After == 1 {
			return "The knowledge file is unchanged: 1 entry."
		}
		return fmt.Sprintf("The knowledge file is unchanged: %d entries.", d.After)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Reloaded: %d entries before, %d now.", d.Before, d.After)
	if d.Empty() {
		sb.WriteString(" Nothing changed.")
	}
	for _, part := range []struct {
		what string
		ids  []string
	}{{"Added", d.Added}, {"Removed", d.Removed}, {"Changed", d.Changed}} {
		if len(part.ids) > 0 {
			fmt.Fprintf(&sb, "\n%s: `%s`", part.what, strings.Join(part.ids, "`, `"))
		}
	}
	return sb.String()
}
