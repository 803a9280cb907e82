#!/usr/bin/env bash
# Benchmark: a region build of a generated province (release build). See scripts/bench_province.py.
#   scripts/bench-province.sh [TOWNS] [SEED]     (default 20 towns; the issue's target is 1500)
# Set BENCH_DIR to put the province on another disk than the system temp folder, BUILD_OPTS to pass
# options to every build, BENCH_VILLAGES=5-18 BENCH_TRAININGS=12 for the issue's province shape
# (~300 sessions a town instead of the default ~160; see scripts/bench_province.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
# DRILLCAL_BIN=path skips the release build (to try the script with another binary).
if [ -z "${DRILLCAL_BIN:-}" ]; then swift build -c release --product drillcal 2>&1 | tail -n 1; fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(date -u +%Y-%m-%d)"
python3 scripts/bench_province.py "${DRILLCAL_BIN:-$(swift build -c release --show-bin-path)/drillcal}" "$@"
