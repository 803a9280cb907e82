# Sourced by scripts/bench-checkin.sh and scripts/cluster-test.sh: a scratch town on SQLite or a
# throw-away PostgreSQL 15, leader codes, several `drillcal serve` instances, nginx in front with
# deploy/nginx/drillcal.conf, and the exactly-once check of the check-ins. Needs $bin (the drillcal
# executable) and $work (a scratch folder, removed by the caller); call cluster_cleanup on exit.
#   cluster_town                copies the example town to $work/calendars (sets $town)
#   cluster_store sqlite|postgres
#                               sets dbopt (the --database option) and query SQL (tab-separated rows);
#                               postgres: initdb + pg_ctl in $work/pg on a free loopback port, as the
#                               postgres user when run as root (sets $pg_port, $database_url)
#   cluster_pairs CLIENTS FILE  issues leader codes for the largest rosters until there are CLIENTS
#                               (session, member) pairs (or none are left); writes session<TAB>code<TAB>member
#   cluster_serve_start         starts one more `drillcal serve` (port 0, clock after the year so every
#                               session is open, --trusted-proxy 127.0.0.1); appends to serve_pids
#   cluster_serve_wait          waits for every started instance's URL; fills serve_ports
#   cluster_nginx_start         nginx with deploy/nginx/drillcal.conf over serve_ports (sets $nginx_port)
#   cluster_stop_servers LABEL  SIGTERM to the instances still running, waits for them; prints their
#                               group-commit lines after "LABEL N: " (not in a pipe: it must wait)
#   cluster_verify RESULT PREFIX
#                               the exactly-once check (bench_checkin.py verify) against the store

pg_bin=/usr/lib/postgresql/15/bin
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
serve_pids=()
serve_ports=()
nginx_pid=""
dbopt=()

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

