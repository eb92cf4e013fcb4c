package selfcheck

import "testing"

func TestMinifyJS(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"spaces between words only", "const a = b + c;\nlet  x = a / 2;", "const a=b+c;let x=a/2;"},
		{"comments", "a(); // note: 'x'\n/* block */ b();", "a();b();"},
		{"strings keep their insides", "f('a // b', \"c /* d */\", 'it\\'s');", "f('a // b',\"c /* d */\",'it\\'s');"},
		{"template with expressions", "x = `a ${b ? '}' : `n ${c}`} z`;", "x=`a ${b?'}':`n ${c}`} z`;"},
		{"regular expressions", "s.replace(/\\{(\\w+)\\} [/]/g, f); if (/^a$/.test(x)) y = p / q / r;", "s.replace(/\\{(\\w+)\\} [/]/g,f);if(/^a$/.test(x))y=p/q/r;"},
		{"regex after return and =>", "return /x y/.test(a);\nconst f = () => /b c/;", "return/x y/.test(a);const f=()=>/b c/;"},
		{"a + +b and a - -b", "a = b + +c - -d;", "a=b+ +c- -d;"},
		{"a line break that may end a statement stays", "function f() {}\n(g)();\nx = a\n[0];", "function f(){}\n(g)();x=a\n[0];"},
	} {
		if got := string(minifyJS([]byte(c.in))); got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.name, got, c.want)
		}
	}
}
