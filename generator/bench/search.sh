#!/usr/bin/env bash
# Steward's search against Pagefind's, run by hand (never by go test). For
# each size it writes the generated corpus (generator/bench/corpus), builds
# it with steward with search on, runs Pagefind over the built site (its
# essays only, their <article>, as Steward indexes them) and adds a search
# page for Pagefind's script (testdata/pagefind-search.html, the same ids as
# Steward's). Then BenchmarkSearchCompare (generator/search) serves the site
# on 127.0.0.1 and types the same three queries into both search pages in
# Chromium, RUNS times each (default 5), the two taking turns, and this
# prints the medians side by side:
#   index        the index's files and size on disk, and gzipped (Pagefind
#                writes its files gzipped; their size is taken as it is)
#   script       the scripts a search runs, gzipped (Pagefind's WebAssembly
#                included)
#   query        gzipped bytes fetched from focusing the field on a fresh
#                page to the query's first results shown
#   first result from typing to the first result in the list: on a fresh
#                page, and again once the index files are loaded
# Pagefind comes from npm, pinned in testdata/package-lock.json; nothing is
# fetched beyond the npm registry and 127.0.0.1.
# Usage: generator/bench/search.sh [sizes...]   e.g. search.sh 1000 10000
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@")
[ $# -gt 0 ] || sizes=(1000)
runs=${RUNS:-5}
work=${WORK:-/dev/shm/steward-search-bench}
rm -rf "$work" && mkdir -p "$work/bin"
(cd generator/bench/testdata && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
pagefind=generator/bench/testdata/node_modules/.bin/pagefind
go build -o "$work/bin/steward" ./generator/cmd/steward
go build -o "$work/bin/corpus" ./generator/bench/corpus
go test -c -o "$work/bin/search.test" ./generator/search

for n in "${sizes[@]}"; do
  site="$work/site-$n"
  "$work/bin/corpus" -essays "$n" -search -out "$site"
  "$work/bin/steward" build --source "$site" --cache-dir "$work/cache-$n" >/dev/null
  "$pagefind" --site "$site/public" --glob 'essay-*/index.html' --root-selector 'article.essay' --silent
  mkdir -p "$site/public/pagefind-search"
  cp generator/bench/testdata/pagefind-search.html "$site/public/pagefind-search/index.html"
  STEWARD_SEARCH_SITE="$site/public" "$work/bin/search.test" -test.run '^$' \
    -test.bench '^BenchmarkSearchCompare$' -test.benchtime "${runs}x" > "$work/out-$n"
  grep -q '^BenchmarkSearchCompare' "$work/out-$n" || { cat "$work/out-$n"; exit 1; }
  echo
  echo "$n essays, medians of $runs runs of each query:"
  awk '/^BenchmarkSearchCompare/ {
      for (i = 3; i < NF; i++) if ($(i+1) ~ /:/) { split($(i+1), u, ":"); v[u[1], u[2]] = $i }
    }
    END {
      row = "%-34s %12s %12s\n"
      printf row, "", "Steward", "Pagefind"
      printf row, "index files", v["steward", "index-files"], v["pagefind", "index-files"]
      printf row, "index on disk, KB", sprintf("%.0f", v["steward", "index-KB"]), sprintf("%.0f", v["pagefind", "index-KB"])
      printf row, "index gzipped, KB", sprintf("%.0f", v["steward", "index-KB-gzip"]), sprintf("%.0f", v["pagefind", "index-KB-gzip"])
      printf row, "scripts gzipped, KB", sprintf("%.1f", v["steward", "script-KB-gzip"]), sprintf("%.1f", v["pagefind", "script-KB-gzip"])
      split("delegation|servant lead|coaches", q, "|")
      for (k = 1; k <= 3; k++)
        printf row, "query \"" q[k] "\", KB gzipped", sprintf("%.1f", v["steward", "KB-gzip-q" k]), sprintf("%.1f", v["pagefind", "KB-gzip-q" k])
      printf row, "first result, fresh page, ms", sprintf("%.1f", v["steward", "ms-first-results-fresh"]), sprintf("%.1f", v["pagefind", "ms-first-results-fresh"])
      printf row, "first result, index loaded, ms", sprintf("%.1f", v["steward", "ms-first-results-loaded"]), sprintf("%.1f", v["pagefind", "ms-first-results-loaded"])
    }' "$work/out-$n"
done
echo
echo "machine: $(nproc) cores; $(chromium --version 2>/dev/null || echo chromium); pagefind $("$pagefind" --version | cut -d' ' -f2); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
