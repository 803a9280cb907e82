"""Generates synthetic towns of growing size and measures `drillcal build` on each (time, peak memory).

Usage: python3 scripts/bench_town.py BIN [VILLAGES ...]
Each village adds a 14-member team and its rules; supervisors grow with villages (one per three),
so the work per session stays the same and the figures show how cost grows with size.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def town(folder: pathlib.Path, villages: int) -> None:
    folder.mkdir(parents=True)
    sup = max(3, villages // 3)
    lines = [
        "town: {id: bench, name: 基准镇, station: 基准镇应急站}",
        "year: 2027",
        "holidays: ../holidays/2027.yaml",
        "defaults: {min_gap_days: 7, travel_minutes: 30}",
        "seasons:",
        "  - {id: pre_flood, name: 汛前, from: 03-01, to: 04-30}",
        "blackouts:",
        "  - {id: double_rush, name: 双抢, from: 07-15, to: 08-10, teams: [level:village]}",
        "villages:",
    ]
    lines += [f"  - {{id: v{i}, name: 村{i}, grids: [v{i}-1]}}" for i in range(villages)]
    lines += ["venues:", "  - {id: hall, name: 镇会议室, capacity: 500}"]
    lines += [f"  - {{id: h{i}, name: 村委会{i}, village: v{i}, capacity: 40}}" for i in range(villages)]
    lines += ["supervisors:"] + [f"  - {{id: s{i}, name: 督导{i}, max_per_day: 2, max_per_week: 5}}" for i in range(sup)]
    lines += ["teams:", "  - {id: town, name: 镇综合队, level: town, minimum: 30}"]
    lines += [f"  - {{id: t{i}, name: 村{i}应急救援队, level: village, village: v{i}}}" for i in range(villages)]
    lines += [
        "rules:",
        "  - {id: monthly, name: 镇队月训, kind: training, teams: [town], rrule: FREQ=MONTHLY;BYDAY=2SA, venue: hall, supervisor: required}",
        "  - {id: vtrain, name: 村队训练, kind: training, teams: [level:village], every: 2 per half-year, times: ['14:30', '19:30'], venue: own-village}",
        "  - {id: flood, name: 防汛演练, kind: drill, form: live, scope: comprehensive, teams: [level:village], every: 1 per year, season: pre_flood, weekdays: [SA, SU], times: ['09:00', '14:30'], duration: 180, venue: own-village, supervisor: required, min_gap_days: 3}",
        "  - {id: fire, name: 森林防火桌面演练, kind: drill, form: tabletop, scope: single, teams: [level:village], every: 1 per year, window: {from: 11-01, to: 12-15}, times: ['14:30', '19:30'], venue: own-village}",
    ]
    (folder / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["id,name,phone,teams,roles,village,grid,unavailable"]
    for i in range(32):
        rows.append(f"c{i},镇队员{i},1380000{i:04d},town,militia,,,")
    for v in range(villages):
        for k in range(14):
            role = "emergency_manager;labourer" if k == 0 else "labourer"
            away = "2027-03-01..2027-10-31 外出务工" if k == 13 else ""
            rows.append(f"v{v}m{k},村{v}队员{k},1390000{k:04d},t{v},{role},v{v},{'v%d-1' % v if k == 0 else ''},{away}")
    (folder / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def run(bin_path: str, folder: pathlib.Path):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execv(bin_path, [bin_path, "build", str(folder), "--allow-partial", "--now", "2026-11-29T00:00:00Z"])
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"drillcal build failed on {folder}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    bin_path = sys.argv[1]
    sizes = [int(a) for a in sys.argv[2:]] or [10, 20, 40, 80, 160]
    work = pathlib.Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "calendars" / "holidays", work / "holidays")
    print(f"{'villages':>8} {'members':>8} {'sessions':>9} {'feeds':>6} {'seconds':>8} {'ms/session':>11} {'peak MiB':>9}")
    for n in sizes:
        folder = work / f"town{n}"
        town(folder, n)
        best = None
        for _ in range(3):
            elapsed, rss = run(bin_path, folder)
            best = (elapsed, rss) if best is None or elapsed < best[0] else best
        out = subprocess.run([bin_path, "build", str(folder), "--json", "--allow-partial", "--now", "2026-11-29T00:00:00Z"],
                             capture_output=True, text=True, check=True).stdout
        import json
        report = json.loads(out)
        sessions = len(report["sessions"])
        unmet = len(report["unmet"])
        feeds = len(report["feeds"])
        members = 32 + 14 * n
        print(f"{n:>8} {members:>8} {sessions:>9} {feeds:>6} {best[0]:>8.2f} {1000 * best[0] / sessions:>11.2f} {best[1]:>9.1f}" + (f"  ({unmet} unmet)" if unmet else ""))
    shutil.rmtree(work)


main()
