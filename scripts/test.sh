#!/usr/bin/env bash
# The test command: unit, integration and end-to-end tests (swift test); then the example's feeds and
# workbook read by independent consumers (verify-consumers.sh), a real subscription client against a
# live server through a schedule change (verify-live-subscription.sh), and the check-in page driven
# in headless Chromium with the server down and back (checkin-offline-test.sh); postponed and cancelled
# sessions through the same client (verify-replan-subscription.sh), the members'
# absence page in headless Chromium (absence-page-test.sh), and the county deployment: PostgreSQL, two
# servers and nginx, one server killed with kill -9 under check-in load (cluster-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh poppler-utils  # pdfinfo/pdftotext: the report test counts PDF pages
swift build --build-tests 2>&1 | tail -n 1
swift test --skip-build 2>&1 | tee /tmp/drillcal-swift-test.log | grep -vE '^(◇|↳)' | tail -n 40
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || { echo "swift test failed ($status)"; exit "$status"; }
if [ "${DRILLCAL_SKIP_CONSUMERS:-0}" != 1 ]; then
  bash scripts/verify-consumers.sh
  bash scripts/verify-live-subscription.sh
  bash scripts/verify-replan-subscription.sh
  bash scripts/checkin-offline-test.sh "$(( 20000 + RANDOM % 20000 ))"
  bash scripts/absence-page-test.sh "$(( 20000 + RANDOM % 20000 ))"
  bash scripts/cluster-test.sh
fi
