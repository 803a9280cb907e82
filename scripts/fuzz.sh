#!/usr/bin/env bash
# Fuzzes the four input parsers (plan.yaml, roster.csv, sign-in sheet, summary.yaml) for a fixed
# time with drillcal-fuzz, a deterministic random-mutation fuzzer (see Sources/drillcal-fuzz for
# why not libFuzzer). Usage: scripts/fuzz.sh [seconds per run, default 60] [first seed, default 1]
#
# Each run mutates the example files from one seed; when a run dies (a trap, a stack overflow) the
# input it was parsing is kept under Tests/DrillIOTests/Fuzz/<parser>-crash-<hash>.bin, and
# inputs that are slow (> 1 s) or give a bad message are kept there too. FuzzRegressionTests
# replays every file there on each `swift test`. Exit 0 when nothing was found.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
seconds=${1:-60}
seed=${2:-1}
keep=Tests/DrillIOTests/Fuzz
mkdir -p "$keep"
swift build -c release --product drillcal-fuzz 2>&1 | tail -1
fuzz=$(swift build -c release --show-bin-path)/drillcal-fuzz
last=$(mktemp)
trap 'rm -f "$last"' EXIT
found=0
end=$((SECONDS + seconds))
while ((SECONDS < end)); do
    left=$((end - SECONDS))
    if "$fuzz" --seconds "$left" --seed "$seed" --last "$last" --keep "$keep"; then
        :
    else
        status=$?
        if ((status == 1)); then
            found=1  # findings were kept by the fuzzer itself
        else
            # The process died on an input: keep it (first line names the parser).
            target=$(head -n1 "$last")
            name="$keep/$target-crash-$(tail -n +2 "$last" | sha256sum | cut -c1-12).bin"
            tail -n +2 "$last" >"$name"
            echo "crash (exit $status) in $target: kept $name"
            found=1
        fi
    fi
    seed=$((seed + 1))
done
exit $found
