#!/usr/bin/env bash
# Snippet throughput, side by side in one run on the same 1,000 trivial
# snippets ("print(n + 1)", each distinct), all with 2 in flight on this
# machine's cores:
#   1. qbank lint with the full sandbox, no cache (every snippet runs);
#   2. a plain `python3 -I -c` process per snippet, no isolation (what other
#      quiz tools do);
#   3. bubblewrap per snippet (Debian package bubblewrap);
# and a cached re-run of qbank on the same banks.
#
#   scripts/bench-sandbox.sh            # N=1000, P=2
#   BASE=050b30e scripts/bench-sandbox.sh
#       also builds qbank at git revision BASE and times both builds'
#       `lint --no-cache` alternately, R times each (default 5): medians and
#       their ratio, measured side by side in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-1000}" P="${P:-$(nproc)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QBANK_CACHE_DIR="$work/cache"

go build -o "$work/qbank" ./cmd/qbank
go run ./cmd/qbank-gen -snippets -files 10 -questions $((N / 10)) -o "$work/banks"
py="$(python3 -c 'import sys, os; print(os.path.realpath(sys.executable))')"
seq 0 $((N - 1)) >"$work/ns"

now() { date +%s.%N; }
rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.1f", n / s }'; }

# Warm-ups: page cache and interpreter files.
"$work/qbank" lint --no-cache "$work/banks/bank-0000.toml" >/dev/null
"$py" -I -c 'pass'

t0=$(now); "$work/qbank" lint --no-cache --require-sandbox=full "$work/banks" >"$work/q.out"; t1=$(now)
q=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
grep -q '^no problems' "$work/q.out" || { cat "$work/q.out"; exit 1; }

t0=$(now); xargs -P "$P" -I{} "$py" -I -c 'print({} + 1)' <"$work/ns" >/dev/null; t1=$(now)
plain=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

bw=""
if command -v bwrap >/dev/null 2>&1; then
  t0=$(now)
  xargs -P "$P" -I{} bwrap --unshare-all --die-with-parent --new-session --ro-bind / / --tmpfs /tmp \
    --proc /proc --dev /dev --clearenv "$py" -I -c 'print({} + 1)' <"$work/ns" >/dev/null
  t1=$(now)
  bw=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
fi

"$work/qbank" lint "$work/banks" >/dev/null # fills the cache
t0=$(now); "$work/qbank" lint "$work/banks" >"$work/c.out" 2>"$work/c.err"; t1=$(now)
cached=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

if [ -n "${BASE:-}" ]; then
  git worktree add -q --detach "$work/base" "$BASE"
  (cd "$work/base" && go build -o "$work/qbank-base" ./cmd/qbank)
  git worktree remove --force "$work/base"
  R="${R:-5}"
  : >"$work/t-new"; : >"$work/t-base"
  for _ in $(seq "$R"); do
    for b in base new; do
      bin="$work/qbank"; [ "$b" = base ] && bin="$work/qbank-base"
      t0=$(now); "$bin" lint --no-cache --require-sandbox=full "$work/banks" >/dev/null 2>&1; t1=$(now)
      awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >>"$work/t-$b"
    done
  done
  median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  mb=$(median "$work/t-base"); mn=$(median "$work/t-new")
  echo "side by side, $R alternating runs each, medians: BASE=$BASE ${mb}s, this tree ${mn}s, time ratio this/base: $(awk -v a="$mn" -v b="$mb" 'BEGIN { printf "%.3f", a / b }')"
fi

echo "snippets=$N parallel=$P cores=$(nproc) python=$("$py" -c 'import platform; print(platform.python_version())')"
echo "qbank lint, full sandbox, no cache: ${q}s  ($(rate "$q") snippets/s)  [$(grep '^sandbox:' "$work/q.out")]"
echo "python3 -I -c per snippet (no isolation): ${plain}s  ($(rate "$plain") snippets/s)"
[ -n "$bw" ] && echo "bwrap per snippet: ${bw}s  ($(rate "$bw") snippets/s)"
echo "qbank lint, cached re-run: ${cached}s  [$(grep 'runs executed' "$work/c.err")]"
awk -v q="$q" -v p="$plain" -v b="${bw:-0}" 'BEGIN {
  printf "throughput ratio qbank/plain: %.2fx\n", p / q
  if (b > 0) printf "throughput ratio qbank/bwrap: %.2fx\n", b / q
}'
