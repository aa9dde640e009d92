#!/usr/bin/env python3
"""Recurring classes and same-incident merging: Hotline against a Python peer, in one run.

Peer (classes): the city's place gazetteer (city.json: estates, roads, named
entities, bus lines) finds the first place a ticket's title/text names; tickets
are grouped by (place, category); inside a group, scikit-learn TF-IDF over
character 2-3-grams, cosine >= 0.3 links tickets, and the connected components
(scipy) of at least 8 tickets over at least 3 weeks are the reported classes.

Both are scored by the same code against truth.json:
  - per planted class, the best-matching reported class by F1; the mean;
  - purity: per reported class, the largest share of its tickets from one planted
    class; mean over reported classes that touch a planted class, and the
    ticket-weighted figure;
  - real share: reported classes whose majority of tickets are one planted class;
  - incidents: per planted incident the best F1; pairwise precision and recall.

MinHash speed: datasketch (num_perm 64, character 3-shingles) against
`hotline incidents --threads 1` (the `signatures` stage), same texts.

    python3 bench/recurring_peer.py --hotline PATH --db DB.sqlite --city DIR [--skip-peer]
    python3 bench/recurring_peer.py --hotline PATH --db DB.sqlite --top 15   # real data: print top classes
"""
import argparse
import collections
import csv
import json
import os
import re
import subprocess
import sys
import time


def run_hotline(binary, args):
    t = time.time()
    out = subprocess.run([binary] + args, check=True, capture_output=True)
    return json.loads(out.stdout), time.time() - t


def read_tickets(path):
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        head = next(r)
        for row in r:
            rows.append(dict(zip(head, row)))
    return rows


def week_of(s):
    m = re.match(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", s)
    import datetime
    d = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return d.toordinal() // 7


def place_groups(rows, city):
    """(first place named, category) -> row indices. The city's gazetteer
    (city.json: estates, roads, named entities, bus lines) finds the first place
    a ticket's title/text names (the longest at that position)."""
    names = set()
    for c in city["communities"]:
        names.update(c.get("estates", []))
    for s in city["streets"]:
        names.update(s.get("roads", []))
    for e in city["entities"]:
        names.add(e["name"])
    names.update(city.get("bus_lines", []))
    import ahocorasick  # pip install pyahocorasick

    auto = ahocorasick.Automaton()
    for n in names:
        if len(n) >= 2:
            auto.add_word(n, n)
    auto.make_automaton()
    groups = collections.defaultdict(list)
    for i, r in enumerate(rows):
        best = None
        for end, name in auto.iter(r["工单标题"] + "。" + r["诉求内容"]):
            start = end - len(name) + 1
            if best is None or start < best[0] or (start == best[0] and len(name) > len(best[1])):
                best = (start, name)
        if best:
            groups[(best[1], r["问题分类"])].append(i)
    return groups


def grouped_classes(rows, groups, link, min_tickets=8, min_weeks=3):
    """Inside each place group, `link(members)` labels connected components;
    the components of at least `min_tickets` tickets over at least `min_weeks`
    weeks are the reported classes (lists of ticket ids)."""
    classes = []
    for key, members in groups.items():
        if len(members) < min_tickets:
            continue
        weeks = [week_of(rows[i]["来电时间"]) for i in members]
        if max(weeks) - min(weeks) + 1 < min_weeks:
            continue
        comp = collections.defaultdict(list)
        for j, lab in enumerate(link(members)):
            comp[lab].append(members[j])
        for m in comp.values():
            weeks = {week_of(rows[i]["来电时间"]) for i in m}
            if len(m) >= min_tickets and max(weeks) - min(weeks) + 1 >= min_weeks:
                classes.append([rows[i]["工单编号"] for i in m])
    return classes


def tfidf_linker(rows, cosine=0.3):
    """Links tickets whose TF-IDF vectors over character 2-3-grams have cosine >= `cosine`."""
    import numpy as np
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    def link(members):
        texts = [rows[i]["工单标题"] + " " + rows[i]["诉求内容"] for i in members]
        v = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), min_df=1).fit_transform(texts)
        sim = (v @ v.T).tocsr()
        sim.data = (sim.data >= cosine).astype(np.int8)
        sim.eliminate_zeros()
        return connected_components(sim, directed=False)[1]
    return link


def shingles(s):
    """Character 3-shingles of a text without spaces and punctuation."""
    s = re.sub(r"[\s\W_]+", "", s)
    return {s[i:i + 3] for i in range(max(1, len(s) - 2))}


