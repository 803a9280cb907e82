#!/usr/bin/env bash
# Benchmark: drillcal's render step against raw libical called from C (bench/render_libical.c) and
# Python icalendar (bench/render_icalendar.py) on the same events: those of a generated 25-village
# town (scripts/bench_province.py's generator). drillcal's figure is its whole render phase
# (DRILLCAL_TIMINGS: building each event, writing both its forms, hashing, re-stamping, composing
# every public feed) divided by the events it rendered, best of 5 builds with --member-feeds=skip.
# libical's and icalendar's figures serialise the same forms drillcal renders: each event's public
# form (from town.ics) and, when it names anyone, its private form (from the first member feed
# holding it, written by one more build with member feeds into another folder); libical builds each
# form afresh (a clone of the parsed tree) and serialises it. All three rates are per event, whatever
# its number of forms, and all three are their fastest run (build or round): this host's speed
# varies by half from minute to minute, and a mean would measure the neighbours.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
# DRILLCAL_BIN=path skips the release build (to try the script with another binary).
if [ -z "${DRILLCAL_BIN:-}" ]; then swift build -c release --product drillcal 2>&1 | tail -n 1; fi
bin="${DRILLCAL_BIN:-$(swift build -c release --show-bin-path)/drillcal}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import pathlib, random, shutil, sys
sys.path.insert(0, "scripts")
import bench_province as b
work = pathlib.Path(sys.argv[1])
shutil.copytree(b.ROOT / "calendars" / "holidays", work / "holidays")
b.town(work / "town", 1, 25, random.Random(1))
PY
best=""
for i in $(seq "${BUILDS:-5}"); do
    rm -f "$work/timings"
    DRILLCAL_TIMINGS="$work/timings" "$bin" build "$work/town" --allow-partial --member-feeds skip \
        --now 2026-11-29T00:00:00Z >/dev/null || true
    line=$(cat "$work/timings")
    render=$(sed 's/.* render=\([0-9.]*\).*/\1/' <<<"$line")
    events=$(sed 's/.*events=\([0-9]*\).*/\1/' <<<"$line")
    if [ -z "$best" ] || awk "BEGIN{exit !($render < $best)}"; then best=$render; fi
done
drillcal=$(awk "BEGIN{printf \"%.0f\", $events / $best}")
"$bin" build "$work/town" --allow-partial --member-feeds write --out "$work/all" \
    --now 2026-11-29T00:00:00Z >/dev/null || true
cc -O2 bench/render_libical.c $(pkg-config --cflags --libs libical) -o "$work/render_libical"
read -r _ _ libical forms < <("$work/render_libical" 200 "$work/all/town.ics" "$work/all"/member-*.ics)
venv="${DRILLCAL_VENV:-$HOME/.cache/drillcal-venv}"
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/python" -c 'import icalendar' 2>/dev/null || "$venv/bin/pip" install -q icalendar
read -r _ _ python _ < <("$venv/bin/python" bench/render_icalendar.py 10 "$work/all/town.ics" "$work/all"/member-*.ics)
echo "machine: $(nproc) cores, $(date -u +%Y-%m-%d); events in the town: $events ($forms forms rendered per event)"
echo "drillcal render step: $drillcal events/s (render phase ${best}s)"
echo "raw libical from C:   $libical events/s"
echo "Python icalendar:     $python events/s"
awk "BEGIN{printf \"drillcal / libical: %.0f %% (target >= 80 %%); drillcal / icalendar: %.1fx (target >= 30x)\n\", 100*$drillcal/$libical, $drillcal/$python}"
