package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/faqbot/faqbot/config"
)

// healthcheckExit is the exit code of a failed health check. Docker reads
// any code but 0 and 1 as reserved, so every failure, a bad flag included,
// exits 1.
const healthcheckExit = 1

// cmdHealthcheck asks a running faqbot whether it is ready, for Docker's
// HEALTHCHECK and other probes that can only run a command. It exits 0 when
// the answer is 200 and 1 otherwise.
func cmdHealthcheck(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("healthcheck")
	var sf setupFlags
	sf.register(fs)
	target := fs.String("url", "", "the `URL` to check (default: /readyz on the config's http.listen)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: healthcheckExit}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return &exitError{code: healthcheckExit, err: errors.New("healthcheck takes no arguments; give the address with --url")}
	}
	url := *target
	if url == "" {
		cfg, err := sf.loadConfig()
		if err != nil {
			return &exitError{code: healthcheckExit, err: err}
		}
		if url, err = readyURL(cfg); err != nil {
			return &exitError{code: healthcheckExit, err: err}
		}
	}
	body, err := probe(ctx, url, *timeout)
	if err != nil {
		return &exitError{code: healthcheckExit, err: err}
	}
	fmt.Fprint(c.stdout, body)
	return nil
}

// readyURL returns the /readyz URL of the listener cfg configures, reached
// over loopback when it listens on every interface.
func readyURL(cfg *config.Config) (string, error) {
	addr := cfg.HTTP.Addr()
	if addr == "" {
		return "", fmt.Errorf("the HTTP listener is off in %s: set http.listen (for example 0.0.0.0:%d in a container), or give --url", cfg.Path, config.DefaultHTTPPort)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("http.listen %q in %s: %w", cfg.HTTP.Listen, cfg.Path, err)
	}
	switch host {
	case "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}

// maxProbeBody is as much of an answer as a health check reads.
const maxProbeBody = 4096

// probe GETs url and returns the body when the status is 200.
func probe(ctx context.Context, url string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("--url %q: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("%s: %w (is faqbot running with http.listen set?)", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxProbeBody))
	if err != nil {
		return "", fmt.Errorf("%s: reading the answer: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s\n%s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return string(body), nil
}
