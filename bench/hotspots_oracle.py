#!/usr/bin/env python3
"""How detectable is each planted outbreak at all? An oracle test that is
told the outbreak's street(s), category and days in advance (no search).

usage: bench/hotspots_oracle.py truth.json tickets.csv [--level street|community]

The areas are streets (default) or communities (street + community name).
Street names are folded to one spelling (泰丰/泰丰区, 安河/安河街道/安河街道办事处).
For each outbreak: observed tickets of its category in the street(s) holding
at least 20 % of its tickets over its days, the expectation of the
space-time permutation model (the street's share of the category over the
whole period times the category's city-wide count in those days), and the
Poisson p-value P(X >= observed). A method that searches must beat the
number of windows it looks at: a scan over ~100 streets x 365 days x 14
window lengths needs p well below 1e-6 to stand out, so an outbreak whose
oracle p-value is above that cannot be found by any search over the year.
"""
import collections
import csv
import datetime
import json
import math
import sys


def poisson_sf(k, mu):
    """P(X >= k) for X ~ Poisson(mu), summed in log space."""
    if k <= 0:
        return 1.0
    total, term = 0.0, math.exp(-mu + k * math.log(mu) - math.lgamma(k + 1))
    i = k
    while term > 1e-300 * max(total, 1e-300) or i < k + 5:
        total += term
        i += 1
        term *= mu / i
        if i > k + 10000:
            break
    return min(1.0, total)


def fold_district(d):
    return d[:-1] if d.endswith(("区", "县")) and len(d) > 2 else d


def fold_street(s):
    for suf in ("街道办事处", "办事处", "街道"):
        if s.endswith(suf) and len(s) - len(suf) >= 2:
            return s[: -len(suf)]
    return s


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    level = "street"
    if "--level" in sys.argv:
        level = sys.argv[sys.argv.index("--level") + 1]
        args.remove(level)
    if level not in ("street", "community") or len(args) != 2:
        sys.exit("usage: hotspots_oracle.py truth.json tickets.csv [--level street|community]")
    truth = json.load(open(args[0], encoding="utf-8"))
    rows = []
    with open(args[1], encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        h = next(r)
        ix = {k: i for i, k in enumerate(h)}
        for row in r:
            day = row[ix["来电时间"]].replace("/", "-").split(" ")[0]
            y, m, d = map(int, day.split("-"))
            street = fold_street(row[ix["街道"]])
            if level == "community":
                # A community without a name is no area at this level.
                street = street + "/" + row[ix["社区"]] if row[ix["社区"]] else ""
            rows.append((row[ix["工单编号"]], row[ix["问题分类"]], fold_district(row[ix["所属区县"]]),
                         street, datetime.date(y, m, d)))
    by_id = {r[0]: r for r in rows}
    cat_area = collections.Counter((r[1], r[2], r[3]) for r in rows)
    cat_total = collections.Counter(r[1] for r in rows)
    cat_day = collections.Counter((r[1], r[4]) for r in rows)
    print("id     strength extra days radius observed expected oracle_p")
    for o in truth["outbreaks"]:
        c = o["category"]
        s, e = datetime.date.fromisoformat(o["start"]), datetime.date.fromisoformat(o["end"])
        ob = [by_id[t] for t in o["ticket_ids"] if t in by_id]
        areas = collections.Counter((r[2], r[3]) for r in ob if r[1] == c and r[3])
        main_areas = [a for a, k in areas.items() if k >= 0.2 * len(ob)] or [a for a, _ in areas.most_common(1)]
        ndays = (e - s).days + 1
        window = sum(cat_day[(c, s + datetime.timedelta(i))] for i in range(ndays))
        share = sum(cat_area[(c,) + a] for a in main_areas) / cat_total[c]
        observed = sum(1 for r in rows if r[1] == c and (r[2], r[3]) in main_areas and s <= r[4] <= e)
        expected = share * window
        print(f"{o['id']:6} {o['strength']:8} {o['extra_tickets']:5} {ndays:4} {o['radius_m']:6} "
              f"{observed:8} {expected:8.2f} {poisson_sf(observed, expected):8.1e}")


if __name__ == "__main__":
    main()
