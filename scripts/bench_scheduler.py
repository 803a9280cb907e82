"""Scheduler quality benchmark: generated towns of 8-30 villages at several tightness levels.

Usage: python3 scripts/bench_scheduler.py BIN [--cpsat-seconds S] [--sizes 8,12,...] [--levels loose,tight]

For each town it runs `drillcal build --json` (greedy score, optimised score, lower bound, seconds) and,
unless --cpsat-seconds is 0, the independent OR-Tools CP-SAT model (scripts/cpsat_model.py) on the
problem drillcal exports with --export-model, and prints drillcal's gap to CP-SAT's best.
"""
import argparse
import json
import pathlib
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

LEVELS = {
    # away: share of members away for a stretch; narrow: narrow windows; busy: supervisor limits/absences;
    # joint: a joint drill of the town team with village teams.
    "loose": dict(away=0.03, narrow=False, busy=False, joint=False, blackout=False),
    "medium": dict(away=0.08, narrow=False, busy=True, joint=True, blackout=True),
    "tight": dict(away=0.15, narrow=True, busy=True, joint=True, blackout=True),
}


def town(folder: pathlib.Path, villages: int, level: str, seed: int) -> None:
    cfg = LEVELS[level]
    rng = random.Random(f"{villages}-{level}-{seed}")
    folder.mkdir(parents=True)
    sup = max(3, villages // 4)
    lines = [
        "town: {id: bench, name: 基准镇, station: 基准镇应急站}",
        "year: 2027",
        f"holidays: {ROOT / 'calendars' / 'holidays' / '2027.yaml'}",
        "defaults: {min_gap_days: 7, travel_minutes: 40}",
        "seasons:",
        "  - {id: flood, name: 主汛期, from: " + ("05-01, to: 06-15}" if cfg["narrow"] else "04-01, to: 09-30}"),
        "  - {id: pre_flood, name: 汛前, from: 03-01, to: 04-30}",
        "blackouts:",
    ]
    if cfg["blackout"]:
        lines += ["  - {id: double_rush, name: 双抢, from: 07-15, to: 08-10, teams: [level:village]}",
                  "  - {id: harvest, name: 秋收, from: 10-05, to: 10-20, teams: [level:village]}"]
    else:
        lines[-1] = "blackouts: []"
    lines += ["villages:"] + [f"  - {{id: v{i}, name: 村{i}, grids: [v{i}-1]}}" for i in range(villages)]
    lines += ["venues:", "  - {id: hall, name: 镇会议室, capacity: 500}"]
    lines += [f"  - {{id: h{i}, name: 村委会{i}, village: v{i}, capacity: 40}}" for i in range(villages)]
    lines += ["supervisors:"]
    for i in range(sup):
        per_week = rng.choice([2, 3]) if cfg["busy"] else 4
        away = ""
        if cfg["busy"] and i % 2 == 0:
            m = rng.randint(3, 10)
            away = f", away: ['2027-{m:02d}-01..2027-{m:02d}-14 县里培训']"
        lines.append(f"  - {{id: s{i}, name: 督导{i}, max_per_day: 2, max_per_week: {per_week}{away}}}")
    lines += ["teams:", "  - {id: town, name: 镇综合队, level: town, minimum: 20}"]
    lines += [f"  - {{id: t{i}, name: 村{i}应急救援队, level: village, village: v{i}, minimum: 10}}" for i in range(villages)]
    fire_window = "{from: 11-01, to: 11-30}" if cfg["narrow"] else "{from: 10-21, to: 12-20}"
    lines += [
        "rules:",
        "  - {id: monthly, name: 镇队月训, kind: training, teams: [town], rrule: FREQ=MONTHLY;BYDAY=2SA, weekdays: [SA, SU], venue: hall, supervisor: required}",
        "  - {id: vtrain, name: 村队训练, kind: training, teams: [level:village], every: 1 per quarter, weekdays: [SA, SU], times: ['14:30', '19:30'], venue: own-village}",
        "  - {id: flood, name: 防汛演练, kind: drill, form: live, scope: comprehensive, teams: [level:village], every: 1 per year, season: flood, only_days: restday, times: ['09:00', '14:30'], duration: 180, venue: own-village, supervisor: required, min_gap_days: 10}",
        "  - {id: pre, name: 汛前桌面推演, kind: drill, form: tabletop, scope: single, teams: [level:village], every: 1 per year, season: pre_flood, weekdays: [SA], times: ['19:30', '14:30'], venue: own-village}",
        f"  - {{id: fire, name: 森林防火演练, kind: drill, form: live, scope: single, teams: [level:village], every: 1 per year, window: {fire_window}, only_weekdays: [SA, SU], times: ['09:00', '14:30'], venue: own-village, supervisor: required}}",
    ]
    if cfg["joint"]:
        picked = sorted(rng.sample(range(villages), min(3, villages)))
        sel = ", ".join(["town"] + [f"t{i}" for i in picked])
        lines.append(f"  - {{id: joint, name: 联合演练, kind: drill, form: live, scope: comprehensive, teams: [{sel}], joint: true, every: 1 per year, anchor: {{date: 05-12, before: 7, after: 7}}, weekdays: [SA], venue: hall, supervisor: required}}")
    (folder / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    rows = ["id,name,phone,teams,roles,village,grid,unavailable"]
    for i in range(24):
        # a few town members also serve on a village team (members on two teams collide across sessions)
        teams = "town" if i >= 4 or villages == 0 else f"town;t{i % villages}"
        rows.append(f"c{i},镇队员{i},1380000{i:04d},{teams},militia,,,")
    for v in range(villages):
        for k in range(11):
            role = "emergency_manager;labourer" if k == 0 else "labourer"
            away = ""
            if rng.random() < cfg["away"] * 3:
                m = rng.randint(2, 11)
                span = rng.choice([14, 30, 60])
                start = f"2027-{m:02d}-{rng.randint(1, 20):02d}"
                end_day = min(28, rng.randint(1, 28))
                end_m = min(12, m + span // 30)
                away = f"{start}..2027-{end_m:02d}-{end_day:02d} 外出务工" if (end_m, end_day) > (m, int(start[-2:])) else ""
            rows.append(f"v{v}m{k},村{v}队员{k},1390{v:03d}{k:04d},t{v},{role},v{v},{'v%d-1' % v if k == 0 else ''},{away}")
    (folder / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def drillcal(bin_path: str, folder: pathlib.Path, model: pathlib.Path, time_limit: float):
    start = time.perf_counter()
    args = [bin_path, "build", str(folder), "--json", "--allow-partial", "--now", "2026-11-29T00:00:00Z",
            "--export-model", str(model)]
    if time_limit > 0:
        args += ["--time-limit", str(time_limit)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(args, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"drillcal build failed on {folder}: {proc.stderr}")
    # CPU seconds of the whole build process (user + system): unlike wall time, barely moved by other load.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(proc.stdout), time.perf_counter() - start, cpu


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("bin")
    p.add_argument("--python", default=sys.executable, help="python with ortools for the CP-SAT model")
    p.add_argument("--cpsat-seconds", type=float, default=60)
    p.add_argument("--sizes", default="8,12,16,20,25,30")
    p.add_argument("--levels", default="loose,medium,tight")
    p.add_argument("--time-limit", type=float, default=0,
                   help="cap drillcal's search by the clock (default 0: none, the move budget decides, as in build)")
    p.add_argument("--cpsat-hint", action="store_true",
                   help="start CP-SAT from drillcal's schedule (a solution hint): can it improve on it in the time?")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table (for the README)")
    p.add_argument("--keep", help="keep the generated towns in this folder")
    a = p.parse_args()
    work = pathlib.Path(a.keep or tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    head = f"{'villages':>8} {'level':>6} {'sessions':>8} {'unmet':>5} {'min':>4} {'greedy':>7} {'drillcal':>8} {'bound':>6} {'gap%':>5} {'seconds':>7} {'cpu s':>6}"
    if a.cpsat_seconds > 0:
        head += f" {'cp-sat':>7} {'cp-sat status':>13} {'vs cp-sat %':>11}"
    if a.markdown:
        cols = ["villages", "level", "sessions", "unmet", "proven min unmet", "greedy", "drillcal", "bound", "gap %", "seconds", "build CPU s"]
        if a.cpsat_seconds > 0:
            cols += [f"CP-SAT {a.cpsat_seconds:g} s", "CP-SAT status", "vs CP-SAT %"]
        head = "| " + " | ".join(cols) + " |\n|" + "---:|" * len(cols)
    print(head, flush=True)
    for n in [int(x) for x in a.sizes.split(",")]:
        for level in a.levels.split(","):
            folder = work / f"town{n}-{level}"
            if folder.exists():
                shutil.rmtree(folder)
            town(folder, n, level, 1)
            model = folder / "model.json"
            report, elapsed, cpu = drillcal(a.bin, folder, model, a.time_limit)
            (folder / "build.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
            s = report["score"]
            cells = [n, level, len(report['sessions']), len(report['unmet']), s.get('minimumUnmet', 0), s['greedy'], s['score'],
                     s['lowerBound'], s['gapPercent'], f"{s['seconds']:.2f}", f"{cpu:.2f}"]
            line = (f"{n:>8} {level:>6} {len(report['sessions']):>8} {len(report['unmet']):>5} "
                    f"{s.get('minimumUnmet', 0):>4} {s['greedy']:>7} "
                    f"{s['score']:>8} {s['lowerBound']:>6} {s['gapPercent']:>5} {s['seconds']:>7.2f} {cpu:>6.2f}")
            if a.cpsat_seconds > 0:
                proc = subprocess.run([a.python, str(ROOT / "scripts" / "cpsat_model.py"), str(model),
                                       "--seconds", str(a.cpsat_seconds)]
                                      + (["--hint", str(folder / "build.json")] if a.cpsat_hint else []), capture_output=True, text=True)
                if proc.returncode != 0:
                    sys.exit(f"cp-sat failed: {proc.stderr}")
                cp = json.loads(proc.stdout)
                best = cp.get("objective")
                if best is None:
                    line += f" {'-':>7} {cp['status']:>13} {'-':>11}"
                    cells += ["-", cp["status"], "-"]
                else:
                    vs = 100.0 * (s["score"] - best) / best if best > 0 else (0.0 if s["score"] == 0 else float("inf"))
                    line += f" {best:>7} {cp['status']:>13} {vs:>11.1f}"
                    cells += [best, cp["status"], f"{vs:.1f}"]
            if a.markdown:
                line = "| " + " | ".join(str(c) for c in cells) + " |"
            print(line, flush=True)
    if not a.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
