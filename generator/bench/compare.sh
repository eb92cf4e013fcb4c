#!/usr/bin/env bash
# The full performance comparison of issue 5, run by hand (CI runs only the
# small go test benchmarks). It builds generated corpora of 1,000, 5,000 and
# 10,000 essays on tmpfs and measures, as whole processes:
#   floor   what the libraries alone give (generator/bench/floor): plain
#           goldmark and chroma through goldmark-highlighting on all cores,
#           one HTML file written per essay, nothing of Steward's
#   cold    steward build with an empty cache into an empty folder, search
#           off (the corpus turns it off: the floor has none)
#   search  the same cold build with search on, as it is by default
#   warm    a second steward build, nothing changed
#   edit    a build after one essay's body changed
#   hugo    where hugo is installed, Hugo building the same essays into an
#           empty folder with a minimal config and layouts (an essay page,
#           paginated home and tag lists, its own feeds and sitemap);
#           "-" where it is not (or with HUGO= in the environment)
#   serve   the dev server from saving an essay to serving it (SAVES saves)
# Each is run RUNS times (default 3), interleaved, and the median is shown,
# with peak RSS, and the ratios to the floor, to the cold build and to Hugo;
# the last columns are ratios in CPU time (user + system): cold to floor,
# cold to Hugo, and the cold build with search on to the one without.
# Usage: generator/bench/compare.sh [sizes...]   e.g. compare.sh 1000 10000
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-1000 5000 10000}")
[ $# -gt 0 ] || sizes=(1000 5000 10000)
runs=${RUNS:-3}
work=${WORK:-/dev/shm/steward-bench}
rm -rf "$work" && mkdir -p "$work/bin"
go build -o "$work/bin/steward" ./generator/cmd/steward
go build -o "$work/bin/floor" ./generator/bench/floor
go build -o "$work/bin/corpus" ./generator/bench/corpus

# measure NAME CMD...: appends "seconds maxrss_kb cpu_seconds" to $work/NAME
# (cpu: user and system time of the process; less moved by other load on a
# shared machine than the elapsed time).
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/.t" "$@" >/dev/null 2>"$work/.err" || { cat "$work/.err"; exit 1; }
  awk '{ print $1, $2, $3 + $4 }' "$work/.t" >> "$work/$name"
}
# A minimal Hugo site around the corpus' content/: its own config and
# layouts, the essays read where the corpus writer put them (YAML front
# matter: title, date, tags). Highlighting with CSS classes, as Steward's.
# HUGO names another hugo binary, or with HUGO= leaves Hugo out.
hugo=${HUGO-$(command -v hugo || true)}
if [ -n "$hugo" ]; then
  h="$work/hugo"
  mkdir -p "$h/layouts/_default"
  cat > "$h/config.toml" <<'EOF'
baseURL = "https://corpus.example.org/"
title = "Corpus"
languageCode = "en"
paginate = 10
[markup.highlight]
noClasses = false
EOF
  cat > "$h/layouts/_default/single.html" <<'EOF'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="/css/site.css"></head>
<body><article><h1>{{ .Title }}</h1><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</body></html>
EOF
  cat > "$h/layouts/_default/list.html" <<'EOF'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="/css/site.css"></head>
