#!/usr/bin/env bash
# The full performance comparison of issue 5, run by hand (CI runs only the
# small go test benchmarks). It builds generated corpora of 1,000, 5,000 and
# 10,000 essays on tmpfs and measures, as whole processes:
#   floor   converting every essay's Markdown with Steward's goldmark and
#           chroma configuration on all cores, and nothing else
#   cold    steward build with an empty cache into an empty folder
#   warm    a second steward build, nothing changed
#   edit    a build after one essay's body changed
#   serve   the dev server from saving an essay to serving it (SAVES saves)
# Each is run RUNS times (default 3), interleaved, and the median is shown,
# with peak RSS, and the ratios to the floor and to the cold build.
# Usage: generator/bench/compare.sh [sizes...]   e.g. compare.sh 1000 10000
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-1000 5000 10000}")
[ $# -gt 0 ] || sizes=(1000 5000 10000)
runs=${RUNS:-3}
work=${WORK:-/dev/shm/steward-bench}
rm -rf "$work" && mkdir -p "$work/bin"
go build -o "$work/bin/steward" ./generator/cmd/steward
go build -o "$work/bin/floor" ./generator/cmd/floor
go build -o "$work/bin/corpus" ./generator/cmd/corpus

# measure NAME CMD...: appends "seconds maxrss_kb" to $work/NAME.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/.t" "$@" >/dev/null 2>"$work/.err" || { cat "$work/.err"; exit 1; }
  cat "$work/.t" >> "$work/$name"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-7s %9s %9s %9s %9s %11s %11s %11s %10s\n' essays floor_s cold_s warm_s edit_s cold/floor warm/cold edit/cold cold_RSS
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  "$work/bin/corpus" -essays "$n" -out "$site"
  # An author's files are not seconds old: the cache does not trust the
  # stamp of a file changed within a second of a build (see content.Stamp).
  sleep 1
  essay=$(ls "$site/content" | sed -n 8p)
  for r in $(seq "$runs"); do
    measure "floor-$n" "$work/bin/floor" -source "$site"
    rm -rf "$site/public" "$work/cache-$n"
    measure "cold-$n" "$work/bin/steward" build --source "$site" --cache-dir "$work/cache-$n"
    measure "warm-$n" "$work/bin/steward" build --source "$site" --cache-dir "$work/cache-$n"
    printf '\nAn edit, run %s.\n' "$r" >> "$site/content/$essay"
    measure "edit-$n" "$work/bin/steward" build --source "$site" --cache-dir "$work/cache-$n"
  done
  f=$(cut -d' ' -f1 "$work/floor-$n" | median)
  c=$(cut -d' ' -f1 "$work/cold-$n" | median)
  w=$(cut -d' ' -f1 "$work/warm-$n" | median)
  e=$(cut -d' ' -f1 "$work/edit-$n" | median)
  rss=$(cut -d' ' -f2 "$work/cold-$n" | median)
  awk -v n="$n" -v f="$f" -v c="$c" -v w="$w" -v e="$e" -v rss="$rss" 'BEGIN {
    printf "%-7d %9.2f %9.2f %9.2f %9.2f %10.2fx %10.2fx %10.2fx %8.0fMB\n", n, f, c, w, e, c/f, w/c, e/c, rss/1024 }'
done
echo "medians of $runs runs each; machine: $(nproc) cores; corpus on $(df --output=fstype "$work" | tail -1)"

# The dev server: from saving one essay's body to the server sending the
# new page, through the real watcher (BenchmarkSaveToServed, in-process).
saves=${SAVES:-15}
echo
echo "steward serve, save to served page, $saves saves each:"
go test ./generator/serve -run '^$' -bench SaveToServed -benchtime "${saves}x" -count 1 |
  awk '/ms\/save-median/ { sub(/^BenchmarkSaveToServed\//, "", $1); sub(/-[0-9]+$/, "", $1);
    for (i = 1; i < NF; i++) { if ($(i+1) == "ms/save-median") m = $i; if ($(i+1) == "ms/save-p90") p = $i }
    printf "  %-14s median %6.1f ms   p90 %6.1f ms\n", $1, m, p }'
