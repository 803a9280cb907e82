"""An independent OR-Tools CP-SAT model of drillcal's scheduling problem, for the benchmark.

Usage: python3 scripts/cpsat_model.py MODEL.json [--seconds 60] [--workers 2] [--hint BUILD.json]

--hint BUILD.json (what `drillcal build --json` printed) starts the solver from drillcal's schedule (a
solution hint: each session's day and start, and its supervisor); CP-SAT then has 60 s to improve on it,
which asks whether a better schedule exists near or far from drillcal's, not whether CP-SAT finds one
from nothing. The hint is only a hint: the model and its constraints are the same.

MODEL.json is what `drillcal build --export-model` writes: each demand's candidate slots (day number,
start and end minute, the slot's own points for weekday, time and turnout), teams with members, gaps
and ideal gap, supervisors with limits and away days, travel times. The constraints are modelled here
from that data, not taken from drillcal's code:
  - each demand on exactly one candidate;
  - no member and no venue in two overlapping sessions;
  - two sessions of a team at least max(rule gaps, team gap) days apart;
  - a supervised session gets one supervisor who is not away, within max_per_day / max_per_week, never
    in two sessions closer than the travel time between their villages;
objective = Σ slot points + spacing_per_day × Σ_teams Σ_consecutive |gap − ideal| + supervisor_load × (max − min load).
Prints JSON: status, objective (best found), bound (CP-SAT's proven bound), seconds.
"""
import argparse
import collections
import datetime
import itertools
import json
import sys
import time

