#!/usr/bin/env python3
"""Closed-loop check-in load and its exactly-once check, for scripts/bench-checkin.sh and
scripts/cluster-test.sh (issue 11).

  bench_checkin.py load --targets HOST:PORT[,HOST:PORT...] --pairs FILE --clients N --seconds S --out JSON
                        [--grace S] [--prefix bench]
  bench_checkin.py verify RESULT_JSON SEEN AUDITS ATTENDANCE

load: CLIENTS threads, each with its own keep-alive connection and its own (session, member) pair from
FILE (lines `session<TAB>code<TAB>member`; pairs are shared only when there are more clients than
pairs), POST one mark per request (alternating present/late, so each changes the record) and send the
next only after a 200. Client n starts on target n mod T. A mark is sent until it is acknowledged, with
the same client id, as the check-in page does: a dropped or refused connection moves the client to the
next target for good (a killed instance's clients go on through the next target: nginx or the other
instance); a 429, 502, 503 or 504 waits a little (Retry-After, at most 1 s) and sends again (5xx on the
next target). No new mark after SECONDS; a mark still unanswered GRACE seconds later is given up ("in
doubt": it may or may not be stored). Any other answer (400, 401, 403, 404...) is refused: a bug, the
verify step fails. Writes JSON: acknowledged ids, each client's sent ids, in-doubt ids, the sum of
`changed`, retries, errors per target, marks/s; prints one line.

verify: SEEN is the stored client ids with the prefix (one a line), AUDITS the count of audited page
marks, ATTENDANCE `session<TAB>member<TAB>client_id` of the page marks. Exactly once means: every
acknowledged id stored (lost 0); no id stored twice and none that was never sent; each stored mark
changed its record once, so audited changes = stored ids (clients on their own members; with shared
members: the reported changes, plus at most the retried marks); and each member's record carries the
last stored mark of its client, so no retry was applied over a newer mark. Exits 1 on a violation.
"""
import argparse
import json
import socket
import sys
import threading
import time


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def read(self):
        return self.body

    def getheader(self, name):
        return self.headers.get(name.lower())


