package reliability

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/jackc/pgx/v5"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/store"
)

// postgresEnv names the environment variable holding the DSN of a
// PostgreSQL server the tests may create schemas in; .ci/postgres.sh
// starts one.
const postgresEnv = "FAQBOT_TEST_POSTGRES"

// postgresThrough returns a PostgreSQL DSN for a schema of the test's own,
// reached through a relay that the test can take down, cut and stall, and
// a connection that bypasses the relay to read what was written. It skips
// the test when no server is given.
func postgresThrough(t *testing.T) (dsn string, r *relay, direct *pgx.Conn) {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skipf("set %s to the DSN of a PostgreSQL server (.ci/postgres.sh starts one on 127.0.0.1)", postgresEnv)
	}
	ctx := context.Background()
	direct, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "faqbot_outage_" + hex.EncodeToString(b)
	if _, err := direct.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	if _, err := direct.Exec(ctx, "SET search_path TO "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		direct.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		direct.Close(context.Background())
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	r = newRelay(t, u.Host)
	u.Host = r.Addr()
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("connect_timeout", "5")
	u.RawQuery = q.Encode()
	return u.String(), r, direct
}

// waitHealth waits until the store's health satisfies ok.
func waitHealth(t *testing.T, st *store.Store, what string, ok func(store.Health) bool) {
	t.Helper()
	deadline := time.Now().Add(hung)
	for !ok(st.Health()) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s; health %+v", hung, what, st.Health())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDatabaseOutage runs the bot on PostgreSQL through a relay: the
// database is down when the bot starts, comes up, then goes down in the
// middle of traffic (connections reset, new ones refused) and comes back.
// Every question is answered throughout; the admin commands say the
// database is unavailable and retrying; the store reaches the database
// without a restart; every record kept in memory is written when it is
// back, and those past the bound (a queue of 64 here) are dropped and
// counted; each outage is logged once, not once a question.
func TestDatabaseOutage(t *testing.T) {
	dsn, relay, direct := postgresThrough(t)
	relay.setDown(true)
	logs := &logBuffer{}
	const queue = 64
	st, err := store.Start(store.Options{Driver: store.Postgres, DSN: dsn, Queue: queue, Logger: logs.logger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := newBot(t, botSetup{store: st, limits: loadLimits()})
	rig := startSlack(t, b, slackSetup{})
	ctx := context.Background()

	askAll := func(prefix string, n int) {
		t.Helper()
		base := rig.tap.replyCount()
		for i := range n {
			rig.ask(t, fmt.Sprintf("C%s%02d", prefix, i%10), fmt.Sprintf("U%s%04d", prefix, i), loadTexts[i%len(loadTexts)])
		}
		rig.tap.waitReplies(t, base+n)
	}
	recorded := func(prefix string) int {
		t.Helper()
		var n int
		if err := direct.QueryRow(ctx, "SELECT count(*) FROM questions WHERE channel LIKE $1", "C"+prefix+"%").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Down at start: answered, and the admin is told why there is no
	// history.
	const late = 50
	askAll("LATE", late)
	if h := st.Health(); h.Up || h.Waiting < late {
		t.Errorf("with the database down at start: health %+v, want down with the %d questions' records waiting", h, late)
	}
	r, _ := b.Handle(ctx, bot.Message{Platform: "slack", Channel: "C0ADMIN", User: slackAdmin, Text: "unanswered", Origin: bot.Command, Admin: true})
	if !strings.Contains(r.Text, "state database is unavailable") || !strings.Contains(r.Text, "keeps trying to reconnect") {
		t.Errorf("/faq unanswered with the database down: %q, want that it is unavailable and retrying", r.Text)
	}
	relay.setDown(false)
	waitHealth(t, st, "the database reached after a late start, and every record written", func(h store.Health) bool { return h.Up && h.Waiting == 0 })
	if got := recorded("LATE"); got != late {
		t.Errorf("%d of the %d questions asked before the database was up are recorded", got, late)
	}

	// Down in the middle of traffic, past the queue's bound.
	// More than the queue and one batch held out of it (256) together.
	const during = 400
	relay.setDown(true)
	relay.cut()
	askAll("OUT", during)
	waitHealth(t, st, "the outage seen", func(h store.Health) bool { return !h.Up })
	peak := st.Health()
	if peak.Waiting < queue || peak.Waiting+int(peak.Dropped) != during {
		t.Errorf("during the outage: %d records waiting and %d dropped, want at least %d waiting and %d in all", peak.Waiting, peak.Dropped, queue, during)
	}
	relay.setDown(false)
	waitHealth(t, st, "the database back, and every record kept written", func(h store.Health) bool { return h.Up && h.Waiting == 0 })
	if got := recorded("OUT"); got != peak.Waiting {
		t.Errorf("%d of the %d records kept during the outage are recorded", got, peak.Waiting)
	}
	askAll("AFTER", 10)
	if err := st.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := recorded("AFTER"); got != 10 {
		t.Errorf("%d of the 10 questions asked after the outage are recorded", got)
	}
	for _, l := range []struct {
		words string
		want  int
	}{
		{"the state database is unavailable", 2},
		{"the state database is back", 2},
		{"dropping new ones", 1},
	} {
		if got := len(logs.lines(l.words)); got != l.want {
			t.Errorf("%d log lines say %q, want %d:\n%s", got, l.words, l.want, logs.String())
		}
	}
	t.Logf("late start: %d of %d records kept and written; outage mid-traffic: %d of %d kept and written, %d dropped and counted (queue %d)",
		recorded("LATE"), late, peak.Waiting, during, peak.Dropped, queue)
}

// TestHungDatabase freezes PostgreSQL under the Discord HTTP interactions
// endpoint of an adapter that shares its record of handled events there
// (as replicas do): the relay in front of the database stops every byte,
// so each query waits for ever, as with a server stopped by SIGSTOP. Every
// slash command is answered, each after one claim that waits 1 s
// (bot.ClaimBudget) from the request's arrival at most, well inside
// Discord's 3 s. How long each took is logged, not asserted.
func TestHungDatabase(t *testing.T) {
	dsn, relay, _ := postgresThrough(t)
	logs := &logBuffer{}
	st, err := store.Open(context.Background(), store.Options{Driver: store.Postgres, DSN: dsn, Logger: logs.logger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := newBot(t, botSetup{store: st})
	fake := discordfake.New(t, discordfake.Options{})
	cfg := config.Discord{Enabled: true, APIURL: fake.URL(), InteractionsEndpoint: true, PublicKey: fake.PublicKey()}
	cfg.SetToken(fake.Token())
	a, err := discord.New(cfg, b, logs.logger())
	if err != nil {
		t.Fatal(err)
	}
	a.Share(st)
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	relay.stall()
	var took []time.Duration
	for n := range 3 {
		i := &discordgo.Interaction{
			Type: discordgo.InteractionApplicationCommand, GuildID: guildID, ChannelID: discordChannel(0),
			Member: &discordgo.Member{User: &discordgo.User{ID: fmt.Sprint(300000000000000100 + n), Username: "asker"}},
			Data: discordgo.ApplicationCommandInteractionData{ID: "700000000000000001", Name: "faq", CommandType: discordgo.ChatApplicationCommand,
				Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: "What is the wifi password?"}}},
		}
		sent := time.Now()
		status, body, err := fake.PostInteraction(context.Background(), srv.URL+discord.InteractionsPath, i)
		took = append(took, time.Since(sent))
		if err != nil || status != http.StatusOK {
			t.Fatalf("question %d with the database hung: %d %s %v", n, status, body, err)
		}
		if !strings.Contains(string(body), "Office-Guest") {
			fake.WaitSent(t, "the answer after a deferral", func(s discordfake.Sent) bool {
				return s.Interaction == i.ID && strings.Contains(s.Content, "Office-Guest")
			})
		}
	}
	if len(logs.lines("the state database is slow")) != 1 {
		t.Errorf("want one line saying the database is slow:\n%s", logs.String())
	}
	t.Logf("with PostgreSQL hung, 3 slash commands answered in %v", took)
	relay.cut()
}
