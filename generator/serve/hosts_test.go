package serve

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

func TestHostsAllows(t *testing.T) {
	lan := netip.MustParseAddr("192.168.1.20")
	v6 := netip.MustParseAddr("fe80::1234")
	tests := []struct {
		bind  string
		allow []string
		host  string
		want  bool
	}{
		{"", nil, "127.0.0.1:1313", true},
		{"", nil, "127.0.0.1", true},
		{"", nil, "localhost:1313", true},
		{"", nil, "LocalHost", true},
		{"", nil, "[::1]:1313", true},
		{"", nil, "[::1]", true},
		{"", nil, "[0:0::1]:80", true},
		{"", nil, "localhost:9999", true}, // a forwarded port
		{"", nil, "evil.example", false},
		{"", nil, "evil.example:1313", false},
		{"", nil, "localhost.evil.example:1313", false},
		{"", nil, "127.0.0.1.nip.io:1313", false},
		{"", nil, "", false},
		{"", nil, "::1", false}, // IPv6 needs brackets in Host
		{"", nil, "[::1", false},
		{"", nil, "[evil.example]:1313", false},
		{"", nil, "localhost:x", false},
		{"", nil, "192.168.1.20:1313", false}, // not bound there
		{"", nil, "0.0.0.0:1313", false},
		{"", []string{"mybox.local"}, "mybox.local:1313", true},
		{"", []string{"MyBox.Local"}, "mybox.local", true},
		{"", []string{"mybox.local"}, "other.local", false},
		{"", []string{"[fe80::1234]"}, "[fe80::1234]:1313", true},
		{"192.168.1.20", nil, "192.168.1.20:1313", true},
		{"192.168.1.20", nil, "localhost:1313", true},
		{"192.168.1.20", nil, "192.168.1.21:1313", false},
		{"mybox.local", nil, "mybox.local:1313", true},
		{"0.0.0.0", nil, "192.168.1.20:1313", true},
		{"0.0.0.0", nil, "[fe80::1234]:1313", true},
		{"0.0.0.0", nil, "0.0.0.0:1313", true},
		{"0.0.0.0", nil, "10.0.0.1:1313", false}, // not this machine's
		{"0.0.0.0", nil, "evil.example:1313", false},
		{"::", nil, "[::]:1313", true},
		{"0.0.0.0", nil, "[::]:1313", true}, // what the terminal shows for 0.0.0.0
		{"::", nil, "0.0.0.0:1313", true},
		{"::", nil, "192.168.1.20", true},
	}
	for _, tt := range tests {
		h, err := newHosts(tt.bind, tt.allow)
		if err != nil {
			t.Fatalf("newHosts(%q, %q): %v", tt.bind, tt.allow, err)
		}
		h.iface = func() []netip.Addr { return []netip.Addr{lan, v6} }
		if got := h.allows(tt.host); got != tt.want {
			t.Errorf("bind %q, allow %q: allows(%q) = %v, want %v", tt.bind, tt.allow, tt.host, got, tt.want)
		}
	}
}

func TestAllowHostsRefusesMalformed(t *testing.T) {
	for _, tt := range []struct{ name, why string }{
		{"", "empty"},
		{"http://mybox.local/", "without scheme or path"},
		{"mybox.local:1313", "without a port"},
		{"my box", `' ' cannot be in a host name`},
	} {
		_, err := newHosts("", []string{tt.name})
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != "AllowHosts" || oe.Value != tt.name || !strings.Contains(oe.Reason, tt.why) {
			t.Errorf("AllowHosts %q: %v; want an OptionError saying %q", tt.name, err, tt.why)
		}
	}
	src := testsite.New(t, map[string]string{"content/a.md": essay("A", "a")})
	err := Run(context.Background(), Options{Source: src, Port: 0, AllowHosts: []string{"http://x/"}})
	var oe *OptionError
	if !errors.As(err, &oe) {
		t.Errorf("Run with a malformed allowed host: %v; want an OptionError", err)
	}
}

