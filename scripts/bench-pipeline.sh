#!/usr/bin/env bash
# Lint time and peak memory against the size of the tree, side by side with
# a base revision in one run: `qbank lint --no-run` on 1,000, 10,000 and
# 100,000 questions (10, 100 and 1,000 files of 100 questions, written by
# cmd/qbank-gen), alternating the base's binary and this tree's, RUNS times
# each. Prints the median wall time, the peak RSS (/usr/bin/time -v's
# maximum resident set size) and the ratios.
#
#   scripts/bench-pipeline.sh        # BASE=main RUNS=5 SIZES="10 100 1000"
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${BASE:-main}" RUNS="${RUNS:-5}" SIZES="${SIZES:-10 100 1000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go build -o "$work/qbank-new" ./cmd/qbank
mkdir "$work/base"
git archive "$BASE" | tar -x -C "$work/base"
(cd "$work/base" && go build -o "$work/qbank-base" ./cmd/qbank)

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() { # binary dir -> "secs kb"
  /usr/bin/time -f "%e %M" -o "$work/one" "$1" lint --no-run "$2" >/dev/null
  cat "$work/one"
}
echo "base=$BASE ($(git rev-parse --short "$BASE")) new=$(git rev-parse --short HEAD)$(git diff --quiet || echo +dirty) runs=$RUNS cores=$(nproc)"
printf '%-9s %-6s %12s %12s %12s %12s %8s %8s\n' questions MB base_s new_s base_MiB new_MiB time mem
for files in $SIZES; do
  dir="$work/banks-$files"
  go run ./cmd/qbank-gen -files "$files" -questions 100 -o "$dir"
  mb=$(du -sm "$dir" | cut -f1)
  "$work/qbank-base" lint --no-run "$dir" >/dev/null # warm the page cache
  : >"$work/bt"; : >"$work/nt"; : >"$work/bm"; : >"$work/nm"
  for _ in $(seq "$RUNS"); do
    read -r s kb < <(measure "$work/qbank-base" "$dir"); echo "$s" >>"$work/bt"; echo "$kb" >>"$work/bm"
    read -r s kb < <(measure "$work/qbank-new" "$dir"); echo "$s" >>"$work/nt"; echo "$kb" >>"$work/nm"
  done
  bt=$(median <"$work/bt"); nt=$(median <"$work/nt")
  bm=$(($(median <"$work/bm" | cut -d. -f1) / 1024)); nm=$(($(median <"$work/nm" | cut -d. -f1) / 1024))
  awk -v q=$((files * 100)) -v mb="$mb" -v bt="$bt" -v nt="$nt" -v bm="$bm" -v nm="$nm" \
    'BEGIN { printf "%-9d %-6d %12.2f %12.2f %12d %12d %7.2fx %7.2fx\n", q, mb, bt, nt, bm, nm, nt / bt, nm / bm }'
done
echo "time and mem columns: this tree / base (median of $RUNS); below 1 is better"