<body><h1>{{ .Title }}</h1>
{{ $p := .Paginate .Pages }}
{{ range $p.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}
<nav>{{ with $p.Prev }}<a href="{{ .URL }}">newer</a>{{ end }} {{ with $p.Next }}<a href="{{ .URL }}">older</a>{{ end }}</nav>
</body></html>
EOF
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-7s %9s %9s %9s %9s %9s %11s %11s %11s %11s %10s %10s %10s %10s %10s %10s\n' essays floor_s cold_s warm_s edit_s hugo_s cold/floor warm/cold edit/cold cold/hugo cold_RSS hugo_RSS cpu_c/f cpu_c/h search_s cpu_s/c
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  "$work/bin/corpus" -essays "$n" -out "$site"
  "$work/bin/corpus" -essays "$n" -search -out "$site-search"
  # An author's files are not seconds old: the cache does not trust the
  # stamp of a file changed within a second of a build (see content.Stamp).
  sleep 1
  essay=$(ls "$site/content" | sed -n 8p)
  for r in $(seq "$runs"); do
    rm -rf "$work/floor-out-$n"
    measure "floor-$n" "$work/bin/floor" -source "$site" -out "$work/floor-out-$n"
    if [ -n "$hugo" ]; then
      rm -rf "$work/hugo-out-$n"
      measure "hugo-$n" "$hugo" --quiet --source "$h" --contentDir "$site/content" \
        --destination "$work/hugo-out-$n" --cacheDir "$work/hugo-cache-$n"
    fi
    rm -rf "$site/public" "$work/cache-$n"
    measure "cold-$n" "$work/bin/steward" build --source "$site" --cache-dir "$work/cache-$n"
    rm -rf "$site-search/public" "$work/cache-search-$n"
    measure "search-$n" "$work/bin/steward" build --source "$site-search" --cache-dir "$work/cache-search-$n"
    measure "warm-$n" "$work/bin/steward" build --source "$site" --cache-dir "$work/cache-$n"
    printf '\nAn edit, run %s.\n' "$r" >> "$site/content/$essay"
    measure "edit-$n" "$work/bin/steward" build --source "$site" --cache-dir "$work/cache-$n"
  done
  f=$(cut -d' ' -f1 "$work/floor-$n" | median)
  c=$(cut -d' ' -f1 "$work/cold-$n" | median)
  w=$(cut -d' ' -f1 "$work/warm-$n" | median)
  e=$(cut -d' ' -f1 "$work/edit-$n" | median)
  rss=$(cut -d' ' -f2 "$work/cold-$n" | median)
  fcpu=$(cut -d' ' -f3 "$work/floor-$n" | median)
  ccpu=$(cut -d' ' -f3 "$work/cold-$n" | median)
  s=$(cut -d' ' -f1 "$work/search-$n" | median)
  scpu=$(cut -d' ' -f3 "$work/search-$n" | median)
  hs=-; hrss=-; hcpu=-
  if [ -n "$hugo" ]; then
    hs=$(cut -d' ' -f1 "$work/hugo-$n" | median)
    hrss=$(cut -d' ' -f2 "$work/hugo-$n" | median)
    hcpu=$(cut -d' ' -f3 "$work/hugo-$n" | median)
  fi
  awk -v n="$n" -v f="$f" -v c="$c" -v w="$w" -v e="$e" -v rss="$rss" -v hs="$hs" -v hrss="$hrss" \
    -v fcpu="$fcpu" -v ccpu="$ccpu" -v hcpu="$hcpu" -v s="$s" -v scpu="$scpu" 'BEGIN {
    hcol = hs == "-" ? sprintf("%9s", "-") : sprintf("%9.2f", hs)
    hrat = hs == "-" ? sprintf("%11s", "-") : sprintf("%10.2fx", c/hs)
    hmem = hrss == "-" ? sprintf("%10s", "-") : sprintf("%8.0fMB", hrss/1024)
    hcr = hcpu == "-" ? sprintf("%10s", "-") : sprintf("%9.2fx", ccpu/hcpu)
    printf "%-7d %9.2f %9.2f %9.2f %9.2f %s %10.2fx %10.2fx %10.2fx %s %8.0fMB %s %9.2fx %s %10.2f %9.2fx\n", n, f, c, w, e, hcol, c/f, w/c, e/c, hrat, rss/1024, hmem, ccpu/fcpu, hcr, s, scpu/ccpu }'
done
echo "medians of $runs runs each; machine: $(nproc) cores; corpus on $(df --output=fstype "$work" | tail -1)"
if [ -n "$hugo" ]; then hv=$("$hugo" version | cut -d' ' -f2); else hv="not installed"; fi
echo "hugo: $hv; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# The dev server: from saving one essay's body to the server sending the
# new page, through the real watcher (BenchmarkSaveToServed, in-process).
saves=${SAVES:-15}
echo
echo "steward serve, save to served page, $saves saves each:"
go test ./generator/serve -run '^$' -bench SaveToServed -benchtime "${saves}x" -count 1 |
  awk '/ms\/save-median/ { sub(/^BenchmarkSaveToServed\//, "", $1); sub(/-[0-9]+$/, "", $1);
    for (i = 1; i < NF; i++) { if ($(i+1) == "ms/save-median") m = $i; if ($(i+1) == "ms/save-p90") p = $i }
    printf "  %-14s median %6.1f ms   p90 %6.1f ms\n", $1, m, p }'