// request sends GET target to the server at addr with the given Host
// header and returns the status, Content-Type and up to 4 KB of the body
// (an event stream is not read to its end).
func request(t *testing.T, addr, host, target string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s (Host %s): %v", target, host, err)
	}
	defer resp.Body.Close()
	var b []byte
	if resp.Header.Get("Content-Type") == "text/event-stream" {
		buf := make([]byte, 64)
		n, _ := resp.Body.Read(buf) // the stream's greeting, then it stays open
		b = buf[:n]
	} else {
		b, _ = io.ReadAll(io.LimitReader(resp.Body, 4096))
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// TestForeignHostRefused: a request whose Host is not one of the server's
// names (a DNS-rebinding page) gets 403 and one line at every endpoint,
// the event stream included; the server's own names still work.
func TestForeignHostRefused(t *testing.T) {
	src := testsite.New(t, map[string]string{
		"site.yaml":              "title: T\n",
		"content/essay.md":       essay("First essay", "Draft text."),
		"static/css/steward.css": "h1 { color: blue; }\n",
	})
	r := startRun(t, Options{Source: src, AllowHosts: []string{"mybox.local"}})
	addr := strings.TrimSuffix(strings.TrimPrefix(r.url, "http://"), "/")
	_, port, _ := net.SplitHostPort(addr)

	endpoints := []struct {
		target string
		status int    // for an allowed Host
		body   string // in an allowed response
	}{
		{"/", 200, "First essay"},
		{"/essay/", 200, "Draft text."},
		{"/essay", 302, ""},
		{"/css/steward.css", 200, "color: blue"},
		{"/nowhere/", 404, ""},
		{"/../etc/passwd", 404, ""},
		{scriptPath, 200, "EventSource"},
		{eventsPath + "?u=/essay/&v=x", 200, "retry:"},
		{pathsPath, 200, "essay/index.html"},
	}
	for _, host := range []string{"evil.example", "evil.example:" + port, "localhost.evil.example:" + port, "127.0.0.1.nip.io:" + port, "mybox.local.evil.example"} {
		for _, e := range endpoints {
			code, ctype, body := request(t, addr, host, e.target)
			if code != http.StatusForbidden || ctype != "text/plain; charset=utf-8" ||
				strings.Count(body, "\n") != 1 || !strings.HasPrefix(body, "refused a request for "+`"`+host+`"`) ||
				strings.Contains(body, "Draft") {
				t.Errorf("Host %s, GET %s: %d %s %q; want 403 and one line of refusal", host, e.target, code, ctype, body)
			}
		}
	}
	for _, host := range []string{addr, "127.0.0.1", "localhost:" + port, "localhost", "LOCALHOST:" + port, "[::1]:" + port, "[::1]", "mybox.local:" + port, "mybox.local"} {
		for _, e := range endpoints {
			code, _, body := request(t, addr, host, e.target)
			if code != e.status || !strings.Contains(body, e.body) {
				t.Errorf("Host %s, GET %s: %d %.80q; want %d with %q", host, e.target, code, body, e.status, e.body)
			}
		}
	}
	if c := strings.Count(r.out.String(), `refused a request for "evil.example"`); c != 1 {
		t.Errorf("the terminal should tell of a refused name once, told %d times:\n%s", c, r.out)
	}
	if !strings.Contains(r.out.String(), `if "evil.example" is yours, allow it with the AllowHosts option`) {
		t.Errorf("the terminal does not say how to allow a name:\n%s", r.out)
	}
}

// TestAllInterfacesAnswersMachineAddresses: bound to 0.0.0.0, the server
// answers the machine's own addresses (a phone on the same network) and
// still refuses foreign names.
func TestAllInterfacesAnswersMachineAddresses(t *testing.T) {
	var lan string
	for _, a := range interfaceAddrs() {
		if a.Is4() && !a.IsLoopback() {
			lan = a.String()
			break
		}
	}
	src := testsite.New(t, map[string]string{"content/essay.md": essay("First essay", "Body.")})
	r := startRun(t, Options{Source: src, Bind: "0.0.0.0"})
	_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(r.url, "http://"), "/"))
	addr := "127.0.0.1:" + port
	if code, _, _ := request(t, addr, "evil.example:"+port, "/essay/"); code != http.StatusForbidden {
		t.Errorf("foreign Host: %d, want 403", code)
	}
	if code, _, _ := request(t, addr, "0.0.0.0:"+port, "/essay/"); code != 200 {
		t.Errorf("Host 0.0.0.0 (the address the terminal shows): %d, want 200", code)
	}
	if lan == "" {
		t.Skip("this machine has no IPv4 address but loopback")
	}
	if code, _, body := request(t, addr, lan+":"+port, "/essay/"); code != 200 || !strings.Contains(body, "Body.") {
		t.Errorf("Host %s (this machine's): %d, want 200", lan, code)
	}
}
