#!/usr/bin/env python3
"""Scores `hotline callers` and `hotline scope` against a synthetic city's
planted truth, beside a peer, with the same scoring code for both.

Peer: per-caller Poisson z-scores on call counts, z = (n - mu) / sqrt(mu),
mu = mean tickets per caller (the usual "frequent caller" screen).

    python3 bench/callers_eval.py --hotline .build/release/hotline \
        --db city.sqlite --truth city/truth.json [--json]

Prints, for the caller ranking: average precision (AP) against the planted
callers that should be flagged, precision at k (k = their number), the
legitimate heavy users (planted organisations) inside the top k, and type
agreement; for the out-of-scope flags: precision, recall and F1 overall and
per class, hard negatives flagged, and class agreement. Ticket ids are mapped
to caller keys through the database (read-only).
"""
import argparse
import collections
import json
import math
import sqlite3
import subprocess
import sys
import time


def run_json(cmd):
    t = time.time()
    out = subprocess.run(cmd, check=True, capture_output=True).stdout
    return json.loads(out), time.time() - t


def average_precision(ranked, relevant):
    """AP of a ranked list of keys against a set of relevant keys (relevant
    keys missing from the list count as never retrieved)."""
    if not relevant:
        return float("nan")
    hits, total = 0, 0.0
    for i, k in enumerate(ranked, 1):
        if k in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant)


def ranking_scores(ranked, should, legit):
    k = len(should)
    top = ranked[:k]
    return {
        "ap": average_precision(ranked, should),
        "k": k,
        "precision_at_k": sum(1 for x in top if x in should) / k if k else float("nan"),
        "legit_in_top_k": sum(1 for x in top if x in legit),
        "recall_in_list": sum(1 for x in should if x in set(ranked)) / k if k else float("nan"),
    }


def caller_sets(truth, key_of):
    """The planted callers as keys of a ranking: (should flag, legitimate heavy
    users, true type by key). key_of maps a ticket id to its caller key (the
    database's caller_key, or the export's phone number for a peer)."""
    def caller_key(ids):
        c = collections.Counter(key_of.get(i) for i in ids if key_of.get(i))
        return c.most_common(1)[0][0] if c else None

    should, legit, true_type = set(), set(), {}
    for c in truth["callers"]:
        k = caller_key(c["ticket_ids"])
        if k is None:
            continue
        true_type[k] = c["type"]
        (should if c["should_flag"] else legit).add(k)
    return should, legit, true_type


def normalize_phone(value):
    """The peer's cleaning of a raw phone column: digits only, the 86 / 0086
    country code dropped; None for empty or placeholder values (匿名, 保密)."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits or any(not (ch.isdigit() or ch in "+-() .（）") for ch in value.strip()):
        return None
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    elif len(digits) == 15 and digits.startswith("0086"):
        digits = digits[4:]
    return digits


def poisson_z_ranking(counts):
    """The peer: every caller ranked by the Poisson z-score of its call count,
    z = (n - mu) / sqrt(mu), mu = mean tickets per caller (ties by key)."""
    mu = sum(counts.values()) / len(counts)
    z = {k: (n - mu) / math.sqrt(mu) for k, n in counts.items()}
    return sorted(z, key=lambda k: (-z[k], k))


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hotline", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    truth = json.load(open(args.truth, encoding="utf-8"))
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    key_of = dict(con.execute("SELECT id, caller_key FROM ticket"))
    counts = collections.Counter(k for k in key_of.values() if k)

    should, legit, true_type = caller_sets(truth, key_of)

    # Hotline.
    callers, t_callers = run_json([args.hotline, "callers", "--db", args.db, "--json"])
    ranked = [c["key"] for c in callers["callers"]]
    ours = ranking_scores(ranked, should, legit)
    flagged = [c for c in callers["callers"] if c["flagged"]]
    ours["flagged"] = len(flagged)
    ours["flagged_planted"] = sum(1 for c in flagged if c["key"] in should)
    ours["legit_flagged"] = sum(1 for c in flagged if c["key"] in legit)
    typed = {c["key"]: c["type"] for c in callers["callers"]}
    agree = [(true_type[k], typed.get(k)) for k in should | legit]
    ours["type_agreement"] = sum(1 for t, o in agree if t == o) / len(agree) if agree else float("nan")
    ours["type_confusion"] = collections.Counter(f"{t}->{o}" for t, o in agree if t != o)
    ours["seconds"] = t_callers

    # Peer: Poisson z on call counts, every caller ranked.
    t0 = time.time()
    peer_ranked = poisson_z_ranking(counts)
    peer = ranking_scores(peer_ranked, should, legit)
    peer["seconds"] = time.time() - t0

    # Out of scope.
    scope, t_scope = run_json([args.hotline, "scope", "--db", args.db, "--json"])
    flags = {f["ticket_id"]: f["class"] for f in scope["out_of_scope"]}
    gold = {o["ticket_id"]: o["class"] for o in truth["out_of_scope"]}
    known = set(key_of)
    gold = {i: c for i, c in gold.items() if i in known}
    tp = sum(1 for i in flags if i in gold)
    overall = prf(tp, len(flags) - tp, len(gold) - tp)
    overall["class_agreement"] = sum(1 for i in flags if gold.get(i) == flags[i]) / tp if tp else 0.0
    hard = [h["ticket_id"] for h in truth.get("hard_negatives", []) if h["ticket_id"] in known]
    overall["hard_negatives"] = len(hard)
    overall["hard_negatives_flagged"] = sum(1 for i in hard if i in flags)
    overall["seconds"] = t_scope
    per_class = {}
    for c in sorted(set(gold.values()) | set(flags.values())):
        g = {i for i, x in gold.items() if x == c}
        f = {i for i, x in flags.items() if x == c}
        # A flag counts for its class when the gold class matches.
        per_class[c] = prf(len(g & f), len(f - g), len(g - f))

    report = {"callers": {"hotline": ours, "peer_poisson_z": peer}, "scope": {"overall": overall, "per_class": per_class}}
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1, default=dict)
        print()
        return
    print(f"callers: {len(counts)} keys, planted to flag {len(should)}, legitimate heavy users {len(legit)}")
    for name, r in (("hotline", ours), ("peer (Poisson z)", peer)):
        print(f"  {name:18s} AP {r['ap']:.3f}  P@{r['k']} {r['precision_at_k']:.3f}  "
              f"legit in top k {r['legit_in_top_k']}  {r['seconds']:.1f} s")
    print(f"  hotline flagged {ours['flagged']} (planted {ours['flagged_planted']}, legit {ours['legit_flagged']}), "
          f"type agreement {ours['type_agreement']:.3f} {dict(ours['type_confusion'])}")
    o = overall
    print(f"scope: P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f} "
          f"(tp {o['tp']}, fp {o['fp']}, fn {o['fn']}), class agreement {o['class_agreement']:.3f}, "
          f"hard negatives flagged {o['hard_negatives_flagged']}/{o['hard_negatives']}, {o['seconds']:.1f} s")
    for c, r in per_class.items():
        print(f"  {c}: P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f} (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")


if __name__ == "__main__":
    main()
