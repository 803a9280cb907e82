#!/usr/bin/env python3
"""Closed-loop check-in load for scripts/bench-checkin.sh: CLIENTS threads, each with its own keep-alive
connection and its own member, POST one mark per request (alternating present/late so each changes
the record) and send the next only after the answer. Prints JSON: acknowledged client ids, the sum of
`changed`, non-200 answers, and marks/s.

  bench_checkin.py HOST PORT SESSION CODE MEMBERS_FILE CLIENTS SECONDS OUT_JSON
"""
import http.client
import json
import sys
import threading
import time

host, port, session, code, members_file, clients, seconds, out = sys.argv[1:9]
port, clients, seconds = int(port), int(clients), float(seconds)
members = [m.strip() for m in open(members_file, encoding="utf-8") if m.strip()]
acked, changed, errors, lock = [], [0], {}, threading.Lock()
stop = time.monotonic() + seconds


def client(n):
    member = members[n % len(members)]
    conn = http.client.HTTPConnection(host, port, timeout=60)
    i, mine, my_changed = 0, [], 0
    while time.monotonic() < stop:
        i += 1
        cid = f"bench-{n}-{i}"
        body = json.dumps({"marks": [{"member": member, "status": "present" if i % 2 else "late", "clientID": cid}]})
        try:
            conn.request("POST", f"/api/sessions/{session}/marks", body,
                         {"Authorization": f"Bearer {code}", "Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
        except Exception as e:  # a dropped connection: count it and reconnect
            with lock:
                errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
            continue
        if r.status == 200:
            mine.append(cid)
            my_changed += json.loads(data)["changed"]
        else:
            with lock:
                errors[str(r.status)] = errors.get(str(r.status), 0) + 1
    with lock:
        acked.extend(mine)
        changed[0] += my_changed


start = time.monotonic()
threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - start
json.dump({"acked": acked, "changed": changed[0], "errors": errors, "seconds": elapsed,
           "per_second": len(acked) / elapsed}, open(out, "w"))
print(f"{len(acked)} acknowledged marks in {elapsed:.1f} s: {len(acked) / elapsed:.0f} marks/s, "
      f"{changed[0]} changed, errors {errors or 'none'}")
