package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/config"
)

func TestHealthcheck(t *testing.T) {
	ready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, "ok knowledge: 4 entries")
	}))
	defer ready.Close()
	notReady := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "fail slack: not connected")
	}))
	defer notReady.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	dir := t.TempDir()
	writeConfig := func(name, listen string) string {
		path := filepath.Join(dir, name)
		data := fmt.Sprintf("knowledge: kb.yaml\nhttp:\n  listen: %q\n", listen)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	readyAddr := strings.TrimPrefix(ready.URL, "http://")
	_, port, _ := strings.Cut(readyAddr, ":")

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"ready", []string{"--url", ready.URL + "/readyz"}, 0, "ok knowledge", ""},
		{"not ready", []string{"--url", notReady.URL + "/readyz"}, 1, "", "503 Service Unavailable\nfail slack: not connected"},
		{"nothing listening", []string{"--url", closedURL + "/readyz"}, 1, "", "is faqbot running with http.listen set?"},
		{"address from the config", []string{"--config", writeConfig("ready.yaml", readyAddr)}, 0, "ok knowledge", ""},
		{"every interface is reached over loopback", []string{"--config", writeConfig("any.yaml", "0.0.0.0:"+port)}, 0, "ok knowledge", ""},
		{"listener off in the config", []string{"--config", writeConfig("off.yaml", "")}, 1, "", "the HTTP listener is off in"},
		{"config missing", []string{"--config", filepath.Join(dir, "nope.yaml")}, 1, "", "read config"},
		{"bad flag still exits 1", []string{"--bogus"}, 1, "", "flag provided but not defined"},
		{"an argument still exits 1", []string{"extra"}, 1, "", "takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := faqbot(t, "", append([]string{"healthcheck"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, out)
			}
			if !strings.Contains(errs, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, errs)
			}
		})
	}
}

func TestReadyURL(t *testing.T) {
	tests := []struct {
		listen, want string
	}{
		{"127.0.0.1:8080", "http://127.0.0.1:8080/readyz"},
		{":8080", "http://127.0.0.1:8080/readyz"},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/readyz"},
		{"[::]:8080", "http://[::1]:8080/readyz"},
		{"faqbot.internal:8080", "http://faqbot.internal:8080/readyz"},
	}
	for _, tt := range tests {
		t.Run(tt.listen, func(t *testing.T) {
			got, err := readyURL(&config.Config{HTTP: config.HTTP{Listen: tt.listen}})
			if err != nil || got != tt.want {
				t.Errorf("readyURL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
