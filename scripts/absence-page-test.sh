#!/usr/bin/env bash
# Runs scripts/absence-page-test.py against `drillcal serve` over a copy of the example town: a
# member reports "我不能参加" on their private page in headless Chromium, the leader sees it, another
# member cannot, the member withdraws it, and a revoked token gets 404.
#   bash scripts/absence-page-test.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8098}"
bash scripts/setup.sh chromium chromium-driver
source scripts/example-town.sh
example_bin
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
example_town "$root"
# The page takes notices until a session starts: the clock is set before the example year.
export DRILLCAL_NOW=2026-12-01T00:00:00Z
"$bin" build "$town" --now 2026-11-29T00:00:00Z >/dev/null
python3 scripts/absence-page-test.py --bin "$bin" --town "$town" --port "$port"
