package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// asCommand, set to 1 in the environment, makes the test binary run as the
// faqbot command itself (see TestMain), for tests that need a process of
// its own to signal.
const asCommand = "FAQBOT_TEST_AS_COMMAND"

// TestMain runs main in place of the tests when asCommand is set.
func TestMain(m *testing.M) {
	if os.Getenv(asCommand) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// faqbot runs the command in-process and returns its exit code and output.
func faqbot(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const testKB = "../../bot/testdata/kb.yaml"

// inTempDir makes a new temporary folder the working directory for the rest
// of the test, so that the state database a command opens without --config
// (data/faqbot.db, relative to the working directory) lands there and not
// in the source tree. It returns path made absolute first.
func inTempDir(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	return abs
}

// shippedConfig copies the shipped config.yaml and the knowledge file it
// names into a temporary folder and returns the copy's path, so that the
// state database it names (relative to its folder) lands there.
func shippedConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"config.yaml", "knowledge/faq.yaml"} {
		data, err := os.ReadFile(filepath.Join("../..", f))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "config.yaml")
}

func TestAskExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"answered", []string{"ask", "--knowledge", testKB, "What is the wifi password?"}, 0, "Office-Guest"},
		{"words as separate arguments", []string{"ask", "--knowledge", testKB, "what", "is", "the", "wifi", "password"}, 0, "Source: Office handbook, updated 2026-01-15"},
		{"not answered", []string{"ask", "--knowledge", testKB, "Who won the football world cup in 1966?"}, 1, "I don't know that one yet."},
		{"flags after the question", []string{"ask", "What is the wifi password?", "--knowledge", testKB}, 0, "Office-Guest"},
		{"a question after --", []string{"ask", "--knowledge", testKB, "--", "-what", "is", "the", "wifi", "password"}, 0, "Office-Guest"},
		{"no question", []string{"ask", "--knowledge", testKB}, 2, ""},
		{"missing knowledge file", []string{"ask", "--knowledge", "nope.yaml", "hello?"}, 2, ""},
		{"broken knowledge file", []string{"ask", "--knowledge", "../../bot/testdata/kb-broken.yaml", "hello?"}, 2, ""},
		{"bad flag", []string{"ask", "--bogus", "x"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := faqbot(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, out)
			}
			if code == 2 && errs == "" {
				t.Error("an error exit printed nothing on stderr")
			}
		})
	}
}

func TestAskJSON(t *testing.T) {
	code, out, _ := faqbot(t, "", "ask", "--json", "--knowledge", testKB, "how many holiday days do i get per year")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"answered", "id", "question", "answer", "confidence", "suggestions"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, out)
		}
	}
	if got["answered"] != true || got["id"] != "holidays" || got["question"] != "How many holiday days do I get per year?" {
		t.Errorf("JSON = %s", out)
	}

	code, out, _ = faqbot(t, "", "ask", "--json", "--knowledge", testKB, "printer wifi")
	var unsure struct {
		Answered    bool `json:"answered"`
		Suggestions []struct {
			ID         string  `json:"id"`
			Question   string  `json:"question"`
			Confidence float64 `json:"confidence"`
		} `json:"suggestions"`
	}
	if err := json.Unmarshal([]byte(out), &unsure); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if (code == 0) != unsure.Answered {
		t.Errorf("exit %d but answered=%v", code, unsure.Answered)
	}
}

