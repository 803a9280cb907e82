"""Python icalendar's rendering speed on the same forms as bench/render_libical.c, for
scripts/bench-render.sh: the public form of every VEVENT of TOWN.ics and, for every UID found again
with ATTENDEEs in a member's feed, its private form once; rates are per event (UID).
Usage: python render_icalendar.py ROUNDS TOWN.ics [MEMBER.ics...]
  ->  prints: events, seconds and events per second of the fastest round, forms per event"""
import sys
import time

import icalendar


def vevents(path):
    return icalendar.Calendar.from_ical(open(path, "rb").read()).walk("VEVENT")


rounds = int(sys.argv[1])
forms = list(vevents(sys.argv[2]))
public = {str(e["UID"]) for e in forms}
private = set()
for path in sys.argv[3:]:
    for e in vevents(path):
        uid = str(e["UID"])
        if "ATTENDEE" in e and uid in public and uid not in private:
            private.add(uid)
            forms.append(e)
# Each round timed on its own and the fastest kept, as for drillcal and libical.
best = None
size = 0
for _ in range(rounds):
    start = time.perf_counter()
    for e in forms:
        size += len(e.to_ical())
    seconds = time.perf_counter() - start
    best = seconds if best is None or seconds < best else best
total = len(public)
print(total, f"{best:.6f}", f"{total / best:.0f}", f"{len(forms) / len(public):.2f}")
