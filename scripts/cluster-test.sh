#!/usr/bin/env bash
# The county deployment's acceptance test (issue 11 item 4): a throw-away PostgreSQL 15, the example
# town built onto it, two `drillcal serve` instances on the same folder and database, and nginx in
# front with the repository's deploy/nginx/drillcal.conf (its ports rewritten to free ones).
#  1. Every public feed: the two instances and nginx answer the bytes `drillcal build` exported, the same
#     ETag, the same gzip bytes and gzip ETag (nginx passes them through), and a 304 to an If-None-Match
#     carrying the other instance's ETag.
#     Throttles through nginx count the client X-Forwarded-For names; wrong tokens spread over A and B
#     add up (shared through the database); a leader logged in on A (cookie) checks a member in through
#     B (same --secret-file, logins in the database); a plan change is picked up by both instances
#     (same new bytes and ETag on A, B and nginx).
#  2. Leaders: CLIENTS closed-loop clients (default 36; one member each, one mark per POST, unique
#     client ids) spread over instance A, nginx and instance B; SECONDS (default 12) of load, with
#     instance A killed with kill -9 halfway. A's clients send their unanswered mark again, with the
#     same client id, through the next target (nginx), as the check-in page does; nginx moves its own
#     in-flight requests to B. The public feed keeps answering through nginx after the kill.
#  3. Everything stopped, psql checks that every acknowledged mark is stored exactly once (lost 0,
#     duplicated 0; see scripts/bench_checkin.py verify) and that requests through nginx saw no error.
# Exits 1 naming the violation. About a minute and a half with a debug build on 2 cores.
#   scripts/cluster-test.sh [SECONDS] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-12}"
clients="${2:-36}"
swift build --product drillcal 2>&1 | tail -n 1
bin="$(swift build --show-bin-path)/drillcal"

work="$(mktemp -d /tmp/drillcal-cluster-test.XXXXXX)"
source scripts/lib-cluster.sh
load_pid=""
trap '[ -z "$load_pid" ] || kill "$load_pid" 2>/dev/null; cluster_cleanup; rm -rf "$work"' EXIT
fail() { echo "cluster test: FAILED: $*" >&2; exit 1; }

cluster_town
cluster_store postgres
"$bin" build "$town" --now 2026-11-29T08:00:00Z "${dbopt[@]}" >/dev/null
# One pair more than clients: the last is the cookie check-in's, which the load never touches.
cluster_pairs "$((clients + 1))" "$work/pairs.txt"
[ "$(wc -l <"$work/pairs.txt")" -gt "$clients" ] || fail "fewer than $((clients + 1)) members on the rosters"
cluster_serve_start
cluster_serve_start
cluster_serve_wait
cluster_nginx_start
a="127.0.0.1:${serve_ports[0]}"
b="127.0.0.1:${serve_ports[1]}"
n="127.0.0.1:$nginx_port"
echo "cluster test: PostgreSQL on $pg_port, instances A $a and B $b, nginx $n"

