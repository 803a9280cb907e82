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

from synthetic_plan import write_plan

ROOT = pathlib.Path(__file__).resolve().parent.parent


def town(folder: pathlib.Path, villages: int) -> None:
    folder.mkdir(parents=True)
    write_plan(folder, "bench", "基准镇", villages, 2, holidays="../holidays/2027.yaml")
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


if __name__ == "__main__":
    main()