from ortools.sat.python import cp_model


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--hint", help="drillcal build --json output to start from")
    a = p.parse_args()
    data = json.load(open(a.model, encoding="utf-8"))
    w = data["weights"]
    m = cp_model.CpModel()
    teams = {t["id"]: t for t in data["teams"]}
    sups = {s["id"]: s for s in data["supervisors"]}
    demands = data["demands"]
    base = min((c["day"] for d in demands for c in d["candidates"]), default=0)

    travel = {}
    for t in data["travel"]:
        travel[(t["from"], t["to"])] = t["minutes"]
        travel[(t["to"], t["from"])] = t["minutes"]

    def travel_minutes(a_, b_):
        if a_ == b_:
            return 0
        return travel.get((a_, b_), data["default_travel"])

    hinted = {}  # uid -> (day, start minute, supervisor)
    if a.hint:
        epoch = datetime.date(1970, 1, 1)
        for row in json.load(open(a.hint, encoding="utf-8"))["sessions"]:
            day = (datetime.date.fromisoformat(row["date"]) - epoch).days
            hh, mm = row["start"].split(":")
            hinted[row["uid"]] = (day, int(hh) * 60 + int(mm), row.get("supervisor"))

    x = []  # x[k][i]
    objective = []
    fixed_unmet = 0
    for k, d in enumerate(demands):
        xs = [m.NewBoolVar(f"x{k}_{i}") for i in range(len(d["candidates"]))]
        x.append(xs)
        if d["uid"] in hinted:
            day, start, _ = hinted[d["uid"]]
            for c, v in zip(d["candidates"], xs):
                m.AddHint(v, c["day"] == day and c["start"] == start)
        if xs:
            m.AddExactlyOne(xs)
            objective += [c["cost"] * v for c, v in zip(d["candidates"], xs) if c["cost"]]
        else:
            fixed_unmet += 1

    # Resources (members and venues): demands sharing one may not overlap in time.
    users = collections.defaultdict(set)
    for k, d in enumerate(demands):
        for t in d["teams"]:
            for mem in teams[t]["members"]:
                users[("m", mem)].add(k)
        if d.get("venue"):
            users[("v", d["venue"])].add(k)
    groups = {frozenset(s) for s in users.values() if len(s) > 1}
    for g in groups:
        by_day = collections.defaultdict(list)
        for k in g:
            for i, c in enumerate(demands[k]["candidates"]):
                by_day[c["day"]].append((c["start"], c["end"], k, x[k][i]))
        for day, items in by_day.items():
            if len({k for _, _, k, _ in items}) < 2:
                continue
            for s, _, _, _ in {(s, 0, 0, None) for s, _, _, _ in items}:
                covering = [v for (s2, e2, _, v) in items if s2 <= s < e2]
                if len(covering) > 1:
                    m.AddAtMostOne(covering)

    # Day indicators.
    day_expr = []
    for k, d in enumerate(demands):
        days = collections.defaultdict(list)
        for i, c in enumerate(d["candidates"]):
            days[c["day"]].append(x[k][i])
        day_expr.append(days)

    # Team gaps and spacing.
    spacing_terms = []
    for tid, t in teams.items():
        mine = [k for k, d in enumerate(demands) if tid in d["teams"] and d["candidates"]]
        if not mine:
            continue
        gap = {k: demands[k]["rule_gap"].get(tid, 0) for k in mine}
        r0 = max(min(gap.values()), t["min_gap"])
        all_days = sorted({day for k in mine for day in day_expr[k]})
        if r0 > 1:
            for start in all_days:
                window = [v for k in mine for day, vs in day_expr[k].items() if start <= day < start + r0 for v in vs]
                if len(window) > 1:
                    m.Add(sum(window) <= 1)
        for a_, b_ in itertools.combinations(mine, 2):
            req = max(gap[a_], gap[b_], t["min_gap"])
            if req <= r0:
                continue
            for day, vs in day_expr[a_].items():
                near = [v for d2, v2 in day_expr[b_].items() if abs(d2 - day) < req for v in v2]
                if near:
                    m.Add(sum(vs) + sum(near) <= 1)
        n = len(mine)
        if n < 2:
            continue
        lo = min(all_days) - base
        hi = max(all_days) - base
        dv = {}
        for k in mine:
            dv[k] = m.NewIntVar(lo, hi, f"d{k}_{tid}")
            m.Add(dv[k] == sum((c["day"] - base) * v for c, v in zip(demands[k]["candidates"], x[k])))
        pos = [m.NewIntVar(lo, hi, f"p{tid}_{j}") for j in range(n)]
        b = {(k, j): m.NewBoolVar(f"b{k}_{j}") for k in mine for j in range(n)}
        for k in mine:
            m.AddExactlyOne(b[k, j] for j in range(n))
        for j in range(n):
            m.AddExactlyOne(b[k, j] for k in mine)
            for k in mine:
                m.Add(pos[j] == dv[k]).OnlyEnforceIf(b[k, j])
        ideal = t["ideal_gap"]
        for j in range(n - 1):
            m.Add(pos[j] <= pos[j + 1])
            e = m.NewIntVar(0, 400, f"e{tid}_{j}")
            m.Add(e >= pos[j + 1] - pos[j] - ideal)
            m.Add(e >= ideal - pos[j + 1] + pos[j])
            spacing_terms.append(e)
    objective += [w["spacing_per_day"] * e for e in spacing_terms]

    # Supervisors.
    load = collections.defaultdict(list)
    per_day = collections.defaultdict(list)
    per_week = collections.defaultdict(list)
    slots = collections.defaultdict(list)  # (sup, day) -> [(start, end, village, var)]
    any_rule = False
    for k, d in enumerate(demands):
        if d["supervisor"] == "none":
            continue
        any_rule = any_rule or d["supervisor"] == "any"
        eligible = list(sups) if d["supervisor"] == "any" else [d["supervisor"]]
        for i, c in enumerate(d["candidates"]):
            ys = []
            for s in eligible:
                if c["day"] in set(sups[s]["away_days"]):
                    continue
                y = m.NewBoolVar(f"y{k}_{i}_{s}")
                if d["uid"] in hinted:
                    day, start, sup = hinted[d["uid"]]
                    m.AddHint(y, c["day"] == day and c["start"] == start and sup == s)
                ys.append(y)
                load[s].append(y)
                per_day[(s, c["day"])].append(y)
                per_week[(s, (c["day"] + 3) // 7)].append(y)
                slots[(s, c["day"])].append((c["start"], c["end"], d.get("village"), y))
            m.Add(sum(ys) == x[k][i])
    for (s, _), ys in per_day.items():
        if len(ys) > sups[s]["max_per_day"]:
            m.Add(sum(ys) <= sups[s]["max_per_day"])
    for (s, _), ys in per_week.items():
        if len(ys) > sups[s]["max_per_week"]:
            m.Add(sum(ys) <= sups[s]["max_per_week"])
    for (s, day), items in slots.items():
        for start in {it[0] for it in items}:
            covering = [it[3] for it in items if it[0] <= start < it[1]]
            if len(covering) > 1:
                m.AddAtMostOne(covering)
        for (s1, e1, v1, y1), (s2, e2, v2, y2) in itertools.combinations(items, 2):
            overlap = s1 < e2 and s2 < e1
            if overlap:
                continue
            tr = travel_minutes(v1, v2)
            if s1 < e2 + tr and s2 < e1 + tr:
                m.AddBoolOr([y1.Not(), y2.Not()])
    if any_rule and len(sups) > 1 and w["supervisor_load"]:
        total = sum(len(v) for v in load.values()) + 1
        hi = m.NewIntVar(0, total, "maxload")
        lo = m.NewIntVar(0, total, "minload")
        for s in sups:
            ls = sum(load[s]) if load[s] else 0
            m.Add(hi >= ls)
            m.Add(lo <= ls)
        objective.append(w["supervisor_load"] * (hi - lo))

    m.Minimize(sum(objective) + w["unmet_demand"] * fixed_unmet)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = a.seconds
    solver.parameters.num_workers = a.workers
    solver.parameters.random_seed = 1
    started = time.perf_counter()
    status = solver.Solve(m)
    out = {"status": solver.StatusName(status), "seconds": round(time.perf_counter() - started, 2)}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out["objective"] = int(round(solver.ObjectiveValue()))
        out["bound"] = int(round(solver.BestObjectiveBound()))
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
