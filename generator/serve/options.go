package serve

import (
	"fmt"
	"io"
	"time"
)

// Options are `steward serve`'s settings.
type Options struct {
	// Source is the site's folder; "" means ".".
	Source string
	// Bind is the address to listen on; "" means 127.0.0.1. The server
	// answers only requests for its own names: localhost, 127.0.0.1,
	// [::1], Bind, and AllowHosts; when Bind is an all-interfaces address
	// (0.0.0.0, ::), the addresses of the machine's interfaces as well.
	Bind string
	// AllowHosts are more host names (or IP addresses) the server answers,
	// such as the machine's name on the local network.
	AllowHosts []string
	// Port is the TCP port, used as given: `steward serve` passes 1313 by
	// default; 0 picks a free port (its address goes to Out and Ready).
	Port int
	// Drafts and Future include drafts and essays dated in the future.
	Drafts, Future bool
	// BaseURL, when set, overrides site.yaml's baseURL in the served build.
	BaseURL string
	// Poll, when positive, polls the sources this often instead of using
	// fsnotify.
	Poll time.Duration
	// Open opens the site in the default browser once it is served.
	Open bool
	// Navigate sends open tabs to the essay just saved.
	Navigate bool
	// Out receives the terminal messages; nil discards them.
	Out io.Writer
	// Ready, when set, is called with the site's address
	// ("http://127.0.0.1:1313/") once the server accepts connections,
	// after the first build.
	Ready func(url string)
	// Now is the build's clock; nil means time.Now.
	Now func() time.Time
	// Setting says how the person running the server sets an option, for
	// messages that tell them what to change (`steward serve` maps "Poll"
	// to "--poll"); nil names the option itself.
	Setting func(option string) string
}

// OptionError is a value in Options that the server cannot use.
type OptionError struct {
	Option string // the field of Options, such as "AllowHosts"
	Value  string // the value at fault
	Reason string // what is wrong with it and how to fix it
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("serve: %s %q: %s", e.Option, e.Value, e.Reason)
}