func TestCheck(t *testing.T) {
	code, out, _ := faqbot(t, "", "check", "--knowledge", testKB)
	if code != 0 || out != "ok: 4 entries, 7 phrasings\n" {
		t.Errorf("check good file: exit %d, %q", code, out)
	}
	// Two entries asked almost the same way: a warning, and still exit 0.
	code, out, errs := faqbot(t, "", "check", "--knowledge", "../../knowledge/match/testdata/confusions/kb.yaml")
	if code != 0 || out != "ok: 5 entries, 6 phrasings; 1 warning\n" || !strings.Contains(errs, `confusions/kb.yaml:6: entry oil-when: "Do I need to change my oil?" is answered with entry oil-how ("What do I need to change my oil?", line 3)`) {
		t.Errorf("check confusable entries: exit %d, %q, stderr %q", code, out, errs)
	}
	// The file may be the argument; --strict fails on warnings, for CI.
	code, out, _ = faqbot(t, "", "check", "--strict", "../../knowledge/match/testdata/confusions/kb.yaml")
	if code != 1 || out != "ok: 5 entries, 6 phrasings; 1 warning\n" {
		t.Errorf("check --strict confusable entries: exit %d, %q", code, out)
	}
	code, _, _ = faqbot(t, "", "check", "--strict", testKB)
	if code != 0 {
		t.Errorf("check --strict good file: exit %d", code)
	}
	// Past --warnings, the rest are counted.
	code, out, errs = faqbot(t, "", "check", "--warnings", "1", "../../knowledge/match/testdata/confusions/tied.yaml")
	if code != 0 || out != "ok: 3 entries, 3 phrasings; 2 warnings\n" || strings.Count(errs, "\n") != 2 ||
		!strings.Contains(errs, `tied.yaml:3: entry a: "parking garage" cannot be told from entry b ("garage parking", line 6)`) ||
		!strings.HasSuffix(errs, "\nwarning: and 1 more, of 1 entry (--warnings 0 prints them all)\n") {
		t.Errorf("check --warnings 1: exit %d, %q, stderr %q", code, out, errs)
	}
	code, _, errs = faqbot(t, "", "check", "--knowledge", testKB, testKB)
	if code != 2 || !strings.Contains(errs, "not both") {
		t.Errorf("check with --knowledge and an argument: exit %d, stderr %q", code, errs)
	}
	code, _, errs = faqbot(t, "", "check", "--knowledge", "../../bot/testdata/kb-broken.yaml")
	if code != 1 || !strings.Contains(errs, "kb-broken.yaml:3") {
		t.Errorf("check broken file: exit %d, stderr %q", code, errs)
	}
	// A folder of knowledge files is checked as one, and a clash between
	// two of its files names both.
	code, out, errs = faqbot(t, "", "check", "--knowledge", "../../knowledge/testdata/folder/good")
	if code != 0 || out != "ok: 2 entries, 3 phrasings\n" {
		t.Errorf("check good folder: exit %d, %q, stderr %q", code, out, errs)
	}
	code, _, errs = faqbot(t, "", "check", "--knowledge", "../../knowledge/testdata/folder/bad")
	if code != 1 || !strings.Contains(errs, `folder/bad/b.yaml:5:9: entry "wifi": duplicate id "wifi": the entry at ../../knowledge/testdata/folder/bad/a.yaml:5 has it too`) {
		t.Errorf("check broken folder: exit %d, stderr %q", code, errs)
	}
	code, _, errs = faqbot(t, "", "check", "--config", "../../config/testdata/bad/several.yaml")
	if code != 1 || !strings.Contains(errs, "several.yaml:3: matcher.threshold") || !strings.Contains(errs, "several.yaml:5: log.level") {
		t.Errorf("check broken config: exit %d, stderr %q", code, errs)
	}
}

