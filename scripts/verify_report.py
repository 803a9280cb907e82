"""Opens the attendance workbook with openpyxl and checks the cells a town official would read."""
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
problems = []


def expect(cond, what):
    if not cond:
        problems.append(what)


# The summary sheet first; per-team matrices follow the three tables when the town has > 40 sessions.
expect(wb.sheetnames[:4] == ["汇总", "出勤矩阵", "活动出勤", "队伍"], f"sheets {wb.sheetnames}")
m_header = [c.value for c in wb["出勤矩阵"][1]]
expect(len(set(m_header)) == len(m_header), "duplicate matrix headers")
expect(wb["出勤矩阵"].freeze_panes == "C2", f"frozen panes {wb['出勤矩阵'].freeze_panes}")
m = wb["出勤矩阵"]
header = [c.value for c in m[1]]
expect(header[:3] == ["编号", "姓名", "队伍"], f"matrix header {header[:3]}")
col = next((i for i, h in enumerate(header) if h and "防汛转移撤离" in h), None)
expect(col is not None, "matrix has no column for the flood drill")
rows = {r[0].value: [c.value for c in r] for r in m.iter_rows(min_row=2)}
if col is not None:
    expect(rows.get("m048", [None] * 99)[col] == "到场", f"m048 {rows.get('m048')}")
    expect(rows.get("m058", [None] * 99)[col] == "缺勤", f"m058 {rows.get('m058')}")
    rate = header.index("出勤率")
    expect(rows["m048"][rate] == 1, f"m048 rate {rows['m048'][rate]}")
    expect(rows["m058"][rate] == 0 and rows["m058"][header.index("低于阈值")] == "是", f"m058 {rows['m058']}")
s = wb["活动出勤"]
sh = [c.value for c in s[1]]
drill = [[c.value for c in r] for r in s.iter_rows(min_row=2) if r[3].value == "下坪村应急救援队" and "防汛" in str(r[1].value)]
expect(len(drill) == 1 and drill[0][sh.index("实到")] == 9 and drill[0][sh.index("最低到场")] == 10, f"drill row {drill}")
t = wb["队伍"]
longtan = [[c.value for c in r] for r in t.iter_rows(min_row=2) if r[0].value == "龙潭村应急救援队"]
expect(len(longtan) == 1 and longtan[0][2] == 9 and "未达标" in str(longtan[0][-1]), f"longtan {longtan}")

for p in problems:
    print("  " + p)
print(f"openpyxl: {'ok' if not problems else 'FAILED'} (sheets {', '.join(wb.sheetnames)}; flood drill 9/10 below minimum)")
sys.exit(1 if problems else 0)
