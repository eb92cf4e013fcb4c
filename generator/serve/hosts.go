package serve

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// hosts decides which Host headers the server answers. A web page the
// author visits can point its own domain at 127.0.0.1 (DNS rebinding) and
// then read the preview, unpublished drafts included, as if it were its
// own origin; such a request still carries the page's name in Host, so the
// server answers only names that are its own: loopback, the address it
// listens on, and names the author allowed. The port is not compared: it
// is not what an attacker controls, and a forwarded port (ssh -L 8080:...)
// arrives with another one.
type hosts struct {
	names map[string]bool     // lower-case host names
	addrs map[netip.Addr]bool // IP addresses
	any   bool                // bound to every interface: the machine's addresses count too
	iface func() []netip.Addr // the machine's current addresses
}

// loopbackNames are always answered.
var loopbackNames = []string{"localhost", "127.0.0.1", "::1"}

// newHosts returns the policy for a server listening on bind ("" is
// 127.0.0.1) that also answers the names in allow. It returns an error
// naming the first entry of allow that is not a host name or IP address.
func newHosts(bind string, allow []string) (*hosts, error) {
	h := &hosts{names: map[string]bool{}, addrs: map[netip.Addr]bool{}, iface: interfaceAddrs}
	for _, n := range loopbackNames {
		h.add(n)
	}
	if bind != "" {
		h.add(bind)
		if a, err := netip.ParseAddr(strings.Trim(bind, "[]")); err == nil && a.IsUnspecified() {
			// An all-interfaces address is answered by name too, in
			// both families: the terminal shows the listener's address,
			// and Go listens on [::] when asked for 0.0.0.0.
			h.any = true
			h.add("0.0.0.0")
			h.add("::")
		}
	}
	for _, n := range allow {
		if why := badHostName(n); why != "" {
			return nil, &OptionError{Option: "AllowHosts", Value: n, Reason: why}
		}
		h.add(n)
	}
	return h, nil
}

func (h *hosts) add(name string) {
	name = strings.ToLower(strings.Trim(name, "[]"))
	if a, err := netip.ParseAddr(name); err == nil {
		h.addrs[a.Unmap()] = true
		return
	}
	h.names[name] = true
}

// badHostName says what is wrong with an allowed name, or "" when it is a
// host name or an IP address (an IPv6 one with or without brackets).
func badHostName(n string) string {
	switch {
	case n == "":
		return "empty; give a host name such as mybox.local or an IP address"
	case strings.Contains(n, "://"), strings.ContainsAny(n, "/?#"):
		return "give the host name alone, without scheme or path (mybox.local, not http://mybox.local/)"
	}
	if _, err := netip.ParseAddr(strings.Trim(n, "[]")); err == nil {
		return ""
	}
	if strings.Contains(n, ":") {
		return "give the host name without a port: every port of an allowed name is answered"
	}
	for _, c := range n {
		if !(c == '-' || c == '.' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return fmt.Sprintf("%q cannot be in a host name", c)
		}
	}
	return ""
}

// allows reports whether a request's Host header (name or address, with
// or without a port) is one of the server's.
func (h *hosts) allows(host string) bool {
	name, ok := hostName(host)
	if !ok {
		return false
	}
	a, err := netip.ParseAddr(name)
	if err != nil {
		return h.names[name]
	}
	a = a.Unmap()
	if h.addrs[a] {
		return true
	}
	if h.any {
		// Looked up on each miss, not once: a laptop's addresses change
		// (another network, a VPN) while the server runs.
		for _, m := range h.iface() {
			if m.Unmap() == a {
				return true
			}
		}
	}
	return false
}

// hostName returns a Host header's name, lower-cased and without port or
// brackets; false when it is malformed.
func hostName(host string) (string, bool) {
	host = strings.ToLower(host)
	if host == "" {
		return "", false
	}
	name, port := host, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "", false
		}
		name, port = host[1:end], host[end+1:]
		if _, err := netip.ParseAddr(name); err != nil {
			return "", false
		}
		if port != "" && port[0] != ':' {
			return "", false
		}
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		name, port = host[:i], host[i+1:]
		if strings.Contains(name, ":") {
			return "", false // an IPv6 address needs brackets
		}
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return name, name != ""
}

// interfaceAddrs returns the addresses of the machine's network
// interfaces; none when they cannot be listed.
func interfaceAddrs() []netip.Addr {
	as, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, a := range as {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out
}

// refuse answers a request for a name that is not the server's: 403 with
// one line saying why and how to allow the name. The terminal is told
// once per name, so that an author trying the preview from another
// device learns why, and so does one whose browser was attacked.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request) {
	name, ok := hostName(r.Host)
	var msg string
	if ok {
		msg = fmt.Sprintf("refused a request for %q: not a name of this preview server, which answers only its own so that other web sites cannot read your drafts; if %q is yours, allow it with %s", r.Host, name, s.cfg.setting("AllowHosts"))
	} else {
		msg = fmt.Sprintf("refused a request for %q: not a host name this preview server answers", r.Host)
	}
	s.mu.Lock()
	tell := !s.refused[r.Host] && len(s.refused) < 100 // a flood of names is not worth a flood of lines
	if tell {
		s.refused[r.Host] = true
	}
	s.mu.Unlock()
	if tell {
		fmt.Fprintln(s.cfg.Out, msg)
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	if r.Method != http.MethodHead {
		fmt.Fprintln(w, msg)
	}
}
