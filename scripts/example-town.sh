# Sourced by the end-to-end scripts: the debug drillcal and a scratch copy of the example town.
#   example_bin            builds drillcal (debug, the test command's build) and sets $bin to the executable
#   example_town WORK      copies calendars/ to WORK/calendars without generated output (feeds, store);
#                          sets $town to WORK/calendars/qingshan
#   example_serve LOG ...  starts `$bin serve $town --port 0 --log-level warning ...` in the background,
#                          waits up to 90 s for the URL it prints; sets $server (pid) and $base (http://…)

example_bin() {
  swift build --product drillcal 2>&1 | tail -n 1
  bin="$(swift build --show-bin-path)/drillcal"
}

example_town() {
  cp -r calendars "$1/calendars"
  rm -rf "$1/calendars/qingshan/feeds" "$1/calendars/qingshan/feeds.d" "$1/calendars/qingshan/drillcal.sqlite"*
  town="$1/calendars/qingshan"
}

example_serve() {
  local log="$1"; shift
  "$bin" serve "$town" --port 0 --log-level warning "$@" > "$log" 2>&1 &
  server=$!
  for _ in $(seq 900); do grep -q "http://" "$log" 2>/dev/null && break; sleep 0.1; done
  base="$(grep -o 'http://[0-9.:]*' "$log" | head -1)"
  [ -n "$base" ] || { echo "drillcal serve printed no URL:" >&2; cat "$log" >&2; return 1; }
}
