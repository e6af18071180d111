package config

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// KnowledgeSource is the config's knowledge key: the knowledge file's
// path ("knowledge: faq.yaml"), or a mapping with the file or a git
// repository to follow ("knowledge: {git: {url: ..., path: faq.yaml}}").
type KnowledgeSource struct {
	// File is the knowledge file, relative to the config file's folder.
	File string `yaml:"file"`
	// Git, if not nil, is the repository the knowledge file is pulled
	// from; Config.Knowledge is then its path in the clone.
	Git *Git `yaml:"git"`
}

// Git says which repository, branch and file to follow, and how.
type Git struct {
	// URL is the repository: https://, ssh://, user@host:path, file:// or
	// a local path (the last two run git's own pack programs).
	URL string `yaml:"url"`
	// Branch is the branch served, and the one edits from chat are pushed
	// to.
	Branch string `yaml:"branch"`
	// PushBranch, if set, is the branch edits from chat are pushed to
	// instead of Branch: a review branch that a person merges.
	PushBranch string `yaml:"push_branch"`
	// Path is the knowledge file's path inside the repository.
	Path string `yaml:"path"`
	// Dir is the folder of the clone, relative to the config file's
	// folder.
	Dir string `yaml:"dir"`
	// Poll is how often the branch is fetched; 0 fetches only at start,
	// on /faq reload and on SIGHUP.
	Poll time.Duration `yaml:"poll"`
	// Auth authenticates to the remote.
	Auth GitAuth `yaml:"auth"`
}

// GitAuth holds the credentials for a git remote: a user name and a
// password or token for https, or a private key file for ssh.
type GitAuth struct {
	// Username is the https user name; "git" when only a password or
	// token is given, and the ssh user ("git") for ssh_key_file.
	Username string `yaml:"username"`
	// Password is the https password or access token, from an environment
	// variable written as ${NAME}.
	Password Secret `yaml:"password"`
	// PasswordFile is a file holding the password, instead of Password.
	PasswordFile string `yaml:"password_file"`
	// SSHKeyFile is a private key file for ssh remotes.
	SSHKeyFile string `yaml:"ssh_key_file"`

	password string
}

// PasswordValue returns the https password or token, read from the
// environment variable or the file the config names.
func (a GitAuth) PasswordValue() string { return a.password }

// DefaultGit returns the settings a knowledge.git mapping starts from.
func DefaultGit() Git {
	return Git{Branch: "main", Dir: "data/knowledge", Poll: time.Minute}
}

// knowledgeKeys lists the keys each mapping under knowledge may hold.
var knowledgeKeys = map[string][]string{
	"knowledge":          {"file", "git"},
	"knowledge.git":      {"url", "branch", "push_branch", "path", "dir", "poll", "auth"},
	"knowledge.git.auth": {"username", "password", "password_file", "ssh_key_file"},
}

// UnmarshalYAML reads the path of the knowledge file, or a mapping with
// file or git; an unknown key in the mapping is an error.
func (k *KnowledgeSource) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		k.File, k.Git = n.Value, nil
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: knowledge: write the knowledge file's path, or a mapping with file or git", n.Line)
	}
	var unknown []string
	checkKeys(n, "knowledge", &unknown)
	if len(unknown) > 0 {
		return &yaml.TypeError{Errors: unknown}
	}
	var plain struct {
		File string `yaml:"file"`
		Git  *Git   `yaml:"git"`
	}
	if g := child(n, "git"); g != nil {
		d := DefaultGit()
		plain.Git = &d
	}
	if err := n.Decode(&plain); err != nil {
		return err
	}
	k.File, k.Git = plain.File, plain.Git
	return nil
}

// checkKeys records, as "line N: ..." messages, the keys of mapping n
// (named where) and of the mappings under it that knowledgeKeys does not
// list.
func checkKeys(n *yaml.Node, where string, unknown *[]string) {
	allowed, ok := knowledgeKeys[where]
	if !ok || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		if !contains(allowed, key.Value) {
			*unknown = append(*unknown, fmt.Sprintf("line %d: unknown key %q under %s (it takes %s)", key.Line, key.Value, where, strings.Join(allowed, ", ")))
			continue
		}
		checkKeys(n.Content[i+1], where+"."+key.Value, unknown)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// child returns the value of key in mapping n, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// check checks the knowledge key and sets c.Knowledge from it.
func (k *KnowledgeSource) check(c *Config, p *problems) {
	if k.Git == nil {
		if k.File == "" {
			p.add(c.line("knowledge"), "knowledge: name the knowledge file, for example knowledge/faq.yaml")
		}
		c.Knowledge = k.File
		return
	}
	g := k.Git
	if k.File != "" {
		p.add(c.line("knowledge", "file"), "knowledge: give file or git, not both: with git, the file is git.path in the repository")
	}
	if g.URL == "" {
		p.add(c.line("knowledge", "git", "url"), "knowledge.git.url: name the repository, such as https://github.com/acme/faq.git")
	}
	if g.Branch == "" {
		p.add(c.line("knowledge", "git", "branch"), "knowledge.git.branch: name the branch to serve, such as main")
	}
	if g.Path == "" || path.IsAbs(g.Path) || strings.HasPrefix(path.Clean(g.Path), "..") {
		p.add(c.line("knowledge", "git", "path"), "knowledge.git.path: %q is not a file inside the repository: write its path from the repository's top, such as faq.yaml", g.Path)
	}
	if g.Dir == "" {
		p.add(c.line("knowledge", "git", "dir"), "knowledge.git.dir: name the folder of the clone, such as data/knowledge")
	}
	if g.Poll < 0 || (g.Poll > 0 && g.Poll < time.Second) {
		p.add(c.line("knowledge", "git", "poll"), "knowledge.git.poll: %v: write a duration of a second or more, such as 1m, or 0s to fetch only on reload", g.Poll)
	}
	a := &g.Auth
	if a.Password.Set() || a.PasswordFile != "" {
		a.password = c.resolveSecret(p, a.Password, a.PasswordFile, true, "knowledge", "git", "auth", "password")
	}
	if a.SSHKeyFile != "" && (a.Password.Set() || a.PasswordFile != "") {
		p.add(c.line("knowledge", "git", "auth", "ssh_key_file"), "knowledge.git.auth: give a password (https) or ssh_key_file (ssh), not both")
	}
	c.Knowledge = filepath.Join(g.Dir, filepath.FromSlash(g.Path))
}

// resolve makes the clone's folder and key file relative to dir, the
// config file's folder.
func (g *Git) resolve(dir string) {
	for _, p := range []*string{&g.Dir, &g.Auth.SSHKeyFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
}
