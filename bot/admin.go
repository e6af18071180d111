package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// Store is what the admin commands need of the state database: the
// questions that went unanswered, the statistics, and a record of every edit
// made to the knowledge file from chat. Package store implements it.
type Store interface {
	// Unanswered returns the distinct texts of the questions asked since
	// the given time that the bot did not answer, the most frequent first,
	// at most limit of them.
	Unanswered(ctx context.Context, since time.Time, limit int) ([]Unanswered, error)
	// Stats returns what happened since the given time.
	Stats(ctx context.Context, since time.Time) (Stats, error)
	// RecordEdit records an edit of the knowledge file.
	RecordEdit(ctx context.Context, e Edit) error
}

// Unanswered is one distinct question text that the bot could not answer
// confidently, with how often and when it was last asked.
type Unanswered struct {
	Text  string
	Count int
	Last  time.Time
	// BestID is the best candidate when the question was last asked, or "".
	BestID string
}

// Stats is what happened over a period.
type Stats struct {
	// Days has one element per UTC day with at least one question, oldest
	// first.
	Days []DayStats
	// Entries has one element per entry that was answered with or voted on,
	// sorted by id.
	Entries []EntryStats
}

// DayStats counts the questions of one UTC day.
type DayStats struct {
	// Day is midnight UTC.
	Day       time.Time `json:"day"`
	Questions int       `json:"questions"`
	Answered  int       `json:"answered"`
}

// EntryStats counts the answers given with one entry and the votes on them.
type EntryStats struct {
	ID       string `json:"id"`
	Answered int    `json:"answered"`
	Up       int    `json:"up"`
	Down     int    `json:"down"`
}

// Edit is one change made to the knowledge file from chat.
type Edit struct {
	Time time.Time
	// By names who made it, as "platform:user".
	By      string
	EntryID string
	// Phrasing is the alternate added to the entry.
	Phrasing string
	// File is the knowledge file edited.
	File string
	// Base names the knowledge base edited, "" for the default one.
	Base string
}

// Action is a button offered with a reply. Pressing it runs Command as if
// the same user had typed it, so an adapter that cannot show buttons loses
// nothing: the reply's text says what to type.
type Action struct {
	// Label is the button's text.
	Label string
	// Command is the command to run, such as "/faq promote 1a2b3c4d to
	// refund"; an adapter hands it to Handle as a Message with Origin
	// Command.
	Command string
}

// Limits of the admin commands.
const (
	// DefaultUnansweredDays is the period /faq unanswered looks back over
	// when no number of days is given.
	DefaultUnansweredDays = 7
	// DefaultStatsDays is the period of /faq stats when none is given.
	DefaultStatsDays = 30
	// maxDays is the longest period an admin command looks back over.
	maxDays = 3650
	// maxGroups is the number of unanswered questions listed at once.
	maxGroups = 15
	// maxTexts is the number of distinct unanswered texts read from the
	// store to group.
	maxTexts = 5000
	// keyLen is the length of a group's key, in hex digits.
	keyLen = 8
)

// UnansweredGroup is a question the bot could not answer, with its
// near-duplicates, as /faq unanswered lists it.
type UnansweredGroup struct {
	// Key names the group in "/faq promote <key>"; it stays the same while
	// the question is in the database, whatever else is asked.
	Key string `json:"key"`
	// Text is the most frequent wording, the one promoted.
	Text string `json:"text"`
	// Count is the number of times the question was asked, in any wording
	// of the group.
	Count int `json:"count"`
	// Variants are the group's other wordings, the most frequent first.
	Variants []string  `json:"variants,omitempty"`
	Last     time.Time `json:"last"`
	// BestID is the entry of the knowledge base being served that comes
	// closest, or "".
	BestID     string  `json:"best_id,omitempty"`
	Confidence float64 `json:"confidence"`
}

// lists remembers the last unanswered list shown to each admin, so that
// "/faq promote 2" means the second question they saw, and serialises
// edits of the knowledge file.
type lists struct {
	mu     sync.Mutex
	byUser map[string][]UnansweredGroup
	edit   sync.Mutex
}