def minhash_linker(rows, threshold=0.3, num_perm=64):
    """Links tickets that datasketch's MinHashLSH (character 3-shingles of
    title and text) returns as candidates of each other: Jaccard about
    `threshold` or more. Signatures are made once per ticket, on first use."""
    from datasketch import MinHash, MinHashLSH
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    cache = {}

    def link(members):
        todo = [i for i in members if i not in cache]
        sets = [[x.encode("utf-8") for x in shingles(rows[i]["工单标题"] + rows[i]["诉求内容"])] for i in todo]
        for i, m in zip(todo, MinHash.bulk(sets, num_perm=num_perm)):
            cache[i] = m
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        for j, i in enumerate(members):
            lsh.insert(j, cache[i])
        a, b = [], []
        for j, i in enumerate(members):
            for k in lsh.query(cache[i]):
                a.append(j)
                b.append(k)
        g = coo_matrix(([1] * len(a), (a, b)), shape=(len(members), len(members)))
        return connected_components(g, directed=False)[1]
    return link


def peer_classes(rows, city, min_tickets=8, min_weeks=3, cosine=0.3):
    """Gazetteer place groups, TF-IDF cosine links, connected components."""
    return grouped_classes(rows, place_groups(rows, city), tfidf_linker(rows, cosine), min_tickets, min_weeks)


def peer_classes_minhash(rows, city, min_tickets=8, min_weeks=3, threshold=0.3, num_perm=64):
    """Gazetteer place groups, datasketch MinHash-LSH links, connected components."""
    return grouped_classes(
        rows, place_groups(rows, city), minhash_linker(rows, threshold, num_perm), min_tickets, min_weeks)


def score_classes(truth_classes, reported):
    owner = {}
    for c in truth_classes:
        for t in c["ticket_ids"]:
            owner[t] = c["id"]
    best_f1 = []
    for c in truth_classes:
        a = set(c["ticket_ids"])
        best = 0.0
        for r in reported:
            inter = len(a & set(r))
            if inter:
                best = max(best, 2 * inter / (len(a) + len(r)))
        best_f1.append((c["id"], c["entity_type"], len(a), best))
    purities, real, touched_sum, touched_max = [], 0, 0, 0
    for r in reported:
        counts = collections.Counter(owner.get(t) for t in r if t in owner)
        top = counts.most_common(1)[0][1] if counts else 0
        if counts:
            purities.append(top / len(r))
            touched_sum += len(r)
            touched_max += top
        if top * 2 > len(r):
            real += 1
    return {
        "planted": len(truth_classes),
        "reported": len(reported),
        "mean_best_f1": sum(x[3] for x in best_f1) / max(1, len(best_f1)),
        "per_class_f1": best_f1,
        "purity_mean": sum(purities) / max(1, len(purities)),
        "purity_weighted": touched_max / max(1, touched_sum),
        "real_share": real / max(1, len(reported)),
    }


def explained_share(truth, reported):
    """Share of reported groups whose tickets are mostly one planted item of any kind
    (incident, outbreak, recurring class, re-handled pair): plausible same-incident groups."""
    owner = {}
    for key in ("incidents", "outbreaks", "recurring_classes"):
        for c in truth.get(key, []):
            for t in c["ticket_ids"]:
                owner.setdefault(t, key + ":" + c["id"])
    for r in truth.get("rehandled", []):
        owner.setdefault(r["ticket_id"], "rehandled:" + r["parent_id"])
        owner.setdefault(r["parent_id"], "rehandled:" + r["parent_id"])
    ok = 0
    for r in reported:
        counts = collections.Counter(owner.get(t) for t in r if t in owner)
        if counts and counts.most_common(1)[0][1] * 2 > len(r):
            ok += 1
    return ok / max(1, len(reported))


