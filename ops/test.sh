#!/usr/bin/env bash
# Sets up what a fresh machine lacks, then builds and runs every test of the solution against real
# PostgreSQL and RabbitMQ (each test project starts private instances of its own on free ports).
set -uo pipefail
cd "$(dirname "$0")/.."

bash ops/setup.sh || exit 1
dotnet build Bitcain.sln -c Debug -nologo -v quiet -clp:ErrorsOnly || exit 1

log=$(mktemp)
# The fixtures put their servers under $TMPDIR/bitcain-tests; this run gets a folder of its own there, so the
# clean-up below stops what this run left and never the servers of another test run on the same machine.
run_tmp=/tmp/bitcain-tests/run-$$
mkdir -p "$run_tmp" && chmod 755 /tmp/bitcain-tests "$run_tmp" 2>/dev/null
# One test project at a time: several of them start whole suites, and the machine may have two cores.
TMPDIR="$run_tmp" dotnet test Bitcain.sln -c Debug --no-build -nologo -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# A test process killed mid-run cannot stop its servers; stop what it left, and only that (its folder).
for pid in $(pgrep -f "$run_tmp/" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
# Erlang's port mapper names no folder on its command line; it is ours when its HOME is in our folder.
for pid in $(pgrep -x epmd 2>/dev/null); do
  { tr '\0' '\n' < "/proc/$pid/environ" | grep -q "^HOME=$run_tmp/"; } 2>/dev/null && kill "$pid" 2>/dev/null || true
done
sleep 1
rm -rf "$run_tmp"

# dotnet test prints one summary per test project; CI reads one closing line for the whole run.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
       gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
