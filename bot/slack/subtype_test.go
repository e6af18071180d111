package slack_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

// subtypeDir holds one Events API message event per subtype, as Slack's
// documentation shows it, each named after its subtype.
const subtypeDir = "testdata/subtypes"

// answeredSubtypes are the subtypes that are a person writing.
var answeredSubtypes = []string{"file_share", "thread_broadcast", "me_message"}

// ignoredSubtypes are the subtypes that report something happening, and a
// subtype Slack may add later.
var ignoredSubtypes = []string{
	"a_subtype_slack_adds_later", "assistant_app_thread", "bot_add", "bot_message", "bot_remove",
	"channel_archive", "channel_convert_to_private", "channel_convert_to_public", "channel_join",
	"channel_leave", "channel_name", "channel_posting_permissions", "channel_purpose", "channel_topic",
	"channel_unarchive", "ekm_access_denied", "file_comment", "file_mention", "group_archive",
	"group_join", "group_leave", "group_name", "group_purpose", "group_topic", "group_unarchive",
	"huddle_thread", "message_changed", "message_deleted", "message_replied", "pinned_item",
	"reminder_add", "reply_broadcast", "sh_room_created", "slackbot_response", "unpinned_item",
}

// TestEverySubtypeFileIsTested keeps the testdata and the tables in step.
func TestEverySubtypeFileIsTested(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(subtypeDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	want := slices.Concat(answeredSubtypes, ignoredSubtypes)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("files in %s = %v\nwant one for each subtype in the tables: %v", subtypeDir, got, want)
	}
}

// subtypeEvent reads the event of one subtype and puts it in channel with
// a fresh ts, and with text instead of its own when text is not nil.
func subtypeEvent(t *testing.T, h *harness, subtype, channel string, text *string) (event map[string]any, ts string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(subtypeDir, subtype+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &event); err != nil {
		t.Fatalf("%s.json: %v", subtype, err)
	}
	if event["subtype"] != subtype {
		t.Fatalf("%s.json has subtype %v", subtype, event["subtype"])
	}
	ts = h.fake.NewTS()
	event["channel"], event["ts"], event["event_ts"] = channel, ts, ts
	event["channel_type"] = "channel"
	if strings.HasPrefix(channel, "D") {
		event["channel_type"] = "im"
	}
	if text != nil {
		event["text"] = *text
	}
	return event, ts
}

// TestSubtypesOfPeopleWritingAreAnswered sends each subtype that is a
// person writing, in a DM and in a listening channel, and checks that it
// is answered like any message: in the DM, or in the message's thread
// (a thread broadcast's own thread).
func TestSubtypesOfPeopleWritingAreAnswered(t *testing.T) {
	t.Parallel()
	const parent = "1700000000.000100" // thread_broadcast.json's thread
	empty := ""
	for _, tc := range []struct {
		name, subtype, channel string
		text                   *string // instead of the file's
		outcome                string
		thread                 string // of the reply; "ts" for the message's own
	}{
		{"a question with a screenshot in a DM", "file_share", dmChan, nil, "event:answered", ""},
		{"a question with a screenshot in a listening channel", "file_share", listenChan, nil, "event:answered", "ts"},
		{"a screenshot alone in a DM", "file_share", dmChan, &empty, "event:ignored", ""},
		{"a thread reply also sent to the channel", "thread_broadcast", listenChan, nil, "event:answered", parent},
		{"a thread reply also sent to the DM", "thread_broadcast", dmChan, nil, "event:answered", parent},
		{"a /me message in a DM", "me_message", dmChan, nil, "event:answered", ""},
		{"a /me message in a listening channel", "me_message", listenChan, nil, "event:answered", "ts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			event, ts := subtypeEvent(t, h, tc.subtype, tc.channel, tc.text)
			body, _ := h.fake.EventCallback(event)
			h.fake.WaitAck(t, h.fake.Send(t, "events_api", body).EnvelopeID)
			if got := h.waitJobs(1); got[0] != tc.outcome {
				t.Fatalf("outcome = %v, want %s\n%s", got, tc.outcome, h.logs.String())
			}
			if tc.outcome != "event:answered" {
				if rs := h.replies(); len(rs) != 0 {
					t.Errorf("the bot spoke:\n%s", describe(rs))
				}
				return
			}
			r := h.onlyReply()
			want := tc.thread
			if want == "ts" {
				want = ts
			}
			if r.Method != "chat.postMessage" || r.Ephemeral() || r.Channel() != tc.channel || r.ThreadTS() != want {
				t.Errorf("reply = %s in %s thread %q, ephemeral %v; want chat.postMessage in %s thread %q", r.Method, r.Channel(), r.ThreadTS(), r.Ephemeral(), tc.channel, want)
			}
			if !strings.Contains(r.BlockText(), "GlobalConnect") {
				t.Errorf("the reply is not the VPN answer:\n%s", r.BlockText())
			}
		})
	}
}

// TestOtherSubtypesAreIgnoredAndLoggedOnce sends every other subtype twice,
// in a listening channel where a person asking the question the events
// carry would be answered, and checks that none is answered and that each
// subtype is logged at info level once.
func TestOtherSubtypesAreIgnoredAndLoggedOnce(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	jobs := 0
	for _, subtype := range ignoredSubtypes {
		t.Run(subtype, func(t *testing.T) {
			for range 2 {
				event, _ := subtypeEvent(t, h, subtype, listenChan, nil)
				body, _ := h.fake.EventCallback(event)
				h.fake.WaitAck(t, h.fake.Send(t, "events_api", body).EnvelopeID)
			}
			jobs += 2
			got := h.waitJobs(jobs)
			if last := got[jobs-2:]; last[0] != "event:ignored" || last[1] != "event:ignored" {
				t.Errorf("outcomes = %v, want ignored twice", last)
			}
			if rs := h.replies(); len(rs) != 0 {
				t.Fatalf("the bot answered:\n%s", describe(rs))
			}
			info := regexp.MustCompile(`(?m)^.*level=INFO .*subtype=` + regexp.QuoteMeta(subtype) + `( |$)`)
			if n := len(info.FindAllString(h.logs.String(), -1)); n != 1 {
				t.Errorf("%d info lines name subtype %s, want 1:\n%s", n, subtype, h.logs.String())
			}
		})
	}
}

func TestMentionWithNoChannelIsRejected(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	ts := h.fake.NewTS()
	body, _ := h.fake.EventCallback(map[string]any{
		"type": "app_mention", "user": slackfake.DefaultUser, "text": slackfake.WithMention("/faq stats"),
		"ts": ts, "event_ts": ts,
	})
	h.fake.WaitAck(t, h.fake.Send(t, "events_api", body).EnvelopeID)
	if got := h.waitJobs(1); got[0] != "event:ignored" {
		t.Errorf("outcome = %v, want ignored", got)
	}
	for _, r := range h.fake.Requests() {
		if strings.HasPrefix(r.Method, "chat.") {
			t.Errorf("the bot called %s for a mention with no channel", r.Method)
		}
	}
	if want := `level=WARN msg="ignored an app_mention with no channel: there is nowhere to answer it"`; !strings.Contains(h.logs.String(), want) {
		t.Errorf("the logs lack %s:\n%s", want, h.logs.String())
	}
}
