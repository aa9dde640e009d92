#!/usr/bin/env python3
"""Writes china_holidays.csv and the Swift table in
Sources/HotlineCore/HolidayCalendar.swift from the notices transcribed below.

Each holiday is the 放假 range exactly as the State Council notice words it
("X月X日至X月X日放假调休" -> that range; "X日放假，与周末连休" -> that day only),
and each 上班 day it names becomes a makeup_workday. 2027: the notice was not
known when this table was made; its rows are only the statutory days of the
2024 revision of 《全国年节及纪念日放假办法》 (no 调休), marked provisional.

Usage: python3 datasets/calendar/make_calendar.py   (from the repository root)
"""
import datetime as dt
import os
import re

N = "国务院办公厅关于{y}年部分节假日安排的通知"
# (holiday name, first day, last day, [make-up workdays], source, provisional)
H = [
    ("元旦", "2018-12-30", "2019-01-01", ["2018-12-29"], N.format(y=2019), False),
    ("春节", "2019-02-04", "2019-02-10", ["2019-02-02", "2019-02-03"], N.format(y=2019), False),
    ("清明节", "2019-04-05", "2019-04-05", [], N.format(y=2019), False),
    ("劳动节", "2019-05-01", "2019-05-04", ["2019-04-28", "2019-05-05"], "国务院办公厅关于调整2019年劳动节假期安排的通知", False),
    ("端午节", "2019-06-07", "2019-06-07", [], N.format(y=2019), False),
    ("中秋节", "2019-09-13", "2019-09-13", [], N.format(y=2019), False),
    ("国庆节", "2019-10-01", "2019-10-07", ["2019-09-29", "2019-10-12"], N.format(y=2019), False),

    ("元旦", "2020-01-01", "2020-01-01", [], N.format(y=2020), False),
    # 1月24日至30日放假, 1月19日、2月1日上班; extended to 2月2日 (the 2月1日 workday lapsed).
    ("春节", "2020-01-24", "2020-02-02", ["2020-01-19"], N.format(y=2020) + "；国务院办公厅关于延长2020年春节假期的通知", False),
    ("清明节", "2020-04-04", "2020-04-06", [], N.format(y=2020), False),
    ("劳动节", "2020-05-01", "2020-05-05", ["2020-04-26", "2020-05-09"], N.format(y=2020), False),
    ("端午节", "2020-06-25", "2020-06-27", ["2020-06-28"], N.format(y=2020), False),
    ("国庆节", "2020-10-01", "2020-10-08", ["2020-09-27", "2020-10-10"], N.format(y=2020), False),  # 国庆节、中秋节

    ("元旦", "2021-01-01", "2021-01-03", [], N.format(y=2021), False),
    ("春节", "2021-02-11", "2021-02-17", ["2021-02-07", "2021-02-20"], N.format(y=2021), False),
    ("清明节", "2021-04-03", "2021-04-05", [], N.format(y=2021), False),
    ("劳动节", "2021-05-01", "2021-05-05", ["2021-04-25", "2021-05-08"], N.format(y=2021), False),
    ("端午节", "2021-06-12", "2021-06-14", [], N.format(y=2021), False),
    ("中秋节", "2021-09-19", "2021-09-21", ["2021-09-18"], N.format(y=2021), False),
    ("国庆节", "2021-10-01", "2021-10-07", ["2021-09-26", "2021-10-09"], N.format(y=2021), False),

    ("元旦", "2022-01-01", "2022-01-03", [], N.format(y=2022), False),
    ("春节", "2022-01-31", "2022-02-06", ["2022-01-29", "2022-01-30"], N.format(y=2022), False),
    ("清明节", "2022-04-03", "2022-04-05", ["2022-04-02"], N.format(y=2022), False),
    ("劳动节", "2022-04-30", "2022-05-04", ["2022-04-24", "2022-05-07"], N.format(y=2022), False),
    ("端午节", "2022-06-03", "2022-06-05", [], N.format(y=2022), False),
    ("中秋节", "2022-09-10", "2022-09-12", [], N.format(y=2022), False),
    ("国庆节", "2022-10-01", "2022-10-07", ["2022-10-08", "2022-10-09"], N.format(y=2022), False),

    ("元旦", "2022-12-31", "2023-01-02", [], N.format(y=2023), False),
    ("春节", "2023-01-21", "2023-01-27", ["2023-01-28", "2023-01-29"], N.format(y=2023), False),
    ("清明节", "2023-04-05", "2023-04-05", [], N.format(y=2023), False),
    ("劳动节", "2023-04-29", "2023-05-03", ["2023-04-23", "2023-05-06"], N.format(y=2023), False),
    ("端午节", "2023-06-22", "2023-06-24", ["2023-06-25"], N.format(y=2023), False),
    ("国庆节", "2023-09-29", "2023-10-06", ["2023-10-07", "2023-10-08"], N.format(y=2023), False),  # 中秋节、国庆节

    ("元旦", "2024-01-01", "2024-01-01", [], N.format(y=2024), False),
    ("春节", "2024-02-10", "2024-02-17", ["2024-02-04", "2024-02-18"], N.format(y=2024), False),
    ("清明节", "2024-04-04", "2024-04-06", ["2024-04-07"], N.format(y=2024), False),
    ("劳动节", "2024-05-01", "2024-05-05", ["2024-04-28", "2024-05-11"], N.format(y=2024), False),
    ("端午节", "2024-06-10", "2024-06-10", [], N.format(y=2024), False),
    ("中秋节", "2024-09-15", "2024-09-17", ["2024-09-14"], N.format(y=2024), False),
    ("国庆节", "2024-10-01", "2024-10-07", ["2024-09-29", "2024-10-12"], N.format(y=2024), False),

    ("元旦", "2025-01-01", "2025-01-01", [], N.format(y=2025), False),
    ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"], N.format(y=2025), False),
    ("清明节", "2025-04-04", "2025-04-06", [], N.format(y=2025), False),
    ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"], N.format(y=2025), False),
    ("端午节", "2025-05-31", "2025-06-02", [], N.format(y=2025), False),
    ("国庆节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"], N.format(y=2025), False),  # 国庆节、中秋节

    ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"], N.format(y=2026), False),
    ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"], N.format(y=2026), False),
    ("清明节", "2026-04-04", "2026-04-06", [], N.format(y=2026), False),
    ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"], N.format(y=2026), False),
    ("端午节", "2026-06-19", "2026-06-21", [], N.format(y=2026), False),
    ("中秋节", "2026-09-25", "2026-09-27", [], N.format(y=2026), False),
    ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"], N.format(y=2026), False),

    # 2027: statutory days only (除夕 2027-02-05; 初一 02-06; 清明 04-05; 端午 06-09; 中秋 09-15).
    ("元旦", "2027-01-01", "2027-01-01", [], "provisional: 全国年节及纪念日放假办法 (2024)", True),
    ("春节", "2027-02-05", "2027-02-08", [], "provisional: 全国年节及纪念日放假办法 (2024)", True),
    ("清明节", "2027-04-05", "2027-04-05", [], "provisional: 全国年节及纪念日放假办法 (2024)", True),
    ("劳动节", "2027-05-01", "2027-05-02", [], "provisional: 全国年节及纪念日放假办法 (2024)", True),
    ("端午节", "2027-06-09", "2027-06-09", [], "provisional: 全国年节及纪念日放假办法 (2024)", True),
    ("中秋节", "2027-09-15", "2027-09-15", [], "provisional: 全国年节及纪念日放假办法 (2024)", True),
    ("国庆节", "2027-10-01", "2027-10-03", [], "provisional: 全国年节及纪念日放假办法 (2024)", True),
]

