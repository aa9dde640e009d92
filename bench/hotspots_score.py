#!/usr/bin/env python3
"""Score `hotline hotspots --json` against a synthetic city's truth.json.

usage: bench/hotspots_score.py truth.json hotspots.json

A finding matches a planted item when they share at least 2 tickets and
those make at least 20 % of the finding's tickets. Prints:
- recall: share of planted local outbreaks matched by a finding;
- precision (strict): share of findings that match a planted outbreak;
- precision (local truth): share that match an outbreak, a recurring class
  or a same-incident group (all planted local space-time excesses);
- seasonal: findings in a seasonal category during its rise that match no
  planted local item (city-wide rises reported as local; goal 0).
"""
import json
import sys


def main():
    truth = json.load(open(sys.argv[1]))
    found = json.load(open(sys.argv[2]))["hotspots"]
    outbreaks = [(o["id"], set(o["ticket_ids"]), o) for o in truth["outbreaks"]]
    local = outbreaks + [(r["id"], set(r["ticket_ids"]), r) for r in truth.get("recurring_classes", [])]
    local += [(i["id"], set(i["ticket_ids"]), i) for i in truth.get("incidents", [])]

    def matches(f, items):
        ids = set(f["ticket_ids"])
        out = []
        for key, tids, _ in items:
            k = len(ids & tids)
            if k >= 2 and k >= 0.2 * len(ids):
                out.append(key)
        return out

    hit_outbreaks = set()
    strict = inclusive = 0
    seasonal_false = []
    by_method = {}
    for f in found:
        m = matches(f, outbreaks)
        hit_outbreaks.update(m)
        strict += bool(m)
        ml = matches(f, local)
        inclusive += bool(ml)
        key = "+".join(f.get("methods", [f["method"]]))
        s = by_method.setdefault(key, [0, 0])
        s[0] += 1
        s[1] += bool(ml)
        if not ml:
            for s in truth.get("seasonal", []):
                cats = s["category"].split(";")
                if f["category"] in cats and f["start"] <= s["end"] and f["end"] >= s["start"]:
                    seasonal_false.append(f["id"])
                    break
    n = len(found)
    missed = [o["id"] + " " + o["strength"] + " " + str(o["extra_tickets"]) for k, _, o in outbreaks if k not in hit_outbreaks]
    print(f"findings: {n}")
    print(f"recall (planted outbreaks found): {len(hit_outbreaks)}/{len(outbreaks)} = {len(hit_outbreaks) / max(1, len(outbreaks)):.3f}")
    print(f"precision (strict, outbreaks only): {strict}/{n} = {strict / max(1, n):.3f}")
    print(f"precision (any planted local excess): {inclusive}/{n} = {inclusive / max(1, n):.3f}")
    print(f"seasonal rises reported as local: {len(seasonal_false)}")
    print("by methods (findings, real):", by_method)
    print("missed:", ", ".join(missed))


if __name__ == "__main__":
    main()
