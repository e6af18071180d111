package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/faqbot/faqbot/config"
)

// repo is the repository root, seen from this package.
const repo = "../.."

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	stage int    // the index of the FROM it belongs to
	cmd   string // upper case: FROM, RUN, COPY...
	args  string
}

// parseDockerfile reads the instructions of the Dockerfile at p.
func parseDockerfile(t *testing.T, p string) []instruction {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var out []instruction
	stage := -1
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(rest + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		cur.Reset()
		cmd = strings.ToUpper(cmd)
		if cmd == "FROM" {
			stage++
		}
		out = append(out, instruction{stage: stage, cmd: cmd, args: strings.Join(strings.Fields(args), " ")})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// dockerfile is what the test reads out of the Dockerfile.
type dockerfile struct {
	ins []instruction
}

func (d dockerfile) all(stage int, cmd string) []string {
	var out []string
	for _, in := range d.ins {
		if in.cmd == cmd && (stage < 0 || in.stage == stage) {
			out = append(out, in.args)
		}
	}
	return out
}

func (d dockerfile) one(t *testing.T, stage int, cmd string) string {
	t.Helper()
	all := d.all(stage, cmd)
	if len(all) != 1 {
		t.Fatalf("want exactly one %s in stage %d of the Dockerfile, found %d: %q", cmd, stage, len(all), all)
	}
	return all[0]
}

func (d dockerfile) final() int { return d.ins[len(d.ins)-1].stage }

// exec parses the JSON (exec) form of CMD, ENTRYPOINT and the like.
func execForm(t *testing.T, what, args string) []string {
	t.Helper()
	var out []string
	if err := json.Unmarshal([]byte(args), &out); err != nil || len(out) == 0 {
		t.Fatalf("%s %s: use the exec form, a JSON array, so no shell is needed (distroless has none): %v", what, args, err)
	}
	return out
}

// buildCommand is a "go build" command line, taken apart.
type buildCommand struct {
	env     map[string]string
	flags   []string // every flag but -o and -ldflags, sorted
	ldflags string
	out     string
	pkg     string
}

// words splits a shell command line at spaces, keeping quoted parts
// together and dropping the quotes.
func words(s string) []string {
	var out []string
	var cur strings.Builder
	quote := rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == ' ':
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func parseBuild(t *testing.T, where, line string) buildCommand {
	t.Helper()
	b := buildCommand{env: map[string]string{}}
	w := words(line)
	i := 0
	for ; i < len(w) && strings.Contains(w[i], "="); i++ {
		k, v, _ := strings.Cut(w[i], "=")
		b.env[k] = v
	}
	if i+1 >= len(w) || w[i] != "go" || w[i+1] != "build" {
		t.Fatalf("%s: %q is not ENV=... go build ...", where, line)
	}
	for i += 2; i < len(w); i++ {
		f := w[i]
		switch {
		case f == "-o":
			i++
			b.out = w[i]
		case strings.HasPrefix(f, "-ldflags="):
			b.ldflags = strings.TrimPrefix(f, "-ldflags=")
		case f == "-ldflags":
			i++
			b.ldflags = w[i]
		case strings.HasPrefix(f, "-"):
			b.flags = append(b.flags, f)
		default:
			b.pkg = f
		}
	}
	slices.Sort(b.flags)
	return b
}

// TestDockerfileAgreesWithTheCode checks that the Dockerfile builds the
// binary as CI does, and that its paths, port, user and health check are
// the ones the code and the shipped config use.
func TestDockerfileAgreesWithTheCode(t *testing.T) {
	d := dockerfile{parseDockerfile(t, filepath.Join(repo, "Dockerfile"))}
	final := d.final()
	if final < 1 {
		t.Fatal("the Dockerfile is not multi-stage: build in one stage, copy the binary into a small final one")
	}

	// The build command, as CI runs it.
	var dockerBuild buildCommand
	for _, run := range d.all(-1, "RUN") {
		if strings.Contains(run, "go build") {
			dockerBuild = parseBuild(t, "Dockerfile", run)
		}
	}
	ci, err := os.ReadFile(filepath.Join(repo, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	var ciBuild buildCommand
	for _, line := range strings.Split(string(ci), "\n") {
		if strings.Contains(line, "go build") && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			ciBuild = parseBuild(t, ".ci/run", strings.TrimSpace(line))
		}
	}
	t.Run("build command", func(t *testing.T) {
		for name, b := range map[string]buildCommand{"Dockerfile": dockerBuild, ".ci/run": ciBuild} {
			if b.env["CGO_ENABLED"] != "0" {
				t.Errorf("%s builds without CGO_ENABLED=0: the binary would not be static", name)
			}
			if !slices.Contains(b.flags, "-trimpath") {
				t.Errorf("%s builds without -trimpath", name)
			}
			if b.pkg != "./cmd/faqbot" {
				t.Errorf("%s builds %q, want ./cmd/faqbot", name, b.pkg)
			}
		}
		if !slices.Equal(dockerBuild.flags, ciBuild.flags) {
			t.Errorf("the Dockerfile builds with %v and CI with %v: keep them the same", dockerBuild.flags, ciBuild.flags)
		}
		m := regexp.MustCompile(`-X main\.(\w+)=`).FindStringSubmatch(dockerBuild.ldflags)
		if m == nil {
			t.Fatalf("the Dockerfile's -ldflags %q does not set the version with -X main.NAME=", dockerBuild.ldflags)
		}
		if !hasStringVar(t, ".", m[1]) {
			t.Errorf("-X main.%s: package main has no string variable %s", m[1], m[1])
		}
	})

	t.Run("go version", func(t *testing.T) {
		mod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		want := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
		arg := regexp.MustCompile(`(?m)^GO_VERSION=(\S+)$`).FindStringSubmatch(strings.Join(d.all(-1, "ARG"), "\n"))
		if want == nil || arg == nil || arg[1] != string(want[1]) {
			t.Errorf("ARG GO_VERSION %v does not match go.mod's go %s", arg, want)
		}
		if from := d.one(t, 0, "FROM"); !strings.HasPrefix(from, "golang:${GO_VERSION}") {
			t.Errorf("the build stage is FROM %s, want golang:${GO_VERSION}", from)
		}
	})

	// The final image: the binary, the app folder and who runs it.
	var bin, appSrc, appDir, owner string
	for _, c := range d.all(final, "COPY") {
		w := strings.Fields(c)
		src, dst := w[len(w)-2], w[len(w)-1]
		switch {
		case src == dockerBuild.out:
			bin = dst
		case strings.HasPrefix(c, "--from="):
			appSrc, appDir = src, dst
			for _, f := range w {
				if o, ok := strings.CutPrefix(f, "--chown="); ok {
					owner = o
				}
			}
		}
	}
	entry := execForm(t, "ENTRYPOINT", d.one(t, final, "ENTRYPOINT"))
	cmd := execForm(t, "CMD", d.one(t, final, "CMD"))
	hc := d.one(t, final, "HEALTHCHECK")
	_, hcArgs, ok := strings.Cut(hc, " CMD ")
	if !ok {
		t.Fatalf("HEALTHCHECK %s: want HEALTHCHECK [options] CMD [...]", hc)
	}
	health := execForm(t, "HEALTHCHECK", hcArgs)

	t.Run("binary", func(t *testing.T) {
		if bin == "" {
			t.Fatalf("no COPY in the final stage takes the binary built at %s", dockerBuild.out)
		}
		if len(entry) != 1 || entry[0] != bin {
			t.Errorf("ENTRYPOINT %v, want [%s]", entry, bin)
		}
		if health[0] != bin {
			t.Errorf("HEALTHCHECK runs %s, want the binary itself, %s", health[0], bin)
		}
	})

	t.Run("commands parse", func(t *testing.T) {
		for _, args := range [][]string{cmd, health[1:]} {
			var out, errs bytes.Buffer
			code := run(context.Background(), append(slices.Clone(args), "--help"), strings.NewReader(""), &out, &errs)
			if code != 0 {
				t.Errorf("faqbot %s: the command or its flags are wrong (exit %d):\n%s", strings.Join(args, " "), code, errs.String())
			}
		}
		if cmd[0] != "run" || health[1] != "healthcheck" {
			t.Errorf("CMD %v and HEALTHCHECK %v, want run and healthcheck", cmd, health)
		}
	})

	configPath := flagValue(cmd, "--config")
	t.Run("config and knowledge paths", func(t *testing.T) {
		if configPath == "" || flagValue(health, "--config") != configPath {
			t.Fatalf("CMD reads --config %q and HEALTHCHECK %q: they must be the same file", configPath, flagValue(health, "--config"))
		}
		if workdir := d.one(t, final, "WORKDIR"); path.Dir(configPath) != workdir || workdir != appDir {
			t.Errorf("config %s, WORKDIR %s and app folder %s must agree", configPath, workdir, appDir)
		}
		files := copiedFiles(t, d.all(0, "RUN"), appSrc, appDir)
		if files[configPath].from != "config.yaml" {
			t.Fatalf("the image has %v, not the shipped config.yaml at %s", files, configPath)
		}
		cfg, err := config.Parse(configPath, files[configPath].content(t))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := files[cfg.Knowledge]; !ok {
			t.Errorf("the image's config reads %s, which the image does not have (it has %v)", cfg.Knowledge, files)
		}
		// HEALTHCHECK runs "faqbot healthcheck" with this config: it must
		// name a listener, on the exposed port, that "faqbot run" opens.
		url, err := readyURL(cfg)
		if want := "http://127.0.0.1:" + d.one(t, final, "EXPOSE") + "/readyz"; err != nil || url != want {
			t.Errorf("with the image's config HEALTHCHECK would ask %q (%v); want %s", url, err, want)
		}
		volumes := execForm(t, "VOLUME", d.one(t, final, "VOLUME"))
		for _, p := range []string{cfg.Knowledge, cfg.Store.Path} {
			if !under(p, volumes) {
				t.Errorf("%s is in none of the volumes %v, so it would not survive the container", p, volumes)
			}
		}
	})

	t.Run("non-root static image", func(t *testing.T) {
		from := d.one(t, final, "FROM")
		if !strings.Contains(from, "distroless/static") || !strings.HasSuffix(from, ":nonroot") {
			t.Errorf("final image FROM %s, want distroless static :nonroot", from)
		}
		user := d.one(t, final, "USER")
		if u, _, _ := strings.Cut(user, ":"); u == "0" || u == "root" || u == "" {
			t.Errorf("USER %s runs as root", user)
		}
		if owner != user {
			t.Errorf("the app folder belongs to %s but the image runs as %s: the data folder would not be writable", owner, user)
		}
	})

	expose := d.one(t, final, "EXPOSE")
	t.Run("port", func(t *testing.T) {
		if expose != strconv.Itoa(config.DefaultHTTPPort) && expose != strconv.Itoa(config.DefaultHTTPPort)+"/tcp" {
			t.Errorf("EXPOSE %s, want config.DefaultHTTPPort %d", expose, config.DefaultHTTPPort)
		}
	})

	t.Run("compose", func(t *testing.T) {
		checkCompose(t, configPath, d, final)
	})

	t.Run("dockerignore keeps what the build needs", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(repo, ".dockerignore"))
		if err != nil {
			t.Fatal(err)
		}
		needed := []string{"go.mod", "go.sum", "config.yaml", "knowledge/faq.yaml", "cmd/faqbot/main.go", "bot/bot.go", "metrics/metrics.go"}
		for _, line := range strings.Split(string(data), "\n") {
			pattern := strings.TrimSpace(line)
			if pattern == "" || strings.HasPrefix(pattern, "#") {
				continue
			}
			for _, n := range needed {
				if ignored(pattern, n) {
					t.Errorf(".dockerignore %q leaves %s out of the build", pattern, n)
				}
			}
		}
	})
}

// checkCompose checks compose.yaml against the Dockerfile and the config
// loader.
func checkCompose(t *testing.T, configPath string, d dockerfile, final int) {
	data, err := os.ReadFile(filepath.Join(repo, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Build       string            `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
			Configs     []struct {
				Source string `yaml:"source"`
				Target string `yaml:"target"`
			} `yaml:"configs"`
			Volumes         []string `yaml:"volumes"`
			Ports           []string `yaml:"ports"`
			StopGracePeriod string   `yaml:"stop_grace_period"`
		} `yaml:"services"`
		Configs map[string]struct {
			Content string `yaml:"content"`
		} `yaml:"configs"`
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	svc, ok := compose.Services["faqbot"]
	if !ok || svc.Build != "." {
		t.Fatalf("compose.yaml: want a faqbot service built from this folder")
	}
	if len(svc.Configs) != 1 || svc.Configs[0].Target != configPath {
		t.Fatalf("compose.yaml mounts its config at %+v, want %s", svc.Configs, configPath)
	}
	content := compose.Configs[svc.Configs[0].Source].Content
	// Compose turns "$$" into "$"; faqbot then reads ${NAME} itself.
	content = strings.ReplaceAll(content, "$$", "$")
	for _, m := range regexp.MustCompile(`\$\{(\w+)\}`).FindAllStringSubmatch(content, -1) {
		if _, ok := svc.Environment[m[1]]; !ok {
			t.Errorf("the config reads ${%s} but the service's environment does not pass it", m[1])
		}
		t.Setenv(m[1], map[string]string{"SLACK_BOT_TOKEN": "xoxb-1-test", "SLACK_APP_TOKEN": "xapp-1-test"}[m[1]])
	}
	cfg, err := config.Parse(configPath, []byte(content))
	if err != nil {
		t.Fatalf("compose.yaml's config does not load:\n%v", err)
	}
	if !cfg.Slack.Enabled || cfg.Slack.Mode != config.SlackSocket {
		t.Errorf("compose.yaml's config: slack enabled %v, mode %q; want Socket Mode", cfg.Slack.Enabled, cfg.Slack.Mode)
	}
	host, port, _ := strings.Cut(cfg.HTTP.Addr(), ":")
	if host != "0.0.0.0" || port != d.one(t, final, "EXPOSE") {
		t.Errorf("compose.yaml's config listens on %s, want 0.0.0.0 and the exposed port", cfg.HTTP.Addr())
	}
	if len(svc.Ports) != 1 || !strings.HasSuffix(svc.Ports[0], ":"+port) {
		t.Errorf("compose.yaml publishes %v, want the container port %s", svc.Ports, port)
	}
	volumes := execForm(t, "VOLUME", d.one(t, final, "VOLUME"))
	var mounted []string
	for _, v := range svc.Volumes {
		parts := strings.Split(v, ":")
		mounted = append(mounted, parts[1])
		if !slices.Contains(volumes, parts[1]) {
			t.Errorf("compose.yaml mounts %s, which is not a VOLUME of the image %v", parts[1], volumes)
		}
	}
	for _, p := range []string{cfg.Knowledge, cfg.Store.Path} {
		if !under(p, mounted) {
			t.Errorf("compose.yaml's config uses %s, which is in none of its mounts %v", p, mounted)
		}
	}
	stop, err := time.ParseDuration(svc.StopGracePeriod)
	if err != nil || stop <= cfg.Limits.ShutdownGrace {
		t.Errorf("stop_grace_period %q must be longer than limits.shutdown_grace %s, or replies in flight are killed", svc.StopGracePeriod, cfg.Limits.ShutdownGrace)
	}
}

// appFile is a file the build stage puts in the app folder: the
// repository file it is made from and, when the Dockerfile writes it
// through sed, the one substitution made.
type appFile struct {
	from      string
	sub       *regexp.Regexp
	with      string
	dockerRun string
}

// content returns the file as the image has it. A substitution must
// change exactly one line, so that a change of the shipped file that the
// Dockerfile's sed no longer fits turns this test red.
func (f appFile) content(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, f.from))
	if err != nil {
		t.Fatal(err)
	}
	if f.sub == nil {
		return data
	}
	if n := len(f.sub.FindAllIndex(data, -1)); n != 1 {
		t.Fatalf("%s: the Dockerfile's %q matches %d lines of %s, want 1", f.dockerRun, f.sub, n, f.from)
	}
	return f.sub.ReplaceAll(data, []byte(f.with))
}

// sedWrite is the one form of sed the Dockerfile may use: one
// substitution of a whole line, written to a file.
var sedWrite = regexp.MustCompile(`^sed 's/(\^[^/]*\$)/([^/]*)/' (\S+) > (\S+)$`)

// fromBRE turns the parts of a sed basic regular expression and its
// replacement that the Dockerfile uses (\( \) groups, \1 references)
// into Go's syntax.
var fromBRE = strings.NewReplacer(`\(`, "(", `\)`, ")", `\1`, "${1}")

// copiedFiles returns the files the build stage puts in the app folder
// (cp REPO_FILE SRC/..., or sed 's/^LINE$/NEW/' REPO_FILE > SRC/...), by
// their path in the final image, each with the repository file it comes
// from, which must exist.
func copiedFiles(t *testing.T, runs []string, src, dst string) map[string]appFile {
	t.Helper()
	files := map[string]appFile{}
	for _, run := range runs {
		for _, part := range strings.Split(run, "&&") {
			part = strings.TrimSpace(part)
			var f appFile
			var to string
			if w := strings.Fields(part); len(w) == 3 && w[0] == "cp" {
				f.from, to = w[1], w[2]
			} else if m := sedWrite.FindStringSubmatch(part); m != nil {
				f = appFile{from: m[3], sub: regexp.MustCompile("(?m)" + fromBRE.Replace(m[1])), with: fromBRE.Replace(m[2]), dockerRun: part}
				to = m[4]
			}
			if !strings.HasPrefix(to, src+"/") {
				continue
			}
			if _, err := os.Stat(filepath.Join(repo, f.from)); err != nil {
				t.Errorf("the Dockerfile copies %s, which the repository lacks: %v", f.from, err)
			}
			files[path.Join(dst, strings.TrimPrefix(to, src+"/"))] = f
		}
	}
	return files
}

// flagValue returns the value after flag in args.
func flagValue(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}

// under reports whether p is inside one of dirs.
func under(p string, dirs []string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(p, strings.TrimSuffix(d, "/")+"/") {
			return true
		}
	}
	return false
}

// ignored reports whether a .dockerignore pattern leaves file out, itself
// or through one of its folders. As in Docker, a pattern matches paths from
// the root of the build context, and a leading "**/" matches any folders.
func ignored(pattern, file string) bool {
	rest, anywhere := strings.CutPrefix(pattern, "**/")
	for p := file; p != "."; p = path.Dir(p) {
		candidates := []string{p}
		if anywhere {
			parts := strings.Split(p, "/")
			candidates = nil
			for i := range parts {
				candidates = append(candidates, strings.Join(parts[i:], "/"))
			}
		}
		for _, c := range candidates {
			if ok, _ := path.Match(rest, c); ok {
				return true
			}
		}
	}
	return false
}

// hasStringVar reports whether the package in dir declares a package-level
// string variable called name.
func hasStringVar(t *testing.T, dir, name string) bool {
	t.Helper()
	fset := token.NewFileSet()
	matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range matches {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if n.Name != name {
						continue
					}
					if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "string" {
						return true
					}
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							return true
						}
					}
				}
			}
		}
	}
	return false
}
