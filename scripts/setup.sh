#!/usr/bin/env bash
# Installs what drillcal needs on a fresh Debian 12 machine, only if it is missing:
# libical-dev, libxlsxwriter-dev, zlib1g-dev, libqrencode-dev (and pkg-config) to build, tzdata at run
# time (libical reads /usr/share/zoneinfo), pandoc, chromium and fonts-noto-cjk for the .docx and .pdf
# report, python3-jsonschema for the tests of the JSON outputs, python3-openpyxl for the XLSX sign-in sheet test,
# postgresql and nginx for the PostgreSQL store's tests and the county deployment test.
set -euo pipefail

need=()
dpkg -s libical-dev >/dev/null 2>&1 || need+=(libical-dev)
dpkg -s libxlsxwriter-dev >/dev/null 2>&1 || need+=(libxlsxwriter-dev)
dpkg -s libqrencode-dev >/dev/null 2>&1 || need+=(libqrencode-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need+=(pkg-config)
# SQLite's header: GRDB's C module and CSQLiteConfig include it (the toolchain's machines have it; said here).
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
# The feed server: zlib for gzip bodies, libqrencode for the QR codes on its index page.
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
dpkg -s libqrencode-dev >/dev/null 2>&1 || need+=(libqrencode-dev)
[ -f /usr/share/zoneinfo/Asia/Shanghai ] || need+=(tzdata)
# The durability tests (EndToEndTests): strace counts fsyncs per acknowledged write, gcc builds the
# fsync-logging shim of the power-cut simulation, sqlite3 reads the simulated crash copies.
dpkg -s strace >/dev/null 2>&1 || need+=(strace)
dpkg -s sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v cc >/dev/null 2>&1 || need+=(gcc)
# The PostgreSQL store's conformance tests (DrillStoreTests) start their own PostgreSQL 15 cluster
# with initdb/pg_ctl (as the postgres user when run as root); nothing uses the system cluster.
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
# The county report: `report --format docx` runs pandoc, `--format pdf` headless Chromium with CJK fonts.
dpkg -s pandoc >/dev/null 2>&1 || need+=(pandoc)
dpkg -s chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# The JSON Schema tests (EndToEndTests JSONSchemaTests): `build --json` and `check --json` are validated
# against docs/schema/ by scripts/validate_json.py with Debian's python3-jsonschema.
dpkg -s python3-jsonschema >/dev/null 2>&1 || need+=(python3-jsonschema)
# The XLSX sign-in sheet round trip (EndToEndTests SignInSheetRoundTripTests): Debian's python3-openpyxl
# fills in the workbook `drillcal sheet --format xlsx` wrote, as a clerk would in Excel.
dpkg -s python3-openpyxl >/dev/null 2>&1 || need+=(python3-openpyxl)
# The county deployment test (scripts/cluster-test.sh): nginx in front of two servers with
# deploy/nginx/drillcal.conf, started from a scratch folder (the system's nginx service is not used).
dpkg -s nginx >/dev/null 2>&1 || need+=(nginx)
for extra in "$@"; do dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra"); done

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected /opt/swift/usr/bin)" >&2; exit 1; }
