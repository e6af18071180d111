// Package config loads faqbot's configuration file. Loading is strict: an
// unknown key, a wrong type or a literal secret is an error naming the file
// and line, and every problem is reported at once. Load is also the check:
// "faqbot check" and "faqbot run" call the same function.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxSize is the largest configuration file Load reads.
const MaxSize = 1 << 20

// Config is the whole configuration file.
type Config struct {
	// Path is the file the configuration was loaded from.
	Path string `yaml:"-"`

	// Knowledge is the knowledge file, relative to the config file's folder
	// unless absolute: the one the knowledge key names, or its path in the
	// clone of the repository that knowledge.git names.
	Knowledge string `yaml:"-"`
	// Source is the knowledge key as written.
	Source KnowledgeSource `yaml:"knowledge"`
	// Bases are more knowledge bases, each answering where its scope
	// says; the top-level knowledge file answers everywhere else.
	Bases []Base `yaml:"bases"`
	// Experts are the default base's experts channels (see Base.Experts).
	Experts Channels `yaml:"experts"`
	// Stale is the default base's digest of stale entries (see
	// Base.Stale).
	Stale     Stale     `yaml:"stale"`
	Matcher   Matcher   `yaml:"matcher"`
	Listening Listening `yaml:"listening"`
	Log       Log       `yaml:"log"`
	Slack     Slack     `yaml:"slack"`
	Discord   Discord   `yaml:"discord"`
	HTTP      HTTP      `yaml:"http"`
	Limits    Limits    `yaml:"limits"`
	Store     Store     `yaml:"store"`
	Reload    Reload    `yaml:"reload"`

	root *yaml.Node
}

// Matcher tunes how questions are matched.
type Matcher struct {
	// Threshold is the confidence in [0,1] below which the bot does not
	// answer but offers suggestions.
	Threshold float64 `yaml:"threshold"`
}

// Listening configures how the bot treats messages in listening channels,
// which it answers unasked when they look like questions.
type Listening struct {
	// QuestionWords are the first words that make a message a question even
	// without a question mark.
	QuestionWords []string `yaml:"question_words"`
}

// Log configures logging.
type Log struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is text or json.
	Format string `yaml:"format"`
	// QuestionText logs the text of questions; off by default for privacy.
	QuestionText bool `yaml:"question_text"`
}

// Default returns the configuration used when no file is given.
func Default() *Config {
	return &Config{
		Knowledge: "knowledge/faq.yaml",
		Source:    KnowledgeSource{File: "knowledge/faq.yaml"},
		Matcher:   Matcher{Threshold: 0.5},
		Listening: Listening{QuestionWords: DefaultQuestionWords()},
		Log:       Log{Level: "info", Format: "text"},
		HTTP:      HTTP{Metrics: true},
		Limits:    DefaultLimits(),
		Store:     DefaultStore(),
		Reload:    DefaultReload(),
	}
}

// DefaultQuestionWords returns the English words that start a question.
func DefaultQuestionWords() []string {
	return []string{"who", "what", "when", "where", "why", "how", "which", "is", "are", "can", "could", "does", "do", "did", "should", "will", "would", "may", "anyone", "any"}
}

// Load reads and checks the configuration file at path. Values missing from
// the file keep their defaults. The error, if any, lists every problem found,
// one per line, as file:line: message.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w (give another file with --config)", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: the config file is larger than %d bytes", path, MaxSize)
	}
	return Parse(path, data)
}

// Parse checks configuration data; path is used in messages and to resolve
// relative paths.
func Parse(path string, data []byte) (*Config, error) {
	c := Default()
	c.Path = path
	p := &problems{file: filepath.Base(path)}

	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		p.addYAML(err)
		return nil, p.err()
	}
	if hasAlias(&root) {
		p.add(0, "anchors and aliases are not allowed in the config file")
		return nil, p.err()
	}
	c.root = &root
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		p.addYAML(err)
		return nil, p.err()
	}
	c.check(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	if c.Knowledge != "" && !filepath.IsAbs(c.Knowledge) {
		c.Knowledge = filepath.Join(filepath.Dir(path), c.Knowledge)
	}
	if c.Source.Git != nil {
		c.Source.Git.resolve(filepath.Dir(path))
		c.Knowledge = filepath.Join(c.Source.Git.Dir, filepath.FromSlash(c.Source.Git.Path))
	}
	c.resolveBases(filepath.Dir(path))
	c.Store.resolve(filepath.Dir(path))
	c.Reload.resolve(filepath.Dir(path))
	return c, nil
}

func (c *Config) check(p *problems) {
	c.Source.check(c, p)
	if t := c.Matcher.Threshold; t < 0 || t > 1 {
		p.add(c.line("matcher", "threshold"), "matcher.threshold: %v is outside [0,1]; 0.5 suits most knowledge files", t)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		p.add(c.line("log", "level"), "log.level: %q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		p.add(c.line("log", "format"), "log.format: %q is not one of text, json", c.Log.Format)
	}
	c.Slack.check(c, p)
	c.Discord.check(c, p)
	c.HTTP.check(c, p)
	c.Limits.check(c, p)
	c.Store.check(c, p)
	c.Reload.check(c, p)
	c.Stale.check("stale", func(key string) int { return c.line("stale", key) }, p)
	c.checkBases(p)
}

// line returns the line of the key at path in the file, or of its closest
// ancestor that is present, or 0.
func (c *Config) line(path ...string) int {
	if c.root == nil || len(c.root.Content) == 0 {
		return 0
	}
	return lineIn(c.root.Content[0], 0, path...)
}

// lineIn returns the line of the key at path below the mapping n, or of
// its closest ancestor that is present, or line when none is.
func lineIn(n *yaml.Node, line int, path ...string) int {
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			break
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line, next = n.Content[i].Line, n.Content[i+1]
				break
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return line
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// problems collects every problem found in one file.
type problems struct {
	file string
	list []string
}

func (p *problems) add(line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		p.list = append(p.list, fmt.Sprintf("%s:%d: %s", p.file, line, msg))
		return
	}
	p.list = append(p.list, fmt.Sprintf("%s: %s", p.file, msg))
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
var unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)

// addYAML turns a yaml.v3 error into problems with file:line prefixes.
func (p *problems) addYAML(err error) {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	for _, m := range msgs {
		sub := yamlLine.FindStringSubmatch(m)
		if sub == nil {
			p.add(0, "%s", strings.TrimPrefix(m, "yaml: "))
			continue
		}
		line, _ := strconv.Atoi(sub[1])
		msg := sub[2]
		if f := unknownField.FindStringSubmatch(msg); f != nil {
			msg = fmt.Sprintf("unknown key %q (every key is documented in the shipped config.yaml)", f[1])
		}
		p.add(line, "%s", msg)
	}
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return errors.New(strings.Join(p.list, "\n"))
}
