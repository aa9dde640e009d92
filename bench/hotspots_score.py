#!/usr/bin/env python3
"""Score `hotline hotspots --json` against a synthetic city's truth.json.

usage: bench/hotspots_score.py truth.json hotspots.json [FIRST_DAY LAST_DAY]

A finding matches a planted item when they share at least 2 tickets and
those make at least 20 % of the finding's tickets. Prints:
- recall: share of planted local outbreaks matched by a finding;
- precision (strict): share of findings that match a planted outbreak;
- precision (local truth): share that match an outbreak, a recurring class
  or a same-incident group (all planted local space-time excesses);
- seasonal: findings in a seasonal category during its rise that match no
  planted local item (city-wide rises reported as local; goal 0).

With FIRST_DAY and LAST_DAY (YYYY-MM-DD; the days the run looked at, e.g.
`hotline analyze --hotspot-days N`), recall counts only the planted
outbreaks that overlap those days. `score()` is shared with
bench/peer_pipeline.py, which scores the Python peer's findings with it.
"""
import json
import sys


def score(truth, found, window=None):
    """found: list of findings with ticket_ids, category, start, end (and
    method/methods); window: (first, last) ISO dates or None."""
    outbreaks = [(o["id"], set(o["ticket_ids"]), o) for o in truth["outbreaks"]
                 if window is None or (o["start"] <= window[1] and o["end"] >= window[0])]
    local = [(o["id"], set(o["ticket_ids"]), o) for o in truth["outbreaks"]]
    local += [(r["id"], set(r["ticket_ids"]), r) for r in truth.get("recurring_classes", [])]
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
        key = "+".join(f.get("methods", [f.get("method", "?")]))
        s = by_method.setdefault(key, [0, 0])
        s[0] += 1
        s[1] += bool(ml)
        if not ml:
            for s in truth.get("seasonal", []):
                cats = s["category"].split(";")
                if f["category"] in cats and f["start"] <= s["end"] and f["end"] >= s["start"]:
                    seasonal_false.append(f["id"])
                    break
    return {
        "findings": len(found),
        "outbreaks": len(outbreaks),
        "outbreaks_found": len(hit_outbreaks),
        "recall": len(hit_outbreaks) / max(1, len(outbreaks)),
        "strict": strict,
        "precision_strict": strict / max(1, len(found)),
        "local": inclusive,
        "precision_local": inclusive / max(1, len(found)),
        "seasonal_false": seasonal_false,
        "by_method": by_method,
        "missed": [o["id"] + " " + o["strength"] + " " + str(o["extra_tickets"])
                   for k, _, o in outbreaks if k not in hit_outbreaks],
    }


def main():
    truth = json.load(open(sys.argv[1]))
    found = json.load(open(sys.argv[2]))["hotspots"]
    window = (sys.argv[3], sys.argv[4]) if len(sys.argv) >= 5 else None
    r = score(truth, found, window)
    n = r["findings"]
    print(f"findings: {n}")
    print(f"recall (planted outbreaks found): {r['outbreaks_found']}/{r['outbreaks']} = {r['recall']:.3f}")
    print(f"precision (strict, outbreaks only): {r['strict']}/{n} = {r['precision_strict']:.3f}")
    print(f"precision (any planted local excess): {r['local']}/{n} = {r['precision_local']:.3f}")
    print(f"seasonal rises reported as local: {len(r['seasonal_false'])}")
    print("by methods (findings, real):", r["by_method"])
    print("missed:", ", ".join(r["missed"]))


if __name__ == "__main__":
    main()
