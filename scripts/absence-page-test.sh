#!/usr/bin/env bash
# Runs scripts/absence-page-test.py against `drillcal serve` over a copy of the example town: a
# member reports "我不能参加" on their private page in headless Chromium, the leader sees it, another
# member cannot, the member withdraws it, and a revoked token gets 404.
#   bash scripts/absence-page-test.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8098}"
bash scripts/setup.sh chromium chromium-driver
swift build --product drillcal 2>&1 | tail -n 1
bin="$(swift build --show-bin-path)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cp -r calendars/qingshan "$root/qingshan"
cp -r calendars/holidays "$root/holidays"
rm -rf "$root/qingshan/feeds" "$root/qingshan/feeds.d" "$root/qingshan/drillcal.sqlite"*
# The page takes notices until a session starts: the clock is set before the example year.
export DRILLCAL_NOW=2026-12-01T00:00:00Z
"$bin/drillcal" build "$root/qingshan" --now 2026-11-29T00:00:00Z >/dev/null
python3 scripts/absence-page-test.py --bin "$bin/drillcal" --town "$root/qingshan" --port "$port"
