package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/steward-ssg/steward/generator/content"
)

// fetcher downloads remote images, each once, within a time and a size.
type fetcher struct {
	client  *http.Client
	timeout time.Duration
	max     int64
	got     map[string]fetched
}

type fetched struct {
	data []byte
	err  error
}

func newFetcher(opts Options) *fetcher {
	f := &fetcher{client: opts.Client, timeout: opts.ImageTimeout, max: opts.MaxImageBytes, got: map[string]fetched{}}
	if f.timeout <= 0 {
		f.timeout = DefaultImageTimeout
	}
	if f.max <= 0 {
		f.max = DefaultMaxImageBytes
	}
	if f.client == nil {
		f.client = &http.Client{}
	}
	return f
}

// get downloads the image at u: an error says why it could not, in
// words for the summary.
func (f *fetcher) get(ctx context.Context, u string) ([]byte, error) {
	if r, ok := f.got[u]; ok {
		return r.data, r.err
	}
	data, err := f.fetch(ctx, u)
	f.got[u] = fetched{data, err}
	return data, err
}

func (f *fetcher) fetch(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "steward-import")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.explain(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the server answered %s", resp.Status)
	}
	if resp.ContentLength > f.max {
		return nil, fmt.Errorf("larger than the limit of %s (%s)", size(f.max), size(resp.ContentLength))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, f.max+1))
	if err != nil {
		return nil, f.explain(ctx, err)
	}
	if int64(len(data)) > f.max {
		return nil, fmt.Errorf("larger than the limit of %s", size(f.max))
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "image/") && !strings.HasPrefix(http.DetectContentType(data), "image/") {
		return nil, fmt.Errorf("not an image (the server sent %s)", resp.Header.Get("Content-Type"))
	}
	return data, nil
}

// explain says a failed request's cause plainly.
func (f *fetcher) explain(ctx context.Context, err error) error {
	var ne net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("no answer within %s", f.timeout)
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return fmt.Errorf("no such host %s", dns.Name)
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return fmt.Errorf("cannot connect: %v", op.Err)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// imageName is the file name an image gets beside its essay: its own
// name, made a slug as tags are, with its extension. Substack's image
// service names the original in its last path segment, escaped.
func imageName(u *url.URL, data []byte) string {
	seg := path.Base(u.Path)
	if un, err := url.PathUnescape(seg); err == nil {
		seg = path.Base(un)
	}
	ext := strings.ToLower(path.Ext(seg))
	stem := content.Slugify(strings.TrimSuffix(seg, path.Ext(seg)))
	if !imageExt.MatchString(ext) {
		ext = ""
		if data != nil {
			ext = sniffedExt[http.DetectContentType(data)]
		}
		if ext == "" {
			ext = ".jpg"
		}
	}
	if ext == ".jpeg" {
		ext = ".jpg"
	}
	if stem == "" || stem == "index" {
		stem = "image"
	}
	return stem + ext
}

// sniffedExt is the extension of each image type http.DetectContentType
// knows (a fixed table: the system's MIME tables differ).
var sniffedExt = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
	"image/bmp": ".bmp", "image/x-icon": ".ico", "image/avif": ".avif",
}

// uniqueName returns name, or name-2, name-3... when it is taken.
func uniqueName(name string, taken map[string]bool) string {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	out := name
	for i := 2; taken[out]; i++ {
		out = fmt.Sprintf("%s-%d%s", stem, i, ext)
	}
	taken[out] = true
	return out
}
