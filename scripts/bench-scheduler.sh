#!/usr/bin/env bash
# Scheduler quality benchmark: generated towns of 8-30 villages at three tightness levels; per town the
# greedy score, drillcal's optimised score, its proven lower bound, the gap and the seconds, and the best
# score an independent OR-Tools CP-SAT model (scripts/cpsat_model.py) finds in --cpsat-seconds (default 60).
# Quick run: scripts/bench-scheduler.sh --cpsat-seconds 10 --sizes 8,12 --levels loose
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
venv="${HOME}/.cache/drillcal-bench-venv"
if ! "$venv/bin/python" -c 'import ortools' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet ortools
fi
swift build -c release --product drillcal 2>&1 | tail -n 1
python3 scripts/bench_scheduler.py "$(swift build -c release --show-bin-path)/drillcal" --python "$venv/bin/python" "$@"
