#!/usr/bin/env bash
# Byte-for-byte comparison of the feeds two drillcal binaries write for the same town, in the
# situations a build meets: a first build (Chinese and English), a rebuild with nothing changed, a
# rebuild after a roster edit (events re-stamped with a new SEQUENCE), and a rebuild after members
# left (cancelled and changed events), with public attendees on. Used to show that a change to the
# build path (render once, composed feeds) leaves every byte of the output as it was.
#
#   scripts/compare-feeds.sh OLD_DRILLCAL NEW_DRILLCAL [TOWN]     (TOWN defaults to calendars/qingshan)
#
# Exit 0 when every feed and manifest is identical, 1 with a diff summary otherwise.
set -euo pipefail
old="$(realpath "$1")"
new="$(realpath "$2")"
town="$(realpath "${3:-$(dirname "$0")/../calendars/qingshan}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# run BIN SIDE: the whole sequence of builds with one binary, snapshots under $work/SIDE/snap-N.
run() {
    local bin="$1" side="$2"
    local dir="$work/$side/town"
    mkdir -p "$work/$side"
    cp -r "$town" "$dir"
    cp -r "$town/../holidays" "$work/$side/holidays"  # the plan's default ../holidays/<year>.yaml
    rm -rf "$dir/feeds" "$dir/feeds.d" "$dir"/drillcal.sqlite*
    snap() { mkdir -p "$work/$side/snap-$1"; cp -L "$dir"/feeds/* "$work/$side/snap-$1/"; }
    "$bin" build "$dir" --now 2026-11-29T08:00:00Z >/dev/null; snap 1
    "$bin" build "$dir" --now 2026-12-01T08:00:00Z >/dev/null; snap 2
    # A roster edit: a member renamed (events holding them change, SEQUENCE goes up).
    sed -i '0,/^m010,[^,]*,/s//m010,改名测试,/' "$dir/roster.csv"
    "$bin" build "$dir" --now 2026-12-02T08:00:00Z >/dev/null; snap 3
    # Members leave (rosters shrink) and attendees become public.
    sed -i '/^m01[1-5],/d' "$dir/roster.csv"
    printf '\nfeeds:\n  public_attendees: true\n' >>"$dir/plan.yaml"
    "$bin" build "$dir" --now 2026-12-03T08:00:00Z --allow-partial >/dev/null || true; snap 4
    # English, into a fresh folder.
    "$bin" build "$dir" --now 2026-12-04T08:00:00Z --lang en --allow-partial --out "$work/$side/en" >/dev/null || true
    mkdir -p "$work/$side/snap-5"; cp -L "$work/$side/en"/* "$work/$side/snap-5/"
}

run "$old" old
run "$new" new
status=0
for n in 1 2 3 4 5; do
    files=$(ls "$work/old/snap-$n" | wc -l)
    bytes=$(cat "$work/old/snap-$n"/* | wc -c)
    if diff -rq "$work/old/snap-$n" "$work/new/snap-$n" >"$work/diff-$n"; then
        echo "step $n: identical ($files files, $bytes bytes)"
    else
        echo "step $n: DIFFERENT ($(wc -l <"$work/diff-$n") files differ)"
        head -5 "$work/diff-$n"
        status=1
    fi
done
exit $status
