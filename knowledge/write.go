package knowledge

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// WriteYAML writes f as a knowledge file in YAML: keys in the order of the
// format's reference, answers as block literals, short lists in flow style.
// comment, when not empty, is written as a comment at the top of the file.
// The output for a given File is always the same.
func WriteYAML(w io.Writer, f *File, comment string) error {
	root := &yaml.Node{Kind: yaml.MappingNode}
	if comment != "" {
		root.HeadComment = comment
	}
	add := func(m *yaml.Node, key string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	}
	version := f.Version
	if version == 0 {
		version = Version
	}
	add(root, "version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(version)})
	if f.Title != "" {
		add(root, "title", yamlStr(f.Title))
	}
	if f.Language != "" && f.Language != "en" {
		add(root, "language", yamlStr(f.Language))
	}
	if f.Fallback != "" {
		add(root, "fallback", yamlStr(f.Fallback))
	}
	if len(f.Synonyms) > 0 {
		syn := &yaml.Node{Kind: yaml.SequenceNode}
		for _, g := range f.Synonyms {
			syn.Content = append(syn.Content, yamlList(g, yaml.FlowStyle))
		}
		add(root, "synonyms", syn)
	}
	entries := &yaml.Node{Kind: yaml.SequenceNode}
	for i := range f.Entries {
		e := &f.Entries[i]
		m := &yaml.Node{Kind: yaml.MappingNode}
		add(m, "id", yamlStr(e.ID))
		add(m, "question", yamlStr(e.Question))
		if len(e.Alternates) > 0 {
			add(m, "alternates", yamlList(e.Alternates, 0))
		}
		if e.Section != "" {
			add(m, "section", yamlStr(e.Section))
		}
		add(m, "answer", yamlLiteral(e.Answer))
		if len(e.Tags) > 0 {
			add(m, "tags", yamlList(e.Tags, yaml.FlowStyle))
		}
		if e.Source != "" {
			add(m, "source", yamlStr(e.Source))
		}
		if e.Updated != "" {
			// A plain date reads back as a timestamp, which the loader takes.
			add(m, "updated", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: e.Updated})
		}
		if len(e.Related) > 0 {
			add(m, "related", yamlList(e.Related, yaml.FlowStyle))
		}
		if e.Owner != "" {
			add(m, "owner", yamlStr(e.Owner))
		}
		entries.Content = append(entries.Content, m)
	}
	add(root, "entries", entries)

	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return err
	}
	return enc.Close()
}

// yamlStr returns s as a string scalar, double-quoted when another YAML
// reader could take it for something else (see retyped); the encoder
// quotes what YAML 1.2 itself would.
func yamlStr(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if retyped(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// yaml11Scalar matches the plain scalars that YAML 1.1 readers (PyYAML,
// Ruby's Psych, go-yaml v2, SnakeYAML) read as something other than a
// string: booleans (yes, on, y...), null, integers and floats in any of
// their forms (0x1F, 0o17, 012, 1_000, 1:20, .5, 1e3, .inf, .nan), and
// dates and times.
var yaml11Scalar = regexp.MustCompile(`^(?:` +
	`[yY]|[yY]es|YES|[nN]|[nN]o|NO|[tT]rue|TRUE|[fF]alse|FALSE|[oO]n|ON|[oO]ff|OFF|` +
	`~|[nN]ull|NULL|` +
	`[-+]?\.?[0-9][0-9a-fA-FxXoObB_.:eE+-]*|` +
	`[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|` +
	`[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?` +
	`)$`)

// retyped reports whether s, written as a plain scalar, could be read by
// a YAML reader as something other than the string s.
func retyped(s string) bool { return yaml11Scalar.MatchString(s) }

// literal returns s as a block literal ("|"); the encoder falls back to a
// quoted string when s cannot be one (trailing spaces, control characters).
func yamlLiteral(s string) *yaml.Node {
	s = strings.TrimRight(s, " \t\r\n") + "\n"
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.LiteralStyle, Value: s}
}

func yamlList(items []string, style yaml.Style) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: style}
	for _, s := range items {
		n.Content = append(n.Content, yamlStr(s))
	}
	return n
}