def d(s):
    return dt.date.fromisoformat(s)

rows = []
for name, a, b, work, src, prov in H:
    day = d(a)
    while day <= d(b):
        rows.append((day, "holiday", name, src, prov))
        day += dt.timedelta(days=1)
    for w in work:
        assert d(w).weekday() >= 5, (name, w, "make-up workday must be a weekend day")
        rows.append((d(w), "makeup_workday", name, src, prov))
rows.sort()
assert len({r[0] for r in rows}) == len(rows), "duplicate day"

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
with open(os.path.join(here, "china_holidays.csv"), "w", encoding="utf-8", newline="\n") as f:
    f.write("date,kind,name,weekday,provisional,source\n")
    for day, kind, name, src, prov in rows:
        f.write(f"{day.isoformat()},{kind},{name},{day.isoweekday()},{'yes' if prov else 'no'},{src}\n")

swift_path = os.path.join(root, "Sources", "HotlineCore", "HolidayCalendar.swift")
text = open(swift_path, encoding="utf-8").read()
body = "\n".join(f'    ("{day.isoformat()}", {"h" if kind == "holiday" else "w"}, "{name}"),' for day, kind, name, _, _ in rows)
begin, end = "  // BEGIN GENERATED (datasets/calendar/make_calendar.py)\n", "  // END GENERATED\n"
new = begin + "  static let chinaRows: [(String, DayKind, String)] = [\n" + body + "\n  ]\n" + end
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: new, text, flags=re.S)
open(swift_path, "w", encoding="utf-8").write(text)
print(f"{len(rows)} rows")
