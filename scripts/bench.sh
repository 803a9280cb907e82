#!/usr/bin/env bash
# Benchmark: `drillcal build` (release) on synthetic towns of 10 to 160 villages; best of 3 runs each.
# Prints time, time per session and peak memory, to show cost growing close to linearly with size.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product drillcal 2>&1 | tail -n 1
python3 scripts/bench_town.py "$(swift build -c release --show-bin-path)/drillcal" "$@"