def score_incidents(truth_incidents, reported):
    truth_pairs, pred_pairs = set(), set()
    for c in truth_incidents:
        ids = sorted(c["ticket_ids"])
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                truth_pairs.add((ids[i], ids[j]))
    in_truth = {t for c in truth_incidents for t in c["ticket_ids"]}
    touching = 0
    for r in reported:
        ids = sorted(r)
        if any(t in in_truth for t in ids):
            touching += 1
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                pred_pairs.add((ids[i], ids[j]))
    tp = len(truth_pairs & pred_pairs)
    best = []
    for c in truth_incidents:
        a = set(c["ticket_ids"])
        b = 0.0
        for r in reported:
            inter = len(a & set(r))
            if inter:
                b = max(b, 2 * inter / (len(a) + len(r)))
        best.append(b)
    # Precision among predicted groups that touch a planted incident (the rest may be
    # unplanted real incidents: outbreaks, recurring-class tickets on one day).
    tp_touch = sum(
        1 for r in reported if any(t in in_truth for t in r)
        for i in range(len(r)) for j in range(i + 1, len(r))
        if tuple(sorted((r[i], r[j]))) in truth_pairs)
    all_touch = sum(len(r) * (len(r) - 1) // 2 for r in reported if any(t in in_truth for t in r))
    return {
        "planted": len(truth_incidents),
        "reported": len(reported),
        "mean_best_f1": sum(best) / max(1, len(best)),
        "pair_precision": tp / max(1, len(pred_pairs)),
        "pair_recall": tp / max(1, len(truth_pairs)),
        "pair_precision_touching": tp_touch / max(1, all_touch),
        "reported_touching": touching,
    }


def datasketch_speed(texts, num_perm=64):
    from datasketch import MinHash

    t = time.time()
    for s in texts:
        m = MinHash(num_perm=num_perm)
        m.update_batch([x.encode("utf-8") for x in shingles(s)])
    return len(texts) / (time.time() - t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hotline", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--city", help="synthetic city folder (tickets.csv, truth.json, city.json)")
    ap.add_argument("--skip-peer", action="store_true")
    ap.add_argument("--top", type=int, default=0, help="print the top classes (for real data)")
    ap.add_argument("--speed-docs", type=int, default=20000)
    a = ap.parse_args()

    rec, t_rec = run_hotline(a.hotline, ["recurring", "--db", a.db, "--json"])
    inc, t_inc = run_hotline(a.hotline, ["incidents", "--db", a.db, "--json"])
    print(f"hotline recurring: {len(rec['classes'])} classes, {t_rec:.1f} s wall, stages {rec['seconds']}")
    print(f"hotline incidents: {len(inc['incidents'])} incidents, {t_inc:.1f} s wall, stages {inc['seconds']}")
    one, _ = run_hotline(a.hotline, ["incidents", "--db", a.db, "--json", "--threads", "1"])
    sig = one["seconds"].get("signatures")
    if sig:
        print(f"hotline MinHash signatures (1 thread, 64 perms): {one['tickets'] / sig:,.0f} docs/s")

    if a.top:
        for c in rec["classes"][: a.top]:
            print(f"{c['id']}  {c['score']:5.1f}  {c['count']:3d} tickets  {c['callers']:3d} callers  "
                  f"{c['first']}..{c['last']}  {c['entity']} | {c['category']} | {c['title']}")

    if not a.city:
        return
    truth = json.load(open(os.path.join(a.city, "truth.json"), encoding="utf-8"))
    rows = read_tickets(os.path.join(a.city, "tickets.csv"))
    texts = [r["诉求内容"] for r in rows[: a.speed_docs]]
    print(f"datasketch MinHash (64 perms, char 3-shingles): {datasketch_speed(texts):,.0f} docs/s")

    hot = score_classes(truth["recurring_classes"], [c["ticket_ids"] for c in rec["classes"]])
    hinc = score_incidents(truth["incidents"], [c["ticket_ids"] for c in inc["incidents"]])
    results = {"hotline": hot}
    if not a.skip_peer:
        city = json.load(open(os.path.join(a.city, "city.json"), encoding="utf-8"))
        t = time.time()
        pc = peer_classes(rows, city)
        t_peer = time.time() - t
        results["peer"] = score_classes(truth["recurring_classes"], pc)
        print(f"peer (gazetteer + TF-IDF cosine + components): {len(pc)} classes, {t_peer:.1f} s")
    print()
    print("| method | reported | mean best F1 | purity (mean) | purity (weighted) | real share |")
    print("|---|---|---|---|---|---|")
    for name, s in results.items():
        print(f"| {name} | {s['reported']} | {s['mean_best_f1']:.3f} | {s['purity_mean']:.3f} | "
              f"{s['purity_weighted']:.3f} | {s['real_share']:.3f} |")
    print()
    for cid, et, n, f1 in hot["per_class_f1"]:
        peer_f1 = ""
        if "peer" in results:
            peer_f1 = next(x[3] for x in results["peer"]["per_class_f1"] if x[0] == cid)
            peer_f1 = f"  peer {peer_f1:.2f}"
        print(f"  {cid} {et:17s} {n:3d} tickets  hotline F1 {f1:.2f}{peer_f1}")
    print()
    print(f"incidents: planted {hinc['planted']}, reported {hinc['reported']} "
          f"({hinc['reported_touching']} touch a planted one); mean best F1 {hinc['mean_best_f1']:.3f}; "
          f"pairs: precision {hinc['pair_precision']:.3f} (among groups touching a planted incident "
          f"{hinc['pair_precision_touching']:.3f}), recall {hinc['pair_recall']:.3f}; "
          f"groups that are mostly one planted item (incident, outbreak, class, re-handled): "
          f"{explained_share(truth, [c['ticket_ids'] for c in inc['incidents']]):.3f}")


if __name__ == "__main__":
    main()
