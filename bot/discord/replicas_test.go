package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/store"
)

// sharedStore opens a state database in a temporary folder for the
// replicas of a test to share. In production replicas share PostgreSQL,
// whose Claim runs the same SQL and is tested in store/; SQLite stands in
// for it here.
func sharedStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Options{Path: filepath.Join(t.TempDir(), "faqbot.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestReplicasAnswerEachEventOnce runs two replicas of one bot (the same
// token, each with its own gateway session to one Discord that delivers
// every event to both sessions) sharing one state database: a mention and
// a slash command are each answered once, by whichever replica claims
// them first, and the other replica drops them.
func TestReplicasAnswerEachEventOnce(t *testing.T) {
	t.Parallel()
	st := sharedStore(t)
	first := start(t, func(s *setup) {
		s.fake.EverySession = true
		s.shared = st
	})
	second := start(t, func(s *setup) {
		s.replicaOf = first.fake
		s.shared = st
		s.logs = first.logs
	})
	if first.a == second.a || first.fake != second.fake {
		t.Fatal("the replicas are not two adapters on one fake Discord")
	}
	fake, logs := first.fake, first.logs

	for _, tc := range []struct {
		name string
		// send delivers the event, waits for its answer and returns the
		// log key and the id under which a replica drops it.
		send func() (key, id string)
	}{
		{"a mention", func() (string, string) {
			m := first.say(generalID, "how do I reset my password?", true)
			first.replyTo(m)
			return "message", m.ID
		}},
		{"a slash command", func() (string, string) {
			i := first.slash(strOpt("question", "How do I reset my password?"))
			first.answerTo(i)
			return "interaction", i.ID
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, id := tc.send()
			fake.WaitFrames(t, "the event on both sessions", 2, func(f discordfake.Frame) bool {
				return !f.In && (f.T == "MESSAGE_CREATE" || f.T == "INTERACTION_CREATE") && strings.Contains(string(f.Data), `"id":"`+id+`"`)
			})
			// The replica that did not answer says why.
			dropped := func(text string) bool {
				for _, line := range strings.Split(text, "\n") {
					if strings.Contains(line, "already handled") && strings.Contains(line, key+"="+id) {
						return true
					}
				}
				return false
			}
			if !logs.Wait(discordfake.DefaultWait, dropped) {
				t.Errorf("no replica dropped %s %s as handled already: each took it as new", key, id)
			}
			n := 0
			for _, s := range fake.Sent() {
				if (s.Reference != nil && s.Reference.MessageID == id) || s.Interaction == id {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s %s answered %d times, want once", key, id, n)
			}
		})
	}
}

// TestReplicasRefuseASignedRequestReplayedToTheOther serves the HTTP
// interactions endpoint from two replicas sharing one state database: a
// signed request that one replica answered is refused as a replay by the
// other.
func TestReplicasRefuseASignedRequestReplayedToTheOther(t *testing.T) {
	t.Parallel()
	st := sharedStore(t)
	fake := discordfake.New(t, discordfake.Options{})
	var urls []string
	for range 2 {
		cfg := config.Discord{Enabled: true, APIURL: fake.URL(), InteractionsEndpoint: true, PublicKey: fake.PublicKey()}
		cfg.SetToken(fake.Token())
		a, err := New(cfg, newBot(t, kbPath, nil), testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		a.Share(st)
		mux := http.NewServeMux()
		a.Routes(mux)
		srv := httptest.NewServer(mux)
		t.Cleanup(func() {
			srv.Close()
			a.stop()
		})
		urls = append(urls, srv.URL+InteractionsPath)
	}
	ctx := context.Background()
	at := time.Now()
	i := slashInteraction(aliceID, nil, 0, strOpt("question", "How do I reset my password?"))
	if _, err := fake.SignedRequest(ctx, urls[0], i, at); err != nil { // fills in the id and token
		t.Fatal(err)
	}
	body, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	for n, tc := range []struct {
		replica int
		status  int
	}{
		{0, http.StatusOK},
		// The same bytes and signature (Ed25519 signs deterministically),
		// as captured and sent to the other replica.
		{1, http.StatusUnauthorized},
	} {
		req, err := fake.Sign(ctx, urls[tc.replica], body, at)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("request %d, to replica %d: status %d, want %d", n, tc.replica, resp.StatusCode, tc.status)
		}
	}
}
