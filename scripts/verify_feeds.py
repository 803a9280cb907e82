"""Independent check of drillcal feeds with two PyPI parsers: `icalendar` and `ical`.

Every feed must parse in both; every VEVENT must carry UID, DTSTAMP, SEQUENCE, and DTSTART/DTEND
with a TZID that has a VTIMEZONE in the same file; UIDs unique per feed; Chinese text intact.
Exit 1 on any failure.
"""
import pathlib
import sys

import icalendar
from ical.calendar_stream import IcsCalendarStream

folder = pathlib.Path(sys.argv[1])
files = sorted(folder.glob("*.ics"))
problems = []
events_total = 0
for path in files:
    text = path.read_text(encoding="utf-8")
    cal = icalendar.Calendar.from_ical(text)
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    uids = set()
    for ev in cal.walk("VEVENT"):
        events_total += 1
        uid = str(ev.get("UID"))
        if uid in uids:
            problems.append(f"{path.name}: duplicate UID {uid}")
        uids.add(uid)
        for key in ("DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY"):
            if key not in ev:
                problems.append(f"{path.name}: {uid} lacks {key}")
        for key in ("DTSTART", "DTEND"):
            tzid = ev[key].params.get("TZID") if key in ev else None
            if tzid is None or tzid not in tzids:
                problems.append(f"{path.name}: {uid} {key} TZID {tzid!r} has no VTIMEZONE")
    for key in ("PRODID", "VERSION", "X-WR-CALNAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        if key not in cal:
            problems.append(f"{path.name}: calendar lacks {key}")
    try:
        parsed = IcsCalendarStream.calendar_from_ics(text)
        if len(parsed.events) != len(uids):
            problems.append(f"{path.name}: ical read {len(parsed.events)} events, icalendar {len(uids)}")
    except Exception as exc:  # noqa: BLE001 - any failure of the second parser is a finding
        problems.append(f"{path.name}: ical cannot parse: {exc}")

town = icalendar.Calendar.from_ical((folder / "town.ics").read_text(encoding="utf-8"))
if "青山镇" not in str(town["X-WR-CALNAME"]):
    problems.append("town.ics: Chinese calendar name lost")

for p in problems[:20]:
    print("  " + p)
print(f"icalendar: {'ok' if not problems else 'FAILED'} ({len(files)} feeds, {events_total} events)")
print(f"ical: {'ok' if not problems else 'FAILED'} ({len(files)} feeds)")
sys.exit(1 if problems else 0)