func TestChatFromPipe(t *testing.T) {
	in := "What is the wifi password?\n\nWho won the football world cup in 1966?\n/faq show printer\n"
	kb := inTempDir(t, testKB)
	code, out, errs := faqbot(t, in, "chat", "--knowledge", kb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Office-Guest", "I don't know that one yet.", "Floor2"} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "> ") {
		t.Errorf("a prompt was written to a pipe:\n%s", out)
	}
	// One block per question, each followed by an empty line.
	if blocks := strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n"); len(blocks) != 3 || !strings.HasSuffix(out, "\n\n") {
		t.Errorf("%d blocks, want 3 replies each followed by an empty line:\n%q", len(blocks), out)
	}
	code, out, errs = faqbot(t, in, "chat", "--json", "--knowledge", kb)
	if code != 0 {
		t.Fatalf("chat --json: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var ids []string
	for _, line := range lines {
		var r struct{ ID string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("chat --json wrote a line that is not JSON: %v\n%s", err, line)
		}
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "wifi-password,,printer" {
		t.Errorf("chat --json answered %q, want wifi-password, none, printer:\n%s", ids, out)
	}
}

func TestChatPicksSuggestionByNumber(t *testing.T) {
	code, out, _ := faqbot(t, "/faq show wifi\n1\n", "chat", "--knowledge", inTempDir(t, testKB))
	if code != 0 || !strings.Contains(out, "1) What is the wifi password?") || !strings.Contains(out, "Office-Guest") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// palestineKB is a copy of the shipped knowledge file, whose fallback
// names /faq list.
const palestineKB = "../../knowledge/testdata/palestine.yaml"

// TestAskNamesCommandLineCommands checks that a reply printed by faqbot ask
// names the faqbot commands that do what the /faq commands it names do.
func TestAskNamesCommandLineCommands(t *testing.T) {
	code, out, _ := faqbot(t, "", "ask", "--knowledge", palestineKB, "what is the weather like")
	if code != 1 || !strings.Contains(out, "Try faqbot list to see them all.") || strings.Contains(out, "/faq") || strings.Contains(out, "type a number") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = faqbot(t, "", "ask", "--knowledge", palestineKB, "Does Russia endorse Hamas?")
	if code != 0 || !strings.Contains(out, "(faqbot show diplomacy)") || strings.Contains(out, "/faq") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = faqbot(t, "", "ask", "--knowledge", palestineKB, "does russia sell weapons to palestine")
	if !strings.Contains(out, "Did you mean:") || !strings.Contains(out, "(faqbot show ") {
		t.Errorf("exit %d: the suggestions do not say how to see them:\n%s", code, out)
	}
}

// TestAskJSONRoundsEveryConfidence checks that answers, refusals and
// suggestions all carry confidences rounded to three decimals.
func TestAskJSONRoundsEveryConfidence(t *testing.T) {
	for _, q := range []string{"Does Russia endorse Hamas?", "does russia help palestine", "what is the weather like"} {
		_, out, _ := faqbot(t, "", "ask", "--json", "--knowledge", palestineKB, q)
		var r struct {
			Answered    bool    `json:"answered"`
			Confidence  float64 `json:"confidence"`
			Suggestions []struct {
				Confidence float64 `json:"confidence"`
			} `json:"suggestions"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%q: %v\n%s", q, err, out)
		}
		cs := []float64{r.Confidence}
		for _, s := range r.Suggestions {
			cs = append(cs, s.Confidence)
		}
		for _, c := range cs {
			if c <= 0 || math.Abs(c*1000-math.Round(c*1000)) > 1e-6 {
				t.Errorf("%q (answered %v): confidence %v is not rounded to three decimals", q, r.Answered, c)
			}
		}
	}
}

func TestListAndShow(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"list", []string{"list"}, 0, "  • wifi-password: What is the wifi password?"},
		{"list filtered", []string{"list", "wifi"}, 0, "wifi-password"},
		{"show", []string{"show", "printer"}, 0, "Add the printer named Floor2 from the system settings."},
		{"show an unknown id", []string{"show", "nope"}, 1, "There is no entry with that id."},
		{"show with no id", []string{"show"}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := faqbot(t, "", append(tc.args, "--knowledge", testKB)...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, want %d:\n%s%s", code, tc.code, out, errs)
			}
		})
	}
}

// TestShippedKnowledgeBase runs the README's quick start on the shipped
// config and knowledge file: the one test that reads them.
func TestShippedKnowledgeBase(t *testing.T) {
	config := shippedConfig(t)
	code, out, errs := faqbot(t, "", "ask", "--config", config, "Does Russia endorse Hamas?")
	if code != 0 || !strings.Contains(out, "Hamas") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	code, out, _ = faqbot(t, "does russia support palestine\nwhat is the weather like\n", "chat", "--config", config)
	if code != 0 {
		t.Fatalf("chat exit %d", code)
	}
	if !strings.Contains(out, "Source:") || !strings.Contains(out, "Did you mean") && !strings.Contains(out, "don't know") {
		t.Errorf("chat on the shipped base:\n%s", out)
	}
}

func TestUsage(t *testing.T) {
	code, out, _ := faqbot(t, "", "help")
	if code != 0 || !strings.Contains(out, "faqbot chat") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
	code, _, errs := faqbot(t, "", "frobnicate")
	if code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, errs)
	}
	code, out, _ = faqbot(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "faqbot ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

func TestRunNeedsAPlatform(t *testing.T) {
	code, _, errs := faqbot(t, "", "run", "--knowledge", inTempDir(t, testKB))
	if code != 2 || !strings.Contains(errs, "no platform is enabled") {
		t.Errorf("run with nothing enabled: exit %d, %q", code, errs)
	}
	if strings.Contains(errs, "level=WARN") || strings.Contains(errs, "level=ERROR") {
		t.Errorf("run with nothing enabled logged more than its error: %q", errs)
	}
}
