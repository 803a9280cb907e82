"""The plan.yaml of a synthetic benchmark town, shared by scripts/bench_town.py and scripts/bench_province.py.

A town team (minimum 30) and one village team per village, a supervisor per three villages, a monthly town
training, village trainings, a pre-flood live drill per village (supervised, weekends) and a forest-fire
tabletop per village in November-December, with the 双抢 harvest blackout for village teams.
"""
import pathlib


def plan_yaml(town_id: str, town_name: str, villages: int, trainings_per_half_year: int, holidays: str = "") -> str:
    sup = max(3, villages // 3)
    lines = [
        f"town: {{id: {town_id}, name: {town_name}, station: {town_name}应急站}}",
        "year: 2027",
    ]
    if holidays:
        lines.append(f"holidays: {holidays}")
    lines += [
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
        f"  - {{id: vtrain, name: 村队训练, kind: training, teams: [level:village], every: {trainings_per_half_year} per half-year, times: ['14:30', '19:30'], venue: own-village}}",
        "  - {id: flood, name: 防汛演练, kind: drill, form: live, scope: comprehensive, teams: [level:village], every: 1 per year, season: pre_flood, weekdays: [SA, SU], times: ['09:00', '14:30'], duration: 180, venue: own-village, supervisor: required, min_gap_days: 3}",
        "  - {id: fire, name: 森林防火桌面演练, kind: drill, form: tabletop, scope: single, teams: [level:village], every: 1 per year, window: {from: 11-01, to: 12-15}, times: ['14:30', '19:30'], venue: own-village}",
    ]
    return "\n".join(lines) + "\n"


def write_plan(folder: pathlib.Path, *args, **kwargs) -> None:
    (folder / "plan.yaml").write_text(plan_yaml(*args, **kwargs), encoding="utf-8")
