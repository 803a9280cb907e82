#!/usr/bin/env python3
"""Fills in a sign-in sheet workbook (`drillcal sheet --format xlsx`) the way a clerk would in
Excel, with an independent XLSX library (Debian's python3-openpyxl), for the round-trip test.

Usage: fill_signin_xlsx.py IN.xlsx OUT.xlsx STATUS:REASON ...
The Nth STATUS:REASON goes to the Nth person's row (出勤 / 原因); rows after them stay blank.
Prints the header row and each filled row's member id (编号) as tab-separated lines.
"""
import sys

import openpyxl


def main() -> int:
    src, dst, fills = sys.argv[1], sys.argv[2], sys.argv[3:]
    book = openpyxl.load_workbook(src)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    print("\t".join("" if h is None else str(h) for h in header))
    status = header.index("出勤") + 1
    reason = header.index("原因") + 1
    member = header.index("编号") + 1
    for i, fill in enumerate(fills):
        row = i + 2
        st, _, why = fill.partition(":")
        sheet.cell(row=row, column=status, value=st)
        if why:
            sheet.cell(row=row, column=reason, value=why)
        print(sheet.cell(row=row, column=member).value)
    book.save(dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
