#!/usr/bin/env bash
# The corpus table: lints testdata/corpus (realistic code questions whose
# truth is recorded above each [[question]]) in the sandbox and prints, per
# file, per style and in total, how many keys are right and wrong, the false
# errors on right keys, the missed wrong keys and the warnings on right keys,
# then each false error, miss and warning with its file:line and findings.
# It is TestCorpus (internal/corpus) run with -report; the snippet cache is
# reused here (-cache), never in the test. Exits 1 when there is a false
# error or a miss, like the test.
#
#   scripts/corpus-report.sh            # NOCACHE=1 runs every snippet again
set -uo pipefail
cd "$(dirname "$0")/.."
args=(-report)
[ -n "${NOCACHE:-}" ] || args+=(-cache)
out="$(go test -v ./internal/corpus -run '^TestCorpus$' -count=1 -args "${args[@]}" 2>&1 | grep -v '^=== RUN')"
status=$?
# The table is everything the test printed before go test's own verdict.
printf '%s\n' "$out" | awk '/^(--- FAIL|FAIL|PASS|ok )/ { exit } { print }'
if [ "$status" -ne 0 ]; then
  if ! printf '%s\n' "$out" | grep -q '^file '; then
    printf '%s\n' "$out" >&2   # no table: the test could not run
  fi
  echo "TestCorpus fails (false errors or misses above)" >&2
fi
exit "$status"
