#!/usr/bin/env bash
# Lint speed, side by side in one run: `qbank lint --no-run` (everything of
# the lint issue except executing snippets) against `taplo check --schema`
# (schema validation only) on the same 10,000 questions in 100 files.
# Prints the median wall time of each over RUNS alternating runs, the ratio,
# and qbank's peak memory.
#
#   scripts/bench-lint.sh            # RUNS=5 FILES=100 QUESTIONS=100
#   BASE=ecbc9fe scripts/bench-lint.sh
#       also builds qbank at git revision BASE and times both builds'
#       `lint --no-run` side by side (alternating runs; wall and CPU)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}" FILES="${FILES:-100}" QUESTIONS="${QUESTIONS:-100}"
TAPLO="${TAPLO:-$(command -v taplo || echo .ci/tools/node_modules/.bin/taplo)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go build -o "$work/qbank" ./cmd/qbank
go run ./cmd/qbank-gen -files "$FILES" -questions "$QUESTIONS" -o "$work/banks"
schema="file://$PWD/schema/qbank.schema.json"
norun=""
"$work/qbank" lint --help | grep -q -- '--no-run' && norun="--no-run"

# One warm-up each; both must accept the banks.
"$work/qbank" lint $norun "$work/banks" >/dev/null
NO_COLOR=1 RUST_LOG=error "$TAPLO" check --schema "$schema" "$work"/banks/*.toml >/dev/null 2>&1

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
: >"$work/q.txt"; : >"$work/t.txt"; : >"$work/mem.txt"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$work/one" "$work/qbank" lint $norun "$work/banks" >/dev/null
  read -r secs kb <"$work/one"; echo "$secs" >>"$work/q.txt"; echo "$kb" >>"$work/mem.txt"
  /usr/bin/time -f "%e" -o "$work/one" env NO_COLOR=1 RUST_LOG=error "$TAPLO" check --schema "$schema" "$work"/banks/*.toml >/dev/null 2>&1
  cat "$work/one" >>"$work/t.txt"
done
q=$(median <"$work/q.txt"); t=$(median <"$work/t.txt"); mem=$(sort -n "$work/mem.txt" | tail -1)
echo "files=$FILES questions=$((FILES * QUESTIONS)) runs=$RUNS cores=$(nproc)"
echo "qbank lint $norun: median ${q}s, peak RSS $((mem / 1024)) MiB"
echo "taplo check --schema: median ${t}s"
awk -v q="$q" -v t="$t" 'BEGIN { printf "ratio: qbank is %.1fx faster than taplo\n", t / q }'

if [ -n "${BASE:-}" ]; then
  git worktree add -q --detach "$work/base" "$BASE"
  (cd "$work/base" && go build -o "$work/qbank-base" ./cmd/qbank)
  git worktree remove --force "$work/base"
  : >"$work/w-new"; : >"$work/w-base"; : >"$work/c-new"; : >"$work/c-base"
  for _ in $(seq "$RUNS"); do
    for b in base new; do
      bin="$work/qbank"; [ "$b" = base ] && bin="$work/qbank-base"
      /usr/bin/time -f "%e %U %S" -o "$work/one" "$bin" lint $norun "$work/banks" >/dev/null 2>&1 || true
      read -r secs user sys <"$work/one"
      echo "$secs" >>"$work/w-$b"; awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }' >>"$work/c-$b"
    done
  done
  wb=$(median <"$work/w-base"); wn=$(median <"$work/w-new"); cb=$(median <"$work/c-base"); cn=$(median <"$work/c-new")
  echo "side by side, $RUNS alternating runs each, medians: BASE=$BASE ${wb}s wall ${cb}s CPU, this tree ${wn}s wall ${cn}s CPU"
  awk -v a="$wn" -v b="$wb" -v c="$cn" -v d="$cb" 'BEGIN { printf "ratio this/base: wall %.3f, CPU %.3f\n", a / b, c / d }'
fi