# 1. Same bytes and ETags everywhere.
header() { tr -d '\r' <"$1" | awk -v h="$2" 'tolower($1)==h":"{print $2}'; }
feeds=0
for file in "$town"/feeds/*.ics; do
  name="$(basename "$file")"
  case "$name" in member-*) continue ;; esac
  path="/calendars/qingshan/$name"
  for host in "$a" "$b" "$n"; do
    curl -sf -D "$work/h" -o "$work/body" "http://$host$path" || fail "GET $path from $host"
    cmp -s "$work/body" "$file" || fail "$host answers other bytes for $path than drillcal build exported"
    curl -sf -D "$work/hz" -o "$work/body.gz" -H 'Accept-Encoding: gzip' "http://$host$path" ||
      fail "gzip GET $path from $host"
    [ "$(header "$work/hz" content-encoding)" = gzip ] || fail "$host: $path with Accept-Encoding: gzip is not gzip"
    gunzip -c "$work/body.gz" | cmp -s - "$file" || fail "$host: the gzip body of $path unpacks to other bytes"
    if [ "$host" = "$a" ]; then
      etag="$(header "$work/h" etag)"
      gzip_etag="$(header "$work/hz" etag)"
      cp "$work/body.gz" "$work/first.gz"
      [ -n "$etag" ] && [ "$gzip_etag" != "$etag" ] || fail "$path: ETags '$etag' and '$gzip_etag'"
    else
      [ "$(header "$work/h" etag)" = "$etag" ] || fail "$host: ETag of $path differs from A's $etag"
      [ "$(header "$work/hz" etag)" = "$gzip_etag" ] || fail "$host: gzip ETag of $path differs from A's"
      cmp -s "$work/body.gz" "$work/first.gz" || fail "$host: gzip bytes of $path differ from A's"
    fi
  done
  # A's ETags are current on B and through nginx: 304.
  for host in "$b" "$n"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://$host$path")" = 304 ] ||
      fail "$host: no 304 for $path with A's ETag"
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' -H "If-None-Match: $gzip_etag" \
      "http://$host$path")" = 304 ] || fail "$host: no 304 for gzip $path with A's gzip ETag"
  done
  [ "$name" = town.ics ] && etag_town="$etag"
  feeds=$((feeds + 1))
done
[ "$feeds" -ge 3 ] || fail "only $feeds public feeds exported"
echo "cluster test: $feeds public feeds: same bytes, ETags and gzip bytes from A, B and nginx; 304 across instances"

# The client's address reaches the instances through nginx (X-Forwarded-For, --trusted-proxy): wrong
# feed tokens from one client get 429 after a few misses, while another client is still answered 404
# (without the header every request would count against nginx's own address).
throttled=""
for _ in $(seq 1 15); do
  token="$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
  code="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.7' "http://$n/feeds/$token.ics")"
  [ "$code" = 429 ] && { throttled=1; break; }
  [ "$code" = 404 ] || fail "nginx: a wrong feed token answered $code"
done
[ -n "$throttled" ] || fail "15 wrong feed tokens through nginx from one client were never throttled"
code="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.8' "http://$n/feeds/$token.ics")"
[ "$code" = 404 ] || fail "another client through nginx got $code, not 404: nginx's address was throttled, not the client's"
echo "cluster test: throttles through nginx count the client named in X-Forwarded-For"

# What an instance would otherwise keep to itself is shared through the database. Wrong feed tokens
# seen by one instance count on the other: four misses from one client on A stay under the five free
# misses an instance allows; once the instances have exchanged them (each does every second), the
# same client's next guess on B is its fifth miss there and blocks it, so within four more guesses B
# answers 429. Counted alone, B would answer all four with a plain 404 (five are free). Then the same
# the other way round for another client. No step depends on how long a block lasts: blocks escalate
# 1 s, 2 s, 4 s, so a 429 comes even when each request is slow, and the wait for the exchange comes
# before B has seen the client at all.
spread_adds_up() { # FROM TO CLIENT
  local from="$1" to="$2" client="$3" code token got=""
  for _ in 1 2 3 4; do
    token="$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $client" "http://$from/feeds/$token.ics")"
    [ "$code" = 404 ] || fail "$from: wrong token $_ of 4 from $client answered $code, not 404"
  done
  sleep 3.5
  local tokens=()
  for _ in 1 2 3 4; do tokens+=("$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"); done
  local codes=()
  for token in "${tokens[@]}"; do
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $client" "http://$to/feeds/$token.ics")"
    codes+=("$code")
    [ "$code" = 429 ] && { got=1; break; }
    [ "$code" = 404 ] || fail "$to: a wrong token from $client answered $code"
  done
  [ -n "$got" ] || fail "4 misses on $from and then ${#codes[@]} on $to were not added up ($to answered ${codes[*]})"
}
spread_adds_up "$a" "$b" 203.0.113.9
spread_adds_up "$b" "$a" 203.0.113.10
echo "cluster test: wrong tokens on one instance count on the other (A to B and B to A: 429 within four)"

# A drill leader logged in on A (cookie) checks a member in through B: the login is in the database
# and both instances sign with the same secret.
IFS=$'\t' read -r login_uid login_code login_member < <(sed -n "$((clients + 1))p" "$work/pairs.txt")
verify_exclude="$login_uid"$'\t'"$login_member"
enc_uid="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="@"))' "$login_uid")"
curl -s -D "$work/login-h" -o /dev/null -X POST -H "Origin: http://$a" --data-urlencode "code=$login_code" \
  "http://$a/checkin/$enc_uid/login"
cookie="$(tr -d '\r' <"$work/login-h" | awk 'tolower($1)=="set-cookie:" && $2 ~ /^drillcal_leader=/ {sub(/;$/, "", $2); print $2}')"
[ -n "$cookie" ] || fail "no login cookie from A: $(head -n 1 "$work/login-h")"
curl -sf -H "Cookie: $cookie" -o "$work/page-b" "http://$b/checkin/$enc_uid" || fail "B: check-in page with A's cookie"
csrf="$(grep -o '"csrf":"[0-9a-f]*"' "$work/page-b" | head -n 1 | cut -d'"' -f4)"
[ -n "$csrf" ] || fail "B does not know the login made on A"
code="$(curl -s -o "$work/mark-b" -w '%{http_code}' -X POST -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
  -H "Origin: http://$b" -H 'Content-Type: application/json' \
  --data "{\"marks\":[{\"member\":\"$login_member\",\"status\":\"present\",\"clientID\":\"cookie-on-b\"}]}" \
  "http://$b/api/sessions/$enc_uid/marks")"
[ "$code" = 200 ] || fail "B refused a mark from the leader logged in on A ($code: $(cat "$work/mark-b"))"
echo "cluster test: a leader logged in on A checks a member in through B"

# A leader code revoked through the CLI (another process) stops working on both instances at once,
# although each had just answered it from its read cache (LISTEN/NOTIFY empties it).
bearer_mark() {
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $login_code" \
    -H 'Content-Type: application/json' \
    --data "{\"marks\":[{\"member\":\"$login_member\",\"status\":\"$2\",\"clientID\":\"bearer-$3\"}]}" \
    "http://$1/api/sessions/$enc_uid/marks"
}
for host in "$a" "$b"; do
  for i in 1 2; do
    [ "$(bearer_mark "$host" late "$host-$i")" = 200 ] || fail "$host refused the leader's code before its revocation"
  done
done
"$bin" code revoke "$town" "$login_uid" "${dbopt[@]}" >/dev/null || fail "drillcal code revoke"
# The notification reaches each server a few milliseconds after the commit: a request racing it
# may still pass, so each instance gets up to 3 s (in practice the first request is refused).
for host in "$a" "$b"; do
  for i in $(seq 1 30); do
    got="$(bearer_mark "$host" present "$host-after-$i")"
    [ "$got" = 401 ] && break
    sleep 0.1
  done
  [ "$got" = 401 ] || fail "$host still answered $got to the revoked leader code after 3 s (a stale cached code)"
  [ "$i" = 1 ] || echo "cluster test: $host refused the revoked code at request $i"
done
echo "cluster test: a code revoked by the CLI is refused by both instances straight after"
# The load's leaders of that session get the code issued in its place.
new_code="$("$bin" code issue "$town" "$login_uid" "${dbopt[@]}" | head -n 1)"
[ -n "$new_code" ] || fail "drillcal code issue after the revocation printed no code"
awk -F'\t' -v OFS='\t' -v s="$login_uid" -v c="$new_code" '$1 == s { $2 = c } { print }' "$work/pairs.txt" \
  >"$work/pairs.new" && mv "$work/pairs.new" "$work/pairs.txt"

# A plan change is picked up by both instances (each watches the folder): the village trainings move
# from 14:30 to 15:00, and A, B and nginx converge on the same new bytes and ETag.
old_etag="$etag_town"
before_1500="$(grep -c 'T150000' "$town/feeds/town.ics" || true)"
python3 - "$town/plan.yaml" <<'PY2'
import sys
p = sys.argv[1]; s = open(p, encoding="utf-8").read()
old = '    every: 2 per half-year\n    times: ["14:30"]'
assert old in s, "village-training times not found in plan.yaml"
open(p, "w", encoding="utf-8").write(s.replace(old, '    every: 2 per half-year\n    times: ["15:00"]'))
PY2
town_etag() { curl -s -D - -o /dev/null "http://$1/calendars/qingshan/town.ics" | header /dev/stdin etag; }
for _ in $(seq 1 900); do
  ea="$(town_etag "$a")"; eb="$(town_etag "$b")"
  [ "$ea" != "$old_etag" ] && [ "$eb" != "$old_etag" ] && break
  sleep 0.2
done
[ "$ea" != "$old_etag" ] && [ "$eb" != "$old_etag" ] || fail "the plan change did not reach both instances in 180 s"
curl -sf -o "$work/town-a" "http://$a/calendars/qingshan/town.ics"
curl -sf -o "$work/town-b" "http://$b/calendars/qingshan/town.ics"
[ "$ea" = "$eb" ] && cmp -s "$work/town-a" "$work/town-b" || fail "after the reload A and B answer different town.ics"
after_1500="$(grep -c 'T150000' "$work/town-a" || true)"
[ "$after_1500" -gt "$before_1500" ] || fail "the reloaded town.ics has no more 15:00 starts ($after_1500) than before ($before_1500)"
for _ in 1 2; do
  [ "$(town_etag "$n")" = "$ea" ] || fail "nginx answers another ETag than the instances after the reload"
done
echo "cluster test: plan change picked up by both instances: ETag $old_etag -> $ea on A, B and nginx"

# 2. Leaders on A, nginx and B; A killed with kill -9 halfway.
python3 scripts/bench_checkin.py load --targets "$a,$n,$b" --pairs "$work/pairs.txt" --clients "$clients" \
  --seconds "$seconds" --prefix cluster --out "$work/result.json" &
load_pid=$!
sleep "$(python3 -c "print($seconds / 2)")"
kill -9 "${serve_pids[0]}"
status=0
wait "${serve_pids[0]}" 2>/dev/null || status=$?
[ "$status" -eq 137 ] || fail "instance A did not die from kill -9 (exit $status)"
echo "cluster test: instance A killed with kill -9 under load"
for _ in 1 2 3 4; do
  curl -sf -o "$work/body" "http://$n/calendars/qingshan/town.ics" || fail "nginx: town.ics failed after the kill"
  cmp -s "$work/body" "$work/town-a" || fail "nginx: other town.ics bytes after the kill"
done
status=0
wait "$load_pid" || status=$?
load_pid=""
[ "$status" -eq 0 ] || fail "the load clients failed ($status)"

# 3. Everything stopped; the store checked.
cluster_stop_servers "cluster test: instance"
kill -TERM "$nginx_pid" && wait "$nginx_pid" 2>/dev/null || true
nginx_pid=""
cluster_verify "$work/result.json" cluster || fail "not every acknowledged mark is stored exactly once"
python3 - "$work/result.json" "$a" "$n" "$b" <<'PY' || fail "see above"
import json, sys
r = json.load(open(sys.argv[1]))
a, n, b = sys.argv[2:5]
problems = []
for target, name in ((a, "A"), (n, "nginx"), (b, "B")):
    if not r["answered"].get(target):
        problems.append(f"no mark acknowledged by {name}")
if not r["errors"].get(a):
    problems.append("A's clients saw no failure: the kill did not happen under load")
through_nginx = {k: v for k, v in r["errors"].get(n, {}).items() if k != "429"}
if through_nginx:
    problems.append(f"requests through nginx saw {through_nginx}: nginx did not fail over to B")
if r["in_doubt"]:
    problems.append(f"{len(r['in_doubt'])} marks given up unanswered 20 s after the load (the grace period)")
print(f"cluster test: {len(r['acked'])} acknowledged marks, {r['per_second']:.0f} marks/s over {r['seconds']:.1f} s, "
      f"{r['retries']} retries ({r['retried_marks']} marks sent more than once), answered by "
      f"A {r['answered'].get(a, 0)}, nginx {r['answered'].get(n, 0)}, B {r['answered'].get(b, 0)}; "
      f"errors seen: {r['errors'] or 'none'}")
for p in problems:
    print(f"cluster test: FAILED: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "cluster test: passed (lost 0, duplicated 0)"
