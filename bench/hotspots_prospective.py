#!/usr/bin/env python3
"""A centre's daily prospective run, replayed on a synthetic city.

usage: bench/hotspots_prospective.py HOTLINE_BIN CITY_DB TRUTH_JSON [NULL_DB]
       [--days-back 90] [--first-days 7] [--null-runs 30] [--seed 1]

For every planted outbreak, each of its first `--first-days` days is taken
as "today": `hotline hotspots --method scan --prospective` looks at the
`--days-back` days up to it, as a morning run would. The outbreak counts as
detected on the first day a finding matches it (the matching rule of
bench/hotspots_score.py: at least 2 shared tickets, at least 20 % of the
finding's). Every finding of those runs is also checked against all planted
local excesses (outbreaks, recurring classes, same-incident groups).
With NULL_DB (a `--null-city` of the same preset), `--null-runs` days drawn
with `--seed` are run there: every finding is false.

Prints one line per outbreak, then detected / planted, the delay in days,
the share of findings that are real and the null city's findings.
"""
import argparse
import datetime
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hotspots_score import score  # noqa: E402


def run(binary, db, day, days_back):
    first = day - datetime.timedelta(days=days_back - 1)
    out = subprocess.run(
        [binary, "hotspots", "--db", db, "--method", "scan", "--prospective",
         "--from", first.isoformat(), "--to", day.isoformat(), "--json"],
        capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["hotspots"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("db")
    ap.add_argument("truth")
    ap.add_argument("null_db", nargs="?")
    ap.add_argument("--days-back", type=int, default=90)
    ap.add_argument("--first-days", type=int, default=7)
    ap.add_argument("--null-runs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    truth = json.load(open(a.truth))
    day = datetime.date.fromisoformat
    delays, findings, real = [], 0, 0
    for o in truth["outbreaks"]:
        start, end = day(o["start"]), day(o["end"])
        detected = None
        d = start
        while d <= min(end, start + datetime.timedelta(days=a.first_days - 1)):
            found = run(a.binary, a.db, d, a.days_back)
            findings += len(found)
            real += score(truth, found)["local"]
            one = {"outbreaks": [o]}
            if score(one, found)["outbreaks_found"]:
                detected = (d - start).days
                break
            d += datetime.timedelta(days=1)
        if detected is not None:
            delays.append(detected)
        print(f"{o['id']} {o['strength']:6} {o['extra_tickets']:3} extra tickets over "
              f"{(end - start).days + 1:2} days: "
              + (f"detected on day {detected + 1}" if detected is not None else "not detected"),
              flush=True)
    n = len(truth["outbreaks"])
    print(f"detected within the first {a.first_days} days: {len(delays)} / {n}; "
          f"on the first day: {sum(1 for x in delays if x == 0)}; "
          f"mean delay {sum(delays) / max(1, len(delays)):.2f} days")
    print(f"findings of these runs: {findings}, real (any planted local excess): {real}")
    if a.null_db:
        random.seed(a.seed)
        with_finding = total = 0
        days = sorted(random.sample(range(a.days_back, 365), a.null_runs))
        for k in days:
            d = datetime.date(2025, 1, 1) + datetime.timedelta(days=k)
            found = run(a.binary, a.null_db, d, a.days_back)
            total += len(found)
            with_finding += bool(found)
        print(f"null city: {len(days)} daily runs, {with_finding} with a finding, {total} findings")


if __name__ == "__main__":
    main()
