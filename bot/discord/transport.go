package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// discordHost is the host discordgo sends every REST request to.
const discordHost = "discord.com"

// redirect is an http.RoundTripper that sends discordgo's requests for
// discord.com to another base URL (a fake Discord, or a proxy) and, when a
// gateway URL is configured, answers gateway discovery with it. It never
// changes discordgo's package-level endpoints, so several sessions in one
// process can point at different servers.
type redirect struct {
	base    *url.URL
	gateway string
	next    http.RoundTripper
}

// newRedirect returns a transport for apiURL (replacing https://discord.com)
// and gatewayURL (replacing the gateway Discord names; may be empty).
func newRedirect(apiURL, gatewayURL string) (*redirect, error) {
	base, err := url.Parse(apiURL)
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("discord.api_url %q is not an http(s) URL", apiURL)
	}
	base.Path = strings.TrimSuffix(base.Path, "/")
	return &redirect{base: base, gateway: gatewayURL, next: http.DefaultTransport}, nil
}

// RoundTrip implements http.RoundTripper.
func (t *redirect) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != discordHost {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, fmt.Errorf("refusing a request to %s: with discord.api_url set, faqbot only talks to %s", r.URL.Host, t.base.Host)
	}
	if t.gateway != "" && r.Method == http.MethodGet && (strings.HasSuffix(r.URL.Path, "/gateway") || strings.HasSuffix(r.URL.Path, "/gateway/bot")) {
		if r.Body != nil {
			r.Body.Close()
		}
		body, _ := json.Marshal(map[string]any{
			"url": t.gateway, "shards": 1,
			"session_start_limit": map[string]int{"total": 1000, "remaining": 1000, "max_concurrency": 1},
		})
		return &http.Response{
			Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)),
			Request:       r,
		}, nil
	}
	out := r.Clone(r.Context())
	out.URL.Scheme = t.base.Scheme
	out.URL.Host = t.base.Host
	out.URL.Path = t.base.Path + r.URL.Path
	out.URL.RawPath = ""
	out.Host = t.base.Host
	return t.next.RoundTrip(out)
}