func (l *lists) put(who string, groups []UnansweredGroup) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byUser == nil {
		l.byUser = map[string][]UnansweredGroup{}
	}
	l.byUser[who] = groups
}

func (l *lists) get(who string) ([]UnansweredGroup, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	g, ok := l.byUser[who]
	return g, ok
}

// parseDays reads the optional number of days of an admin command.
func parseDays(args string, def int) (int, error) {
	if args == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(args), "d"))
	if err != nil || n < 1 || n > maxDays {
		return 0, fmt.Errorf("%q is not a number of days: give a whole number from 1 to %d, such as 7", args, maxDays)
	}
	return n, nil
}

// Unanswered returns the questions asked in the last days that the bot did
// not answer and still cannot answer with the knowledge base it serves now,
// grouped with their near-duplicates, the most asked first; and how many
// groups it left out because the current knowledge base answers them.
func (b *Bot) Unanswered(ctx context.Context, days int) (groups []UnansweredGroup, nowAnswered int, err error) {
	if b.store == nil {
		return nil, 0, ErrNoStore
	}
	texts, err := b.store.Unanswered(ctx, time.Now().Add(-time.Duration(days)*24*time.Hour), maxTexts)
	if err != nil {
		return nil, 0, err
	}
	kb := b.kb.Load()
	for _, g := range groupTexts(texts) {
		if kb == nil {
			// No knowledge file: the best guess made when it was asked.
			groups = append(groups, g)
			continue
		}
		res := kb.Search(g.Text)
		if res.Decide(b.threshold) == match.Answered {
			nowAnswered++
			continue
		}
		if best, ok := res.Best(); ok && best.Confidence >= minBestGuess {
			g.BestID, g.Confidence = best.Entry.ID, round(best.Confidence)
		} else if _, ok := kb.Entry(g.BestID); !ok {
			g.BestID = ""
		}
		groups = append(groups, g)
	}
	return groups, nowAnswered, nil
}

// ErrNoStore is returned by the admin queries when the bot has no state
// database.
var ErrNoStore = errors.New("the bot keeps no state database, so it has no history: set store in the config")

func (b *Bot) unansweredCommand(ctx context.Context, m Message, args string) Reply {
	if !m.Admin {
		return Reply{Kind: Refusal, Private: true, Text: "Sorry, only admins can see the unanswered questions."}
	}
	days, err := parseDays(args, DefaultUnansweredDays)
	if err != nil {
		return Reply{Kind: Refusal, Private: true, Text: err.Error() + ". Write `/faq unanswered [days]`."}
	}
	groups, nowAnswered, err := b.Unanswered(ctx, days)
	if err != nil {
		b.log.Warn("could not read the unanswered questions", "error", err)
		return Reply{Kind: Refusal, Private: true, Text: "I could not read the unanswered questions: " + err.Error()}
	}
	if len(groups) > maxGroups {
		groups = groups[:maxGroups]
	}
	down, err := b.Downvoted(ctx, days)
	if err != nil {
		b.log.Warn("could not read the 👎 votes", "error", err)
	}
	down = down[:min(len(down), maxGroups)]
	listed := groups
	for _, g := range down {
		listed = append(listed, g.asUnanswered())
	}
	b.lists.put(m.Platform+":"+m.User, listed)
	text := FormatUnanswered(groups, nowAnswered, days, true) + FormatDownvoted(down, len(groups)+1, true)
	return Reply{Kind: Info, Private: true, Text: text, Actions: append(promoteActions(groups), downvotedActions(down, len(groups)+1)...)}
}

// promoteActions offers, for each group with a best guess, a button that
// adds it as a phrasing of that entry.
func promoteActions(groups []UnansweredGroup) []Action {
	var out []Action
	for i, g := range groups {
		if g.BestID != "" {
			out = append(out, Action{Label: fmt.Sprintf("%d: add as a phrasing of %s", i+1, g.BestID), Command: PromoteCommand(g.Key, g.BestID)})
		}
	}
	return out
}

