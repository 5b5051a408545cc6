#!/usr/bin/env bash
# Lint speed, side by side in one run: `qbank lint --no-run` (everything of
# the lint issue except executing snippets) against `taplo check --schema`
# (schema validation only) on the same 10,000 questions in 100 files.
# Prints the median wall time of each over RUNS alternating runs, the ratio,
# and qbank's peak memory.
#
#   scripts/bench-lint.sh            # RUNS=5 FILES=100 QUESTIONS=100
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
