package config

import (
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
