package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: v, Line: 1}
}

// containsInOrder fails the test unless msg holds every string of want, in
// that order.
func containsInOrder(t *testing.T, msg string, want []string) {
	t.Helper()
	rest := msg
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("error:\n%s\nlacks (in order) %q", msg, w)
		}
		rest = rest[i+len(w):]
	}
}

// secretFiles returns a temporary folder of the test's own and a function
// that writes a secret there, with a newline as editors leave one, to a
// file of the given name and returns the file's path.
func secretFiles(t *testing.T) (dir string, file func(name, content string) string) {
	dir = t.TempDir()
	return dir, func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
}
