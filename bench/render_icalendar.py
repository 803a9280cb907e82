"""Python icalendar's rendering speed on the same events, for scripts/bench-render.sh.
Usage: python render_icalendar.py FILE.ics ROUNDS  ->  prints: events seconds events-per-second"""
import sys
import time

import icalendar

calendar = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
events = [c for c in calendar.walk("VEVENT")]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
start = time.perf_counter()
size = 0
for _ in range(rounds):
    for e in events:
        size += len(e.to_ical())
seconds = time.perf_counter() - start
total = len(events) * rounds
print(total, f"{seconds:.6f}", f"{total / seconds:.0f}")
