#!/usr/bin/env bash
# Runs scripts/checkin-offline-test.py against `drillcal serve` over a copy of the example town:
# builds, publishes the schedule, issues a drill-leader code for a session with a roster, then lets
# the Python script start, kill and restart the server around a headless Chromium.
#   bash scripts/checkin-offline-test.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8099}"
bash scripts/setup.sh chromium chromium-driver
source scripts/example-town.sh
example_bin
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
example_town "$root"
"$bin" build "$town" >/dev/null
uid="$(python3 - "$town/drillcal.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("""SELECT s.uid FROM session s JOIN roster_entry r ON r.session_uid = s.uid
                    WHERE s.cancelled = 0 AND s.kind <> 'deadline'
                    GROUP BY s.uid HAVING count(*) >= 3 ORDER BY s.date, s.start_minute LIMIT 1""").fetchone()[0])
PY
)"
code="$("$bin" code issue "$town" "$uid" | head -n 1)"
echo "session $uid, code issued"
# Marks are taken only once a session has started: the server's clock is set after the example year.
python3 scripts/checkin-offline-test.py --url "http://127.0.0.1:$port" --code "$code" --uid "$uid" \
  --database "$town/drillcal.sqlite" ${CHECKIN_SCREENSHOT:+--screenshot "$CHECKIN_SCREENSHOT"} \
  -- env DRILLCAL_NOW=2027-12-31T12:00:00Z "$bin" serve "$town" --port "$port"