cluster_cleanup() {
  local pid
  for pid in "${serve_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  if [ -n "$nginx_pid" ]; then kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true; fi
  if [ -d "$work/pg/data" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}

cluster_town() {
  source scripts/example-town.sh
  example_town "$work"
}

cluster_store() {
  if [ "$1" = postgres ]; then
    bash scripts/setup.sh postgresql
    mkdir -p "$work/pg"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$work/pg"; chmod 755 "$work"; fi
    pg_port="$(free_port)"
    "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U drillcal --auth=trust -E UTF8 --locale=C >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
      -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 ${PG_OPTIONS:-}" start >/dev/null
    database_url="postgres://drillcal@127.0.0.1:$pg_port/postgres"
    dbopt=(--database "$database_url")
    query() { psql -h 127.0.0.1 -p "$pg_port" -U drillcal -d postgres -AtX -F $'\t' -c "$1"; }
  else
    bash scripts/setup.sh sqlite3
    dbopt=()
    query() { sqlite3 -separator $'\t' "$town/drillcal.sqlite" "$1"; }
  fi
}

cluster_pairs() {
  local want="$1" out="$2" session code have=0
  : >"$out"
  while read -r session; do
    [ "$have" -ge "$want" ] && break
    # Its warning about the loopback public URL is expected here; shown only if issuing fails.
    code="$("$bin" code issue "$town" "$session" "${dbopt[@]}" 2>"$work/code-issue.err" | head -n 1)" ||
      { cat "$work/code-issue.err" >&2; return 1; }
    query "SELECT DISTINCT member_id FROM roster_entry WHERE session_uid = '$session' ORDER BY 1" |
      awk -v s="$session" -v c="$code" '{print s "\t" c "\t" $0}' >>"$out"
    have="$(wc -l <"$out")"
  done < <(query "SELECT s.uid FROM session s JOIN roster_entry r ON r.session_uid = s.uid
    WHERE NOT s.cancelled AND s.kind <> 'deadline' GROUP BY s.uid ORDER BY count(*) DESC, s.uid")
}

cluster_serve_start() {
  local n="${#serve_pids[@]}"
  # One signing secret for every instance, as deploy/README.md says: a login made on one is good on all.
  [ -f "$work/secret" ] || { head -c 32 /dev/urandom | base64 >"$work/secret"; chmod 600 "$work/secret"; }
  DRILLCAL_SECRET_FILE="$work/secret" DRILLCAL_NOW=2027-12-31T12:00:00Z "$bin" serve "$town" --host 127.0.0.1 --port 0 --log-level notice \
    --trusted-proxy 127.0.0.1 "${dbopt[@]}" >"$work/serve-$n.out" 2>"$work/serve-$n.log" &
  serve_pids+=($!)
}

cluster_serve_wait() {
  local n port
  serve_ports=()
  for n in "${!serve_pids[@]}"; do
    port=""
    # Each instance schedules the town before it listens: seconds in a debug build, two at once.
    for _ in $(seq 1 1200); do
      port="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve-$n.out" 2>/dev/null | head -n 1 | sed 's/.*://')" || true
      [ -n "$port" ] && break
      kill -0 "${serve_pids[$n]}" 2>/dev/null || break
      sleep 0.1
    done
    if [ -z "$port" ]; then
      echo "cluster: instance $n did not start" >&2
      cat "$work/serve-$n.log" >&2
      return 1
    fi
    serve_ports+=("$port")
  done
}

# The repository's nginx config, as an operator installs it, with its instance lines replaced by the
# started instances, `listen 80` by a free loopback port and /var/log/nginx by the scratch folder;
# wrapped in a minimal nginx.conf (pid, temp paths) and started in the foreground.
cluster_nginx_start() {
  bash scripts/setup.sh nginx
  local conf="$work/nginx/conf"
  mkdir -p "$conf" "$work/nginx/logs"
  chmod 755 "$work" "$work/nginx"
  nginx_port="$(free_port)"
  python3 - deploy/nginx/drillcal.conf "$conf/drillcal.conf" "$nginx_port" "$work/nginx/logs" "${serve_ports[@]}" <<'PY'
import re, sys
source, target, listen, logs, *ports = sys.argv[1:]
text = open(source).read()
instance = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;\n", re.M)
found = instance.findall(text)
if not found:
    sys.exit(f"cluster: no `server 127.0.0.1:PORT ...;` instance line in {source}")
indent, params = found[0]
lines = "".join(f"{indent}server 127.0.0.1:{p}{params};\n" for p in ports)
text = instance.sub("", text, count=len(found) - 1)
text = instance.sub(lines.replace("\\", "\\\\"), text, count=1)
text, listens = re.subn(r"^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{listen};", text, flags=re.M)
if listens != 1:
    sys.exit(f"cluster: expected one `listen 80;` in {source}, found {listens}")
text = text.replace("/var/log/nginx/", logs + "/")
open(target, "w").write(text)
PY
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $work/nginx/client_body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  include $conf/drillcal.conf;
}
CONF
  # Debian puts nginx in /usr/sbin, which is not on every user's PATH.
  local nginx_bin
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  "$nginx_bin" -t -q -c "$work/nginx/nginx.conf" -p "$work/nginx" ||
    { echo "cluster: nginx refuses deploy/nginx/drillcal.conf" >&2; return 1; }
  "$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  nginx_pid=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/healthz" && return 0
    sleep 0.1
  done
  echo "cluster: nginx did not answer /healthz" >&2
  cat "$work/nginx/logs/error.log" >&2
  return 1
}

cluster_stop_servers() {
  local n label="${1:-instance}"
  for n in "${!serve_pids[@]}"; do
    if kill -TERM "${serve_pids[$n]}" 2>/dev/null; then
      wait "${serve_pids[$n]}" 2>/dev/null || true
      grep -oE '(group commit|batches|read cache): .*' "$work/serve-$n.log" | sed "s/^/$label $n: /" || true
    else
      wait "${serve_pids[$n]}" 2>/dev/null || true
    fi
  done
  serve_pids=()
}

# verify_exclude="SESSION<TAB>MEMBER": a record the load never touched (the cluster test's cookie
# check-in), left out of the audit and attendance counts.
cluster_verify() {
  local result="$1" prefix="$2" other="TRUE" session member
  if [ -n "${verify_exclude:-}" ]; then
    IFS=$'\t' read -r session member <<<"$verify_exclude"
    other="NOT (session_uid = '$session' AND member_id = '$member')"
  fi
  query "SELECT client_id FROM seen_client_id WHERE client_id LIKE '$prefix-%'" >"$work/seen.txt"
  query "SELECT count(*) FROM audit WHERE action = 'mark' AND source = 'page' AND $other" >"$work/audits.txt"
  query "SELECT session_uid, member_id, coalesce(client_id, '') FROM attendance WHERE source = 'page' AND $other" \
    >"$work/attendance.txt"
  python3 scripts/bench_checkin.py verify "$result" "$work/seen.txt" "$work/audits.txt" "$work/attendance.txt"
}