// PromoteCommand returns the command that adds the unanswered question with
// the given key as a phrasing of entry id: "/faq promote <key> to <id>".
// Adapters bind buttons to it; it works on any replica and after a restart.
func PromoteCommand(key, id string) string {
	return "/faq promote " + key + " to " + id
}

// FormatUnanswered writes an unanswered list as Markdown. In chat the
// questions are numbered for "/faq promote <n>"; elsewhere (the command
// line) each shows its key, for "/faq promote <key>" in any chat.
func FormatUnanswered(groups []UnansweredGroup, nowAnswered, days int, chat bool) string {
	var sb strings.Builder
	if len(groups) == 0 {
		fmt.Fprintf(&sb, "No unanswered questions in the last %s.", plural(days, "day"))
	} else {
		total := 0
		for _, g := range groups {
			total += g.Count
		}
		fmt.Fprintf(&sb, "Unanswered in the last %s, most asked first:\n", plural(days, "day"))
		for i, g := range groups {
			if chat {
				fmt.Fprintf(&sb, "%d. “%s” ×%d", i+1, Defuse(g.Text), g.Count)
			} else {
				fmt.Fprintf(&sb, "- %s “%s” ×%d", g.Key, Defuse(g.Text), g.Count)
			}
			if len(g.Variants) > 0 {
				vs := g.Variants[:min(len(g.Variants), 3)]
				quoted := make([]string, len(vs))
				for j, v := range vs {
					quoted[j] = "“" + Defuse(v) + "”"
				}
				fmt.Fprintf(&sb, " (also %s", strings.Join(quoted, ", "))
				if more := len(g.Variants) - len(vs); more > 0 {
					fmt.Fprintf(&sb, " and %d more", more)
				}
				sb.WriteString(")")
			}
			if g.BestID != "" {
				fmt.Fprintf(&sb, ". Best guess: `%s` (%.2f)\n", g.BestID, g.Confidence)
			} else {
				sb.WriteString(". No close entry.\n")
			}
		}
		if chat {
			sb.WriteString("Add one as a phrasing of its best guess with `/faq promote <n>`, or of another entry with `/faq promote <n> to <id>`.")
		} else {
			sb.WriteString("In chat, `/faq promote <key>` adds one as a phrasing of its best guess, and `/faq promote <key> to <id>` of another entry.")
		}
	}
	if nowAnswered > 0 {
		fmt.Fprintf(&sb, "\n(%s that the knowledge base now answers not shown.)", plural(nowAnswered, "question"))
	}
	return sb.String()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// promoteCommand adds an unanswered question to an entry's alternates in
// the knowledge file, then reloads. Its arguments are "<n> [to <id>]",
// where n is a number from the admin's last /faq unanswered list, or
// "<key> [to <id>]" with a group's key (what buttons send).
func (b *Bot) promoteCommand(ctx context.Context, m Message, args string) Reply {
	refuse := func(format string, a ...any) Reply {
		return Reply{Kind: Refusal, Private: true, Text: fmt.Sprintf(format, a...)}
	}
	if !m.Admin {
		return refuse("Sorry, only admins can edit the knowledge base.")
	}
	if b.load == nil || b.store == nil {
		return refuse("Editing the knowledge base from chat needs reloading and a state database, and this bot has %s.", map[bool]string{true: "no state database", false: "no reloading"}[b.store == nil])
	}
	ref, id, _ := strings.Cut(args, " to ")
	ref, id = strings.TrimSpace(ref), strings.TrimSpace(id)
	if ref == "" || strings.Contains(ref, " ") {
		return refuse("Write `/faq promote <n>` to add question n of `/faq unanswered` as a phrasing of its best guess, or `/faq promote <n> to <id>` for another entry.")
	}
	g, err := b.findGroup(ctx, m, ref)
	if err != nil {
		return refuse("%s", err)
	}
	if id == "" {
		id = g.BestID
	}
	if id == "" {
		return refuse("“%s” has no close entry: name one with `/faq promote %s to <id>` (`/faq list` shows the ids).", Defuse(g.Text), ref)
	}
	kb := b.kb.Load()
	entry, ok := kb.Entry(id)
	if !ok {
		return refuse("There is no entry `%s`. `/faq list` shows the ids.", Defuse(id))
	}
	// In a folder of knowledge files, the entry's own file is edited.
	file := kb.Path
	if entry.File != "" {
		file = entry.File
	}
	by := m.Platform + ":" + m.User

	b.lists.edit.Lock()
	defer b.lists.edit.Unlock()
	if b.publisher != nil {
		return b.publishPromotion(ctx, m, g, id)
	}
	edit, err := knowledge.AddAlternate(file, id, g.Text)
	if err != nil {
		b.log.Warn("could not add a phrasing", "by", by, "entry", id, "error", err)
		return refuse("The knowledge file was not changed:\n```\n%s\n```", err)
	}
	d, err := b.Reload(ctx, by)
	if err != nil {
		msg := "The edit was undone"
		if rerr := edit.Revert(); rerr != nil {
			msg = "The edit could not be undone (" + rerr.Error() + ")"
		}
		b.log.Warn("reload after adding a phrasing failed", "by", by, "entry", id, "error", err)
		return refuse("%s because the reload failed, and the current knowledge base keeps serving:\n```\n%s\n```", msg, err)
	}
	b.recordEdit(ctx, Edit{Time: time.Now(), By: by, EntryID: id, Phrasing: g.Text, File: edit.Path})
	b.log.Info("added a phrasing", "by", by, "entry", id, "file", edit.Path)
	return Reply{Kind: Info, Private: true, Text: fmt.Sprintf("Added “%s” as a phrasing of `%s` in %s.\n%s", Defuse(g.Text), id, filepath.Base(edit.Path), DescribeDiff(d))}
}

// findGroup resolves a reference to an unanswered question: a number from
// the admin's last list, or a group's key.
func (b *Bot) findGroup(ctx context.Context, m Message, ref string) (UnansweredGroup, error) {
	if isKey(ref) {
		texts, err := b.store.Unanswered(ctx, time.Now().Add(-maxDays*24*time.Hour), maxTexts)
		if err != nil {
			return UnansweredGroup{}, fmt.Errorf("I could not read the unanswered questions: %v", err)
		}
		for _, g := range groupTexts(texts) {
			if g.Key == ref {
				return g, nil
			}
		}
		down, err := b.Downvoted(ctx, maxDays)
		if err != nil {
			return UnansweredGroup{}, fmt.Errorf("I could not read the 👎 votes: %v", err)
		}
		for _, g := range down {
			if g.Key == ref && g.Question != "" {
				return g.asUnanswered(), nil
			}
		}
		return UnansweredGroup{}, fmt.Errorf("question %s is no longer among the unanswered ones (added already, or past the retention period). Run `/faq unanswered` again.", ref)
	}
	n, err := strconv.Atoi(ref)
	if err != nil || n < 1 {
		return UnansweredGroup{}, fmt.Errorf("%q is not the number of a question in `/faq unanswered`", ref)
	}
	list, ok := b.lists.get(m.Platform + ":" + m.User)
	if !ok {
		return UnansweredGroup{}, fmt.Errorf("run `/faq unanswered` first: the numbers refer to the last list it showed you")
	}
	if n > len(list) {
		return UnansweredGroup{}, fmt.Errorf("your last `/faq unanswered` list has %s", plural(len(list), "question"))
	}
	return list[n-1], nil
}

func isKey(s string) bool {
	if len(s) != keyLen {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// wording is one normalised question text with the texts that normalise
// to it.
type wording struct {
	norm  string
	runes []rune
	hist  [32]int16    // runes counted by their value modulo 32
	words []string     // the content words, sorted
	texts []Unanswered // the most frequent first, as the store returns them
	count int
	last  time.Time
}

// newWording returns the wording of a normalised text.
func newWording(norm string) *wording {
	w := &wording{norm: norm, runes: []rune(norm), words: contentWords(norm)}
	for _, r := range w.runes {
		w.hist[r%32]++
	}
	return w
}

// maxWordings is the number of distinct normalised texts, the most asked,
// that are grouped; grouping compares each with every group found so far.
const maxWordings = 2000

// groupTexts groups distinct question texts: texts with the same
// normalised form are one question, and near-duplicates (the same words
// bar filler words, or a typo apart) join the most asked of them. Groups
// come most asked first.
func groupTexts(texts []Unanswered) []UnansweredGroup {
	byNorm := map[string]*wording{}
	var order []*wording
	for _, t := range texts {
		n := normalize(t.Text)
		if n == "" {
			continue
		}
		w, ok := byNorm[n]
		if !ok {
			w = newWording(n)
			byNorm[n] = w
			order = append(order, w)
		}
		w.texts = append(w.texts, t)
		w.count += t.Count
		if t.Last.After(w.last) {
			w.last = t.Last
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].count != order[j].count {
			return order[i].count > order[j].count
		}
		return order[i].last.After(order[j].last)
	})
	if len(order) > maxWordings {
		order = order[:maxWordings]
	}
	var clusters [][]*wording // each led by its most asked wording
	for _, w := range order {
		placed := false
		for i, c := range clusters {
			if nearDuplicate(c[0], w) {
				clusters[i] = append(c, w)
				placed = true
				break
			}
		}
		if !placed {
			clusters = append(clusters, []*wording{w})
		}
	}
	out := make([]UnansweredGroup, 0, len(clusters))
	for _, c := range clusters {
		head := c[0].texts[0]
		sum := sha256.Sum256([]byte(c[0].norm))
		g := UnansweredGroup{Key: hex.EncodeToString(sum[:])[:keyLen], Text: head.Text, BestID: head.BestID}
		for _, w := range c {
			g.Count += w.count
			if w.last.After(g.Last) {
				g.Last = w.last
			}
			for _, t := range w.texts {
				if t.Text != g.Text {
					g.Variants = append(g.Variants, t.Text)
				}
			}
		}
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// nearDuplicate reports whether wording w is a near-duplicate of head: the
// same content words, or nearly (Jaccard index of 0.75 or more), or a few
// typos apart (an edit distance within 15% of the length).
func nearDuplicate(head, w *wording) bool {
	if len(head.words) > 0 && len(w.words) > 0 && jaccard(head.words, w.words) >= 0.75 {
		return true
	}
	a, b := head.runes, w.runes
	longest := max(len(a), len(b))
	if longest > 200 || abs(len(a)-len(b))*100 > 15*longest {
		return false
	}
	// Half the difference of the rune counts is a lower bound of the edit
	// distance, and cheap: most pairs stop here.
	diff := 0
	for i := range head.hist {
		diff += abs(int(head.hist[i]) - int(w.hist[i]))
	}
	if diff*100 > 2*15*longest {
		return false
	}
	return editDistance(a, b)*100 <= 15*longest
}

// normalize folds a question for grouping: lower case, letters and digits
// only, apostrophes dropped ("what's" is "whats"), single spaces.
func normalize(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteRune(r)
		case r == '\'' || r == '’':
		default:
			space = true
		}
	}
	return sb.String()
}

// contentWords returns the words of a normalised text that carry its
// meaning, those that are not filler, without a plural or possessive "s";
// sorted, without repeats.
func contentWords(norm string) []string {
	var out []string
	for _, w := range strings.Fields(norm) {
		if isFiller(w) {
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		out = append(out, w)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// isFiller reports whether an English word carries little meaning in a
// question, question words included: how and why the same thing is asked
// are one question here.
func isFiller(w string) bool {
	switch w {
	case "a", "an", "the", "i", "me", "my", "we", "our", "you", "your", "it", "is", "are", "am",
		"be", "to", "do", "does", "did", "can", "could", "please", "of", "for", "in", "on", "at", "there", "any",
		"how", "what", "whats", "where", "wheres", "when", "which", "who", "why":
		return true
	}
	return false
}

// jaccard returns the Jaccard index of two sorted sets of words.
func jaccard(a, b []string) float64 {
	both := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// editDistance returns the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
