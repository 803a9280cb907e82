"""Independent check of drillcal feeds: a strict lexical reading, then two PyPI parsers.

Lexical (RFC 5545 section 3.1, stricter than any parser): lines end in CRLF and hold no other CR or
LF; at most 75 octets a line; no control character (C0, DEL, C1, tab) inside a line; no empty line
or empty continuation line; a fold never splits a UTF-8 character.
Then every feed must parse in `icalendar` and `ical`; every VEVENT must carry UID, DTSTAMP, SEQUENCE, and DTSTART/DTEND
with a TZID that has a VTIMEZONE in the same file; UIDs unique per feed; Chinese text intact.
Exit 1 on any failure.
"""
import pathlib
import sys

import icalendar
from ical.calendar_stream import IcsCalendarStream



def lexical_faults(data: bytes) -> list:
    """Every lexical fault of one file, as 'line N: problem'."""
    faults = []
    if not data.endswith(b"\r\n"):
        faults.append("the file does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1] if data.endswith(b"\r\n") else data.split(b"\r\n"), 1):
        if len(line) > 75:
            faults.append(f"line {number}: {len(line)} octets")
        if not line:
            faults.append(f"line {number}: empty line")
        if b"\r" in line or b"\n" in line:
            faults.append(f"line {number}: bare CR or LF inside the line")
        if any(b < 0x20 or b == 0x7F for b in line):
            faults.append(f"line {number}: control byte inside the line")
        body = line[1:] if line[:1] == b" " else line
        if line[:1] == b" " and not body:
            faults.append(f"line {number}: empty continuation line")
        try:
            text = body.decode("utf-8")
            if any(0x80 <= ord(c) <= 0x9F for c in text):
                faults.append(f"line {number}: C1 control character")
        except UnicodeDecodeError:
            faults.append(f"line {number}: a fold splits a UTF-8 character")
    return faults


folder = pathlib.Path(sys.argv[1])
files = sorted(folder.glob("*.ics"))
problems = []
events_total = 0
lexical = []
lines_total = 0
for path in files:
    data = path.read_bytes()
    lines_total += data.count(b"\r\n")
    lexical += [f"{path.name} {fault}" for fault in lexical_faults(data)]
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

for p in (lexical + problems)[:20]:
    print("  " + p)
print(f"lexical: {'ok' if not lexical else 'FAILED'} ({len(files)} feeds, {lines_total} lines, {len(lexical)} faults)")
print(f"icalendar: {'ok' if not problems else 'FAILED'} ({len(files)} feeds, {events_total} events)")
print(f"ical: {'ok' if not problems else 'FAILED'} ({len(files)} feeds)")
sys.exit(1 if problems or lexical else 0)
