# Sourced by the consumer scripts: a desktop subscription client (vdirsyncer + khal) set up in a
# scratch folder. `subscribe_setup WORK name=URL ...` writes WORK/vdirsyncer.conf (one read-only
# HTTP subscription per name, stored in WORK/vdir/<name>) and WORK/khal.conf; `subscribe_sync WORK`
# pulls every subscription; `subscribe_list WORK NAME` prints khal's "HH:MM title" lines for 2027.

subscribe_setup() {
  local work="$1"; shift
  mkdir -p "$work/status"
  printf '[general]\nstatus_path = "%s/status"\n' "$work" > "$work/vdirsyncer.conf"
  printf '[calendars]\n' > "$work/khal.conf"
  local pair name url
  for pair in "$@"; do
    name="${pair%%=*}"; url="${pair#*=}"
    mkdir -p "$work/vdir/$name"
    cat >> "$work/vdirsyncer.conf" <<CONF
[pair $name]
a = "${name}_remote"
b = "${name}_local"
collections = null
[storage ${name}_remote]
type = "http"
url = "$url"
[storage ${name}_local]
type = "filesystem"
path = "$work/vdir/$name"
fileext = ".ics"
CONF
    printf '[[%s]]\npath = %s/vdir/%s\n' "$name" "$work" "$name" >> "$work/khal.conf"
  done
  cat >> "$work/khal.conf" <<CONF
[locale]
local_timezone = Asia/Shanghai
default_timezone = Asia/Shanghai
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
CONF
}

subscribe_sync() {
  vdirsyncer -c "$1/vdirsyncer.conf" discover >/dev/null 2>&1 || true
  vdirsyncer -c "$1/vdirsyncer.conf" sync >/dev/null 2>&1
}

subscribe_list() {
  khal -c "$1/khal.conf" list -a "$2" 2027-01-01 366d --format '{start-time} {title}' 2>/dev/null || true
}
