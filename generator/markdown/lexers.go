package markdown

import (
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// matchLimit is how long one regular-expression match of a lexer may run.
//
// chroma gives each match 250 ms of wall-clock time (regexp2's
// MatchTimeout) and takes a match that runs out for no match, so the
// code is split into other tokens. regexp2 reads the time from a clock
// that a goroutine of its own advances; on a loaded machine that
// goroutine is starved and then jumps ahead, and a match that has barely
// begun runs out. Highlighting then depends on the machine's load: a
// 12 KB Python block of karpathy's blog came out differently in 3 of 60
// runs beside other work, and one build in four differed. The code cache
// would keep the wrong one. Ten seconds takes starvation no machine sees
// to end a match early, and still ends one that backtracks without end.
const matchLimit = 10 * time.Second

// lexerGate sets matchLimit on chroma's lexers before Steward uses them.
// chroma compiles a lexer's expressions on its first use and sets the
// limit there; the gate compiles a lexer first and changes its limits
// while no code is highlighted (the write lock), and every highlighting
// holds the read lock, so no match reads a limit as it changes.
//
// A lexer that hands parts of the code to others (HTML its styles to
// CSS, Markdown its fences to any language, Go its raw strings to Go
// templates) makes chroma compile them as it meets them, in a block the
// gate cannot foresee. After each block of such a lexer the gate looks
// for lexers compiled and not yet limited, and limits them; only the
// block that compiled one runs with chroma's limit on that part.
//
// It is one per process because chroma's lexers are: its registry is a
// package variable, shared by every Converter.
type lexerGate struct {
	mu sync.RWMutex
	// ready holds, for each lexer made ready, whether it hands code to
	// other lexers.
	ready sync.Map
	// limited holds the *chroma.RegexLexer whose limits are set.
	limited sync.Map
	// all is every regular-expression lexer of chroma's registry.
	all func() []*chroma.RegexLexer
}

var gate = lexerGate{all: sync.OnceValue(func() []*chroma.RegexLexer {
	var out []*chroma.RegexLexer
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		out = append(out, regexLexers(l)...)
	}
	return out
})}

// highlight runs f, which tokenises and formats code with l, once l's
// limits are set.
func (g *lexerGate) highlight(l chroma.Lexer, f func() error) error {
	v, ok := g.ready.Load(l)
	if !ok {
		v = g.prepare(l)
	}
	var err error
	func() {
		g.mu.RLock()
		defer g.mu.RUnlock() // chroma's emitters panic on some errors
		err = f()
	}()
	if v.(bool) && g.unlimited() {
		g.mu.Lock()
		g.limit(g.all())
		g.mu.Unlock()
	}
	return err
}

// prepare compiles l and sets its limits; it returns whether l hands
// code to other lexers.
func (g *lexerGate) prepare(l chroma.Lexer) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if v, ok := g.ready.Load(l); ok {
		return v
	}
	rls := regexLexers(l)
	hands := len(rls) != 1 // a delegating or remapping lexer
	for _, r := range rls {
		_, _ = r.Rules() // compiles it; an error shows when it tokenises
		for _, rules := range compiledRules(r) {
			for _, rule := range rules {
				hands = hands || handsOn(rule.Type, 0)
			}
		}
	}
	g.limit(rls)
	v, _ := g.ready.LoadOrStore(l, hands)
	return v
}

// unlimited reports whether a lexer of the registry is compiled and not
// yet limited. It takes each lexer's own lock to read whether chroma
// has compiled it.
func (g *lexerGate) unlimited() bool {
	for _, r := range g.all() {
		if _, ok := g.limited.Load(r); !ok && isCompiled(r) {
			return true
		}
	}
	return false
}

// limit sets matchLimit on every compiled expression of the lexers. The
// caller holds the write lock.
func (g *lexerGate) limit(rls []*chroma.RegexLexer) {
	for _, r := range rls {
		if _, ok := g.limited.Load(r); ok || !isCompiled(r) {
			continue
		}
		for _, rules := range compiledRules(r) {
			for _, rule := range rules {
				if rule != nil && rule.Regexp != nil {
					rule.Regexp.MatchTimeout = matchLimit
				}
			}
		}
		g.limited.Store(r, true)
	}
}

// handsOn reports whether an emitter may hand code to another lexer:
// anything but token types, a lexer's own states and groups of those.
func handsOn(e chroma.Emitter, depth int) bool {
	switch e.(type) {
	case nil, chroma.TokenType:
		return false
	}
	v := reflect.ValueOf(e)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct && depth < 4 {
		switch v.Elem().Type().Name() {
		case "usingSelfEmitter":
			return false
		case "byGroupsEmitter":
			f := v.Elem().Field(0)
			inner, _ := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(chroma.Emitters)
			for _, x := range inner {
				if handsOn(x, depth+1) {
					return true
				}
			}
			return false
		}
	}
	return true
}

// regexLexers returns the regular-expression lexers l is or holds:
// itself, or the lexers inside a delegating or type-remapping lexer
// (HTML with a template language, Go's templates).
func regexLexers(l chroma.Lexer) []*chroma.RegexLexer {
	var out []*chroma.RegexLexer
	var walk func(l chroma.Lexer, depth int)
	walk = func(l chroma.Lexer, depth int) {
		if l == nil || depth > 4 {
			return
		}
		if r, ok := l.(*chroma.RegexLexer); ok {
			out = append(out, r)
			return
		}
		v := reflect.ValueOf(l)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return
		}
		s := v.Elem()
		lexerType := reflect.TypeFor[chroma.Lexer]()
		for i := range s.NumField() {
			if f := s.Field(i); f.Type() == lexerType {
				inner, _ := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(chroma.Lexer)
				walk(inner, depth+1)
			}
		}
	}
	walk(l, 0)
	return out
}

// compiledRules returns the lexer's compiled rules, which chroma keeps in
// an unexported field (nil if a version of chroma names it otherwise:
// TestLexerLimits then fails).
func compiledRules(r *chroma.RegexLexer) map[string][]*chroma.CompiledRule {
	f := reflect.ValueOf(r).Elem().FieldByName("rules")
	if !f.IsValid() || f.Type() != reflect.TypeFor[map[string][]*chroma.CompiledRule]() {
		return nil
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(map[string][]*chroma.CompiledRule)
}

// lexerFields are the offsets of RegexLexer's lock and compiled flag, or
// ok false if a version of chroma names them otherwise (every lexer is
// then taken as compiled, and limited on the gate's first look).
var lexerFields = sync.OnceValue(func() (f struct {
	mu, compiled uintptr
	ok           bool
}) {
	t := reflect.TypeFor[chroma.RegexLexer]()
	mu, ok1 := t.FieldByName("mu")
	c, ok2 := t.FieldByName("compiled")
	if ok1 && ok2 && mu.Type == reflect.TypeFor[sync.Mutex]() && c.Type.Kind() == reflect.Bool {
		f.mu, f.compiled, f.ok = mu.Offset, c.Offset, true
	}
	return f
})

// isCompiled reports whether chroma has compiled r, under r's own lock,
// as chroma sets it.
func isCompiled(r *chroma.RegexLexer) bool {
	f := lexerFields()
	if !f.ok {
		return true
	}
	mu := (*sync.Mutex)(unsafe.Add(unsafe.Pointer(r), f.mu))
	mu.Lock()
	defer mu.Unlock()
	return *(*bool)(unsafe.Add(unsafe.Pointer(r), f.compiled))
}