class Conn:
    """A keep-alive HTTP/1.1 connection with the part of http.client's interface the load uses (request,
    getresponse, close; it reconnects on the next request after a close or a `Connection: close`).
    http.client parses every answer's head with the email package: with 64 threads that cost about
    0.4 ms of CPU per check-in, so the load generator took ~40 % of a core from the two the server
    shares with it. This reads the status line, Content-Length or chunked bodies, and nothing more.
    A connection dropped before a whole answer raises ConnectionError, as http.client does."""

    def __init__(self, host, port, timeout):
        self.addr, self.timeout, self.sock, self.buf = (host, port), timeout, None, b""
        self.host_line = f"Host: {host}:{port}\r\n"

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buf = None, b""

    def request(self, method, path, body, headers):
        if self.sock is None:
            self.sock = socket.create_connection(self.addr, timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = body.encode()
        head = (f"{method} {path} HTTP/1.1\r\n{self.host_line}Content-Length: {len(data)}\r\n"
                + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n")
        self.sock.sendall(head.encode() + data)

    def _more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before a whole answer")
        self.buf += chunk

    def _take(self, n):
        while len(self.buf) < n:
            self._more()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _line(self):
        while (end := self.buf.find(b"\r\n")) < 0:
            self._more()
        out, self.buf = self.buf[:end], self.buf[end + 2:]
        return out

    def getresponse(self):
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            self._more()
        lines = self.buf[:end].decode("latin-1").split("\r\n")
        self.buf = self.buf[end + 4:]
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while (size := int(self._line().split(b";")[0], 16)) > 0:
                parts.append(self._take(size))
                self._line()
            while self._line():  # trailers, then the empty line
                pass
            body = b"".join(parts)
        else:
            body = self._take(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body)


def load(args):
    targets = []
    for t in args.targets.split(","):
        host, port = t.rsplit(":", 1)
        targets.append((host, int(port)))
    pairs = []
    for line in open(args.pairs, encoding="utf-8"):
        if line.strip():
            session, code, member = line.rstrip("\n").split("\t")
            pairs.append((session, code, member))
    if not pairs:
        sys.exit("bench_checkin: no (session, code, member) pairs")
    lock = threading.Lock()
    acked, in_doubt, refused, per_client = [], [], {}, [None] * args.clients
    totals = {"changed": 0, "retries": 0, "retried_marks": 0}
    errors = {f"{h}:{p}": {} for h, p in targets}
    answered = {f"{h}:{p}": 0 for h, p in targets}
    stop = time.monotonic() + args.seconds
    give_up = stop + args.grace

    def client(n):
        session, code, member = pairs[n % len(pairs)]
        t = n % len(targets)
        conn = Conn(*targets[t], timeout=30)
        i, sent, mine, my = 0, [], [], {"changed": 0, "retries": 0, "retried_marks": 0}
        my_errors, my_answered, my_refused, my_doubt = {}, {}, {}, []

        def note(kind):
            key = f"{targets[t][0]}:{targets[t][1]}"
            my_errors.setdefault(key, {})
            my_errors[key][kind] = my_errors[key].get(kind, 0) + 1

        while time.monotonic() < stop:
            i += 1
            cid = f"{args.prefix}-{n}-{i}"
            sent.append(cid)
            body = json.dumps({"marks": [{"member": member, "status": "present" if i % 2 else "late", "clientID": cid}]})
            attempts = 0
            while True:
                if attempts and time.monotonic() > give_up:
                    my_doubt.append(cid)
                    break
                attempts += 1
                if attempts > 1:
                    my["retries"] += 1
                try:
                    conn.request("POST", f"/api/sessions/{session}/marks", body,
                                 {"Authorization": f"Bearer {code}", "Content-Type": "application/json"})
                    r = conn.getresponse()
                    data = r.read()
                except Exception as e:  # dropped or refused: on to the next target, same client id
                    note(type(e).__name__)
                    conn.close()
                    t = (t + 1) % len(targets)
                    conn = Conn(*targets[t], timeout=30)
                    time.sleep(0.02)
                    continue
                if r.status == 200:
                    mine.append(cid)
                    my["changed"] += json.loads(data)["changed"]
                    key = f"{targets[t][0]}:{targets[t][1]}"
                    my_answered[key] = my_answered.get(key, 0) + 1
                    if attempts > 1:
                        my["retried_marks"] += 1
                    break
                note(str(r.status))
                if r.status in (429, 502, 503, 504):
                    try:
                        wait = min(float(r.getheader("Retry-After") or 0.1), 1.0)
                    except ValueError:
                        wait = 0.1
                    if r.status != 429:
                        conn.close()
                        t = (t + 1) % len(targets)
                        conn = Conn(*targets[t], timeout=30)
                    time.sleep(wait)
                    continue
                my_refused[str(r.status)] = my_refused.get(str(r.status), 0) + 1
                sys.stderr.write(f"bench_checkin: {cid} refused with {r.status}: {data[:300]!r}\n")
                break
            if my_doubt and my_doubt[-1] == cid:
                break
        conn.close()
        with lock:
            acked.extend(mine)
            in_doubt.extend(my_doubt)
            per_client[n] = {"session": session, "member": member, "sent": sent}
            for k in totals:
                totals[k] += my[k]
            for key, kinds in my_errors.items():
                for kind, count in kinds.items():
                    errors[key][kind] = errors[key].get(kind, 0) + count
            for key, count in my_answered.items():
                answered[key] += count
            for k, v in my_refused.items():
                refused[k] = refused.get(k, 0) + v

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.monotonic() - start
    result = {"acked": acked, "in_doubt": in_doubt, "refused": refused, "clients": per_client,
              "exclusive": args.clients <= len(pairs), "changed": totals["changed"],
              "retries": totals["retries"], "retried_marks": totals["retried_marks"],
              "errors": {k: v for k, v in errors.items() if v}, "answered": answered,
              "seconds": elapsed, "per_second": len(acked) / elapsed}
    json.dump(result, open(args.out, "w"))
    print(f"{len(acked)} acknowledged marks in {elapsed:.1f} s: {len(acked) / elapsed:.0f} marks/s, "
          f"{totals['changed']} changed, {totals['retries']} retries ({totals['retried_marks']} marks needed more "
          f"than one attempt), answered by {answered}, errors {result['errors'] or 'none'}"
          + (f", {len(in_doubt)} given up in doubt" if in_doubt else "")
          + (f", REFUSED {refused}" if refused else ""))


def verify(args):
    result = json.load(open(args.result))
    acked = set(result["acked"])
    in_doubt = set(result["in_doubt"])
    sent = set()
    for c in result["clients"]:
        sent.update(c["sent"])
    seen_lines = [l.strip() for l in open(args.seen) if l.strip()]
    seen = set(seen_lines)
    audits = int(open(args.audits).read().strip())
    records = {}
    for line in open(args.attendance, encoding="utf-8"):
        if line.strip():
            session, member, cid = line.rstrip("\n").split("\t")
            records[(session, member)] = cid
    problems = []
    lost = acked - seen
    twice = len(seen_lines) - len(seen) + len(result["acked"]) - len(acked)
    invented = seen - sent
    unacked_stored = (seen - acked) & in_doubt
    stray = (seen - acked) - in_doubt  # stored, never acknowledged, yet the client never gave it up
    if lost:
        problems.append(f"{len(lost)} acknowledged marks are not stored, e.g. {sorted(lost)[:3]}")
    if twice:
        problems.append(f"{twice} client ids stored or acknowledged twice")
    if invented:
        problems.append(f"{len(invented)} stored client ids were never sent, e.g. {sorted(invented)[:3]}")
    if stray:
        problems.append(f"{len(stray)} stored client ids were neither acknowledged nor in doubt")
    if result["refused"]:
        problems.append(f"answers that are neither success nor retryable: {result['refused']}")
    if result["exclusive"]:
        expected_audits = len(seen)
        if audits != expected_audits:
            problems.append(f"{audits} mark changes audited for {expected_audits} stored marks (each changes its record once)")
    else:
        expected_audits = result["changed"]
        slack = result["retried_marks"] + len(in_doubt)
        if not expected_audits <= audits <= expected_audits + slack:
            problems.append(f"{audits} mark changes audited for {expected_audits} reported (+ at most {slack} retried)")
    # The record of each member: the last stored mark of (one of) its client(s).
    last = {}
    for c in result["clients"]:
        stored = [cid for cid in c["sent"] if cid in seen]
        if stored:
            last.setdefault((c["session"], c["member"]), set()).add(stored[-1])
    stale = [k for k, cids in last.items() if records.get(k) not in cids]
    if stale:
        k = stale[0]
        problems.append(f"{len(stale)} members' records do not carry their client's last stored mark, e.g. "
                        f"{k}: {records.get(k)} instead of {sorted(last[k])}")
    duplicated = twice + max(0, audits - expected_audits)
    print(f"verify: {len(acked)} acknowledged, {len(seen)} client ids stored "
          f"({len(unacked_stored)} of {len(in_doubt)} in doubt among them), lost {len(lost)}, "
          f"duplicated {duplicated}, {audits} mark changes audited for {result['changed']} reported "
          f"and {result['retried_marks']} retried, {len(last)} member records carry their last mark"
          + (f", {len(stale)} do not" if stale else ""))
    if problems:
        for p in problems:
            print(f"verify: FAILED: {p}", file=sys.stderr)
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load")
    p.add_argument("--targets", required=True)
    p.add_argument("--pairs", required=True)
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--grace", type=float, default=20)
    p.add_argument("--prefix", default="bench")
    p.add_argument("--out", required=True)
    v = sub.add_parser("verify")
    v.add_argument("result")
    v.add_argument("seen")
    v.add_argument("audits")
    v.add_argument("attendance")
    args = parser.parse_args()
    load(args) if args.command == "load" else verify(args)


if __name__ == "__main__":
    main()
