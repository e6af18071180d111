package config

import (
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Secret is a credential such as a token. The config file never holds one
// literally: it names an environment variable as ${NAME}, and Load reads it.
// A Secret never prints its value, so it cannot leak into logs.
type Secret struct {
	value string
	from  string
}

var envRef = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)

// UnmarshalYAML reads ${NAME} and takes the value of the environment
// variable NAME; anything else is refused, so secrets stay out of files.
func (s *Secret) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a secret is written as ${ENV_VAR}", n.Line)
	}
	if n.Value == "" {
		return nil
	}
	m := envRef.FindStringSubmatch(n.Value)
	if m == nil {
		return fmt.Errorf("line %d: secrets are never written in the config file: put it in an environment variable and write ${NAME}, or use the matching _file key", n.Line)
	}
	s.from = "$" + m[1]
	s.value = strings.TrimSpace(os.Getenv(m[1]))
	return nil
}

// Value returns the secret itself.
func (s Secret) Value() string { return s.value }

// Set reports whether the config names the secret at all.
func (s Secret) Set() bool { return s.from != "" }

// String hides the value.
func (s Secret) String() string {
	if s.from == "" {
		return "(not set)"
	}
	return s.from + " (redacted)"
}

// LogValue hides the value from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// resolveSecret returns the secret named by key (an environment reference)
// or by key_file (a file holding it), and records a problem when required
// and neither gives a value.
func (c *Config) resolveSecret(p *problems, s Secret, file string, required bool, path ...string) string {
	key := strings.Join(path, ".")
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			p.add(c.line(append(path[:len(path)-1:len(path)-1], path[len(path)-1]+"_file")...), "%s_file: %v", key, err)
			return ""
		}
		return strings.TrimSpace(string(data))
	}
	if s.value != "" {
		return s.value
	}
	if required {
		if s.from != "" {
			p.add(c.line(path...), "%s: the environment variable %s is empty or unset; export it before starting faqbot", key, strings.TrimPrefix(s.from, "$"))
		} else {
			p.add(c.line(path...), "%s is required: write %s: ${ENV_VAR} or %s_file: PATH", key, path[len(path)-1], path[len(path)-1])
		}
	}
	return ""
}
