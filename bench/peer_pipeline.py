#!/usr/bin/env python3
"""The whole pipeline against one Python peer pipeline, in one run (issue 8).

On one synthetic city (a preset folder: tickets.csv, truth.json, city.json,
truth_categories.csv) this script

1. runs `hotline analyze` on an imported database (wall, CPU and peak memory
   of the process; stage wall times from its timings.json), and `hotline
   topics` on a copy of the export with the category column blanked (topics
   are scored against the planted categories, so Hotline must not see them);
2. runs the Python peer pipeline on the same tickets.csv, every stage timed
   (wall and CPU):
   - topics: jieba + scikit-learn TF-IDF + k-means, told the true number of
     categories (bench/topics_peer.py), on the same blanked texts;
   - hotspots over the same last N days as `analyze --hotspot-days N`:
     a daily Poisson alert per category x street (expected = the category's
     city-wide count that day x the street's share of the category before
     the window (over the whole export if fewer than 28 days precede it),
     i.e. a log-linear baseline with street and day effects;
     upper-tail p, Benjamini-Hochberg at 0.05 over every category x street x
     day), and esda's Gi* (G_Local, star, binary 3 km distance band, 999
     permutations, esda.fdr at 0.05 per map) per category and week on each
     street's standardised excess over the same baseline; alarms and Gi*
     regions of the same category that share a street and overlap in days
     are merged into one finding;
   - recurring classes: the city's gazetteer groups tickets by (place,
     category), datasketch MinHash-LSH (64 permutations, character
     3-shingles, threshold 0.2 chosen on the small city) links them,
     connected components of >= 8 tickets over >= 3 weeks
     (bench/recurring_peer.py);
   - repeat callers: per-caller Poisson z-scores of call counts on the
     export's phone numbers, cleaned (digits, no 86 prefix, placeholders
     dropped; bench/callers_eval.py);
3. scores both sides with the same code: NMI/ARI against the planted
   categories (topics_peer.score), outbreak recall and precision
   (hotspots_score.score, recall over the outbreaks that overlap the
   window), mean best F1 and purity per planted class
   (recurring_peer.score_classes), average precision of the caller ranking
   (callers_eval.ranking_scores);
4. prints one markdown table (and, with --json, writes every figure).

    python3 bench/peer_pipeline.py --preset small            # generate, import, run (about a minute)
    python3 bench/peer_pipeline.py --city DIR [--db DIR.sqlite] [--hotspot-days 60] [--json OUT]

On `medium` with --hotspot-days 60 one run takes about 10 minutes on 2
cores; with 120 days about 22 (Hotline's hotspots stage grows fastest).

--db is an imported database of DIR/tickets.csv (with its .key file beside
it); it is copied, because analyze stores its topics. Without --db the
export is imported first (timed apart, not in the table). Python packages:
when esda is not importable, the script makes a virtual environment under
.build/peer-venv from Notebooks/requirements.txt and bench/requirements.txt
(pinned, --no-deps) and runs itself again there.
"""
import argparse
import collections
import contextlib
import csv
import datetime
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".build", "peer-venv")


def ensure_packages():
    """Re-runs this script in .build/peer-venv unless its packages import here."""
    try:
        import ahocorasick, datasketch, esda, jieba, libpysal, sklearn  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        sys.exit("peer_pipeline: packages missing in " + VENV)
    reqs = [os.path.join(ROOT, "Notebooks", "requirements.txt"), os.path.join(ROOT, "bench", "requirements.txt")]
    stamp = os.path.join(VENV, ".peer-requirements")
    wanted = "".join(open(p, encoding="utf-8").read() for p in reqs)
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    if not os.path.exists(stamp) or open(stamp, encoding="utf-8").read() != wanted:
        print(f"peer_pipeline: installing the peer's packages into {VENV}", file=sys.stderr)
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--no-deps"]
                              + [x for p in reqs for x in ("-r", p)])
        open(stamp, "w", encoding="utf-8").write(wanted)
    os.execv(python, [python] + sys.argv)


# MARK: - Timing

def run_timed(cmd, log, stdout=None):
    """Runs a command (stderr to `log`); returns wall s, CPU s (user + sys) and
    peak RSS MB of that child alone (os.wait4)."""
    t = time.perf_counter()
    with open(stdout or os.devnull, "wb") as out, open(log, "wb") as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(cmd)}; see {log}")
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mb": ru.ru_maxrss / 1024}


class Stages:
    """Wall and CPU time (this process, every thread, plus waited-for children) per peer stage."""

    def __init__(self):
        self.times = {}

    @staticmethod
    def _cpu():
        a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime

    @contextlib.contextmanager
    def stage(self, name):
        w, c = time.perf_counter(), self._cpu()
        print(f"peer: {name} ...", file=sys.stderr, flush=True)
        yield
        self.times[name] = {"wall_s": time.perf_counter() - w, "cpu_s": self._cpu() - c}
        print(f"peer: {name} {self.times[name]['wall_s']:.1f} s wall, {self.times[name]['cpu_s']:.1f} s CPU",
              file=sys.stderr, flush=True)

    def get(self, *names):
        return {k: sum(self.times[n][k] for n in names) for k in ("wall_s", "cpu_s")}


# MARK: - Data

def day_of(s):
    """Day ordinal of '2025/1/1 0:03:23' or '2025-01-01 ...'."""
    d = s.split(" ")[0].replace("-", "/").split("/")
    return datetime.date(int(d[0]), int(d[1]), int(d[2])).toordinal()


def iso(day):
    return datetime.date.fromordinal(day).isoformat()


def blank_categories(src, dst):
    """A copy of the export with 问题分类 empty (what `hotline generate --blank-categories` writes)."""
    with open(src, encoding="utf-8", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as g:
        r, w = csv.reader(f), csv.writer(g)
        head = next(r)
        col = head.index("问题分类")
        w.writerow(head)
        for row in r:
            row[col] = ""
            w.writerow(row)


# MARK: - Peer: hotspots

def street_table(rows):
    """Streets (district, street) with centroids in km from the tickets' coordinates."""
    sums = {}
    for r in rows:
        key = (r["所属区县"], r["街道"])
        s = sums.setdefault(key, [0.0, 0.0, 0])
        try:
            lon, lat = float(r["经度"]), float(r["纬度"])
        except ValueError:
            continue
        s[0] += lon
        s[1] += lat
        s[2] += 1
    keys = sorted(k for k, s in sums.items() if s[2] > 0 and k[1])
    lat0 = sum(sums[k][1] / sums[k][2] for k in keys) / len(keys)
    xy = [((sums[k][0] / sums[k][2]) * 111.32 * math.cos(math.radians(lat0)), (sums[k][1] / sums[k][2]) * 110.57)
          for k in keys]
    return keys, xy


def benjamini_hochberg(pvalues, m, q=0.05):
    """Indices of `pvalues` rejected by BH at level q over m tests (the others have p = 1)."""
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    k = 0
    for rank, i in enumerate(order, 1):
        if pvalues[i] <= q * rank / m:
            k = rank
    return order[:k]


class Baseline:
    """A street's share of a category (+0.5 per street) over the days before
    the window (over every day when fewer than 28 precede it), and the
    category's city-wide count per day: the expected count of category c in
    street s on day d is total(c, d) x share(c, s), a Poisson log-linear model
    with street and day effects per category."""

    def __init__(self, cells, n_streets, first):
        days = [d for (_, _, d) in cells]
        before = first - min(days) >= 28
        self.base, self.base_cat, self.day_cat = collections.Counter(), collections.Counter(), collections.Counter()
        for (c, s, d), ids in cells.items():
            if d < first or not before:
                self.base[(c, s)] += len(ids)
                self.base_cat[c] += len(ids)
            self.day_cat[(c, d)] += len(ids)
        self.n_streets = n_streets
        self.days_before = before

    def share(self, c, s):
        return (self.base[(c, s)] + 0.5) / (self.base_cat[c] + 0.5 * self.n_streets)


def peer_alerts(cells, baseline, cats, first, last, q=0.05, min_count=2):
    """Daily Poisson alerts per category x street over days first..last:
    upper-tail p of the day's count, Benjamini-Hochberg over every
    category x street x day (cells below `min_count` tickets have p = 1)."""
    from scipy.stats import poisson

    tests, keys = [], []
    for (c, s, d), ids in cells.items():
        if d < first or d > last or len(ids) < min_count:
            continue
        tests.append(float(poisson.sf(len(ids) - 1, baseline.day_cat[(c, d)] * baseline.share(c, s))))
        keys.append((c, s, d))
    m = len(cats) * baseline.n_streets * (last - first + 1)
    found = []
    for i in benjamini_hochberg(tests, m, q):
        c, s, d = keys[i]
        found.append({"category": c, "streets": {s}, "first": d, "last": d, "ids": set(cells[(c, s, d)]),
                      "methods": {"alerts"}})
    return found, {"tests": m, "alarms": len(found)}


def peer_gistar(cells, baseline, streets, xy, first, last, seed, radius_km=3.0, permutations=999, q=0.05,
                min_tickets=10, max_maps=0):
    """esda Gi* per category and 7-day block (the last block ends on `last`),
    binary distance-band weights (`radius_km`), on each street's standardised
    excess (observed - expected) / sqrt(expected + 0.5) against the baseline,
    so that busy streets are not hot for being busy (Gi*'s z and permutation
    p do not change when a constant is added, so the values are shifted to be
    non-negative, as G requires). Hot streets (z > 0, p_sim within esda.fdr
    at `q` of the map) whose neighbourhoods touch form one finding: the
    tickets of the streets in those neighbourhoods that are above expectation."""
    import warnings

    import numpy as np
    import esda
    from libpysal.weights import DistanceBand

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = DistanceBand(np.array(xy), threshold=radius_km, binary=True, silence_warnings=True)
    hood = {i: set(w.neighbors[i]) | {i} for i in range(len(streets))}
    index = {s: i for i, s in enumerate(streets)}
    blocks = []
    end = last
    while end >= first:
        blocks.append((max(first, end - 6), end))
        end -= 7
    counts = collections.defaultdict(lambda: np.zeros(len(streets)))
    for (c, s, d), ids in cells.items():
        if first <= d <= last and s in index:
            counts[(c, (last - d) // 7)][index[s]] += len(ids)
    maps = sorted(((key, y) for key, y in counts.items() if y.sum() >= min_tickets),
                  key=lambda kv: (-kv[1].sum(), kv[0]))
    eligible = len(maps)
    if max_maps and len(maps) > max_maps:
        maps = maps[:max_maps]
    found = []
    for (c, b), y in maps:
        expected = np.array([baseline.share(c, s) for s in streets])
        expected *= y.sum() / expected.sum()
        v = (y - expected) / np.sqrt(expected + 0.5)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            g = esda.G_Local(v - v.min(), w, transform="B", star=True, permutations=permutations, seed=seed,
                             n_jobs=1)
        p = np.nan_to_num(g.p_sim, nan=1.0)
        cut = esda.fdr(p, q)
        hot = {i for i in range(len(y)) if g.Zs[i] > 0 and p[i] <= cut}
        seen = set()
        for i in sorted(hot):
            if i in seen:
                continue
            comp, stack = set(), [i]
            while stack:
                j = stack.pop()
                if j in comp:
                    continue
                comp.add(j)
                stack.extend(n for n in hot if n not in comp and hood[n] & hood[j])
            seen |= comp
            lo, hi = blocks[b]
            region = {j for i2 in comp for j in hood[i2] if y[j] > expected[j]}
            ids = set()
            for j in region:
                for d in range(lo, hi + 1):
                    ids.update(cells.get((c, streets[j], d), ()))
            if ids:
                found.append({"category": c, "streets": {streets[j] for j in region}, "first": lo, "last": hi,
                              "ids": ids, "methods": {"gistar"}})
    return found, {"maps": len(maps), "eligible_maps": eligible, "blocks": len(blocks)}


def merge_findings(found):
    """Findings of one category that share a street and overlap or touch in days become one."""
    parent = list(range(len(found)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_cat = collections.defaultdict(list)
    for i, f in enumerate(found):
        by_cat[f["category"]].append(i)
    for idx in by_cat.values():
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                x, y = found[idx[a]], found[idx[b]]
                if x["streets"] & y["streets"] and x["first"] <= y["last"] + 1 and y["first"] <= x["last"] + 1:
                    parent[root(idx[a])] = root(idx[b])
    groups = collections.defaultdict(list)
    for i in range(len(found)):
        groups[root(i)].append(found[i])
    out = []
    for n, g in enumerate(sorted(groups.values(), key=lambda g: (min(f["first"] for f in g), g[0]["category"])), 1):
        out.append({
            "id": f"P{n:04d}", "category": g[0]["category"],
            "start": iso(min(f["first"] for f in g)), "end": iso(max(f["last"] for f in g)),
            "methods": sorted(set().union(*(f["methods"] for f in g))),
            "streets": sorted("/".join(s) for s in set().union(*(f["streets"] for f in g))),
            "ticket_ids": sorted(set().union(*(f["ids"] for f in g)))})
    return out


# MARK: - Main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--city", help="preset folder: tickets.csv, truth.json, city.json, truth_categories.csv")
    ap.add_argument("--preset", choices=["tiny", "small", "medium", "large"],
                    help="generate this preset into --work/city first (unless it is there)")
    ap.add_argument("--gen-seed", type=int, default=20251122, help="seed of `hotline generate`")
    ap.add_argument("--db", help="imported database of the city's tickets.csv (copied, not changed)")
    ap.add_argument("--hotline", help="the hotline binary (default: the release build of this checkout)")
    ap.add_argument("--work", help="working folder (default .build/peer-pipeline/<city>)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the analyses (Hotline and peer)")
    ap.add_argument("--hotspot-days", type=int, default=120, help="hotspots over the last N days (both sides)")
    ap.add_argument("--gistar-min-tickets", type=int, default=10,
                    help="Gi* only for category x week maps with at least this many tickets")
    ap.add_argument("--gistar-max-maps", type=int, default=0,
                    help="Gi* on at most this many maps, the busiest first (0: all eligible)")
    ap.add_argument("--lsh-threshold", type=float, default=0.2,
                    help="MinHashLSH threshold of the recurring peer (0.1-0.2 best on small, 0.3 much worse)")
    ap.add_argument("--json", help="write every figure to this file")
    a = ap.parse_args()
    if not a.city and not a.preset:
        ap.error("give --city DIR or --preset NAME")

    ensure_packages()
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import callers_eval
    import hotspots_score
    import recurring_peer
    import topics_peer

    binary = a.hotline or os.path.join(subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True,
        text=True, check=True).stdout.strip(), "hotline")
    name = os.path.basename((a.city or a.preset).rstrip("/"))
    work = os.path.abspath(a.work or os.path.join(ROOT, ".build", "peer-pipeline", name))
    os.makedirs(work, exist_ok=True)
    city = a.city
    if not city:
        city = os.path.join(work, "city")
        if not os.path.exists(os.path.join(city, "tickets.csv")):
            print(f"generating {a.preset} ...", file=sys.stderr)
            subprocess.run([binary, "generate", "--preset", a.preset, "--seed", str(a.gen_seed), "--out", city],
                           check=True, stdout=subprocess.DEVNULL)
    export = os.path.join(city, "tickets.csv")
    truth = json.load(open(os.path.join(city, "truth.json"), encoding="utf-8"))
    setup = {}

    # Databases: the city's (copied or imported) and the blanked copy for topics.
    db = os.path.join(work, "h.sqlite")
    for ext in ("", "-wal", "-shm", ".key"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    if a.db:
        for ext in ("", "-wal", ".key"):
            if os.path.exists(a.db + ext):
                shutil.copyfile(a.db + ext, db + ext)
    else:
        print("importing ...", file=sys.stderr)
        setup["import"] = run_timed([binary, "import", export, "--db", db], os.path.join(work, "import.log"))
    blank_dir = os.path.join(work, "blank")
    os.makedirs(blank_dir, exist_ok=True)
    blank_csv, blank_db = os.path.join(blank_dir, "tickets.csv"), os.path.join(blank_dir, "h.sqlite")
    blank_categories(export, blank_csv)
    for ext in ("", "-wal", "-shm", ".key"):
        if os.path.exists(blank_db + ext):
            os.remove(blank_db + ext)
    print("importing the blanked copy ...", file=sys.stderr)
    setup["import_blanked"] = run_timed([binary, "import", blank_csv, "--db", blank_db],
                                       os.path.join(work, "import-blanked.log"))

    # Hotline.
    out = os.path.join(work, "out")
    print("hotline analyze ...", file=sys.stderr, flush=True)
    h_analyze = run_timed([binary, "analyze", "--db", db, "--out", out, "--seed", str(a.seed),
                           "--hotspot-days", str(a.hotspot_days)], os.path.join(work, "analyze.log"))
    timings = json.load(open(os.path.join(out, "timings.json"), encoding="utf-8"))
    print(f"hotline analyze {h_analyze['wall_s']:.1f} s wall, {h_analyze['cpu_s']:.1f} s CPU", file=sys.stderr)
    print("hotline topics (categories blanked) ...", file=sys.stderr, flush=True)
    topics_json = os.path.join(work, "topics-blanked.json")
    h_topics = run_timed([binary, "topics", "--db", blank_db, "--seed", str(a.seed), "--json"],
                         os.path.join(work, "topics.log"), stdout=topics_json)

    # Peer.
    st = Stages()
    with st.stage("load"):
        rows = recurring_peer.read_tickets(export)
        days = [day_of(r["来电时间"]) for r in rows]
        last = max(days)
        first = last - max(1, a.hotspot_days) + 1
        streets, xy = street_table(rows)
        cats = sorted({r["问题分类"] for r in rows if r["问题分类"]})
        cells = collections.defaultdict(list)
        for r, d in zip(rows, days):
            if r["问题分类"] and r["街道"]:
                cells[(r["问题分类"], (r["所属区县"], r["街道"]), d)].append(r["工单编号"])
    ids = [r["工单编号"] for r in rows]
    with open(os.path.join(city, "truth_categories.csv"), encoding="utf-8") as f:
        true_cat = {r["工单编号"]: r["true_category"] for r in csv.DictReader(f)}
    truth_labels = [true_cat[i] for i in ids]
    k = len(set(truth_labels))
    with st.stage("topics"):
        p_topic_labels = topics_peer.peer([r["工单标题"] + "\n" + r["诉求内容"] for r in rows], k, a.seed)[0]
    with st.stage("hotspots: alerts"):
        baseline = Baseline(cells, len(streets), first)
        alerts, alert_info = peer_alerts(cells, baseline, cats, first, last)
    with st.stage("hotspots: Gi*"):
        gistar, gi_info = peer_gistar(cells, baseline, streets, xy, first, last, a.seed,
                                      min_tickets=a.gistar_min_tickets, max_maps=a.gistar_max_maps)
        p_hotspots = merge_findings(alerts + gistar)
    with st.stage("recurring"):
        city_json = json.load(open(os.path.join(city, "city.json"), encoding="utf-8"))
        p_classes = recurring_peer.peer_classes_minhash(rows, city_json, threshold=a.lsh_threshold)
    with st.stage("callers"):
        phone_of = {r["工单编号"]: callers_eval.normalize_phone(r["来电号码"]) for r in rows}
        phone_of = {k: v for k, v in phone_of.items() if v}
        p_ranked = callers_eval.poisson_z_ranking(collections.Counter(phone_of.values()))
    peer_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Scores, the same code for both sides.
    window = (iso(first), iso(last))
    h_topics_result = json.load(open(topics_json, encoding="utf-8"))
    q = {"hotline": {}, "peer": {}}
    q["hotline"]["topics"] = topics_peer.score(truth_labels, topics_peer.topic_labels(h_topics_result, ids))
    q["peer"]["topics"] = topics_peer.score(truth_labels, p_topic_labels)
    analyze_topics = topics_peer.score(
        truth_labels, topics_peer.topic_labels(json.load(open(os.path.join(out, "topics.json"))), ids))
    h_hot = json.load(open(os.path.join(out, "hotspots.json"), encoding="utf-8"))["hotspots"]
    q["hotline"]["hotspots"] = hotspots_score.score(truth, h_hot, window)
    q["peer"]["hotspots"] = hotspots_score.score(truth, p_hotspots, window)
    h_rec = json.load(open(os.path.join(out, "recurring.json"), encoding="utf-8"))["classes"]
    q["hotline"]["recurring"] = recurring_peer.score_classes(truth["recurring_classes"],
                                                             [c["ticket_ids"] for c in h_rec])
    q["peer"]["recurring"] = recurring_peer.score_classes(truth["recurring_classes"], p_classes)
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    key_of = dict(con.execute("SELECT id, caller_key FROM ticket"))
    con.close()
    should, legit, _ = callers_eval.caller_sets(truth, key_of)
    h_callers = json.load(open(os.path.join(out, "callers.json"), encoding="utf-8"))["callers"]
    q["hotline"]["callers"] = callers_eval.ranking_scores([c["key"] for c in h_callers], should, legit)
    should, legit, _ = callers_eval.caller_sets(truth, phone_of)
    q["peer"]["callers"] = callers_eval.ranking_scores(p_ranked, should, legit)

    # Times.
    stage = timings["stages"]
    h_time = {
        "topics": {"wall_s": h_topics["wall_s"], "cpu_s": h_topics["cpu_s"]},
        "hotspots": {"wall_s": stage["hotspots"]["wall_s"]},
        "recurring": {"wall_s": stage["recurring"]["wall_s"]},
        "callers": {"wall_s": stage["scope"]["wall_s"] + stage["callers"]["wall_s"]},
        "load": {"wall_s": stage["load"]["wall_s"]},
        "total": {"wall_s": h_analyze["wall_s"], "cpu_s": h_analyze["cpu_s"]},
    }
    p_time = {
        "load": st.get("load"), "topics": st.get("topics"),
        "hotspots": st.get("hotspots: alerts", "hotspots: Gi*"), "recurring": st.get("recurring"),
        "callers": st.get("callers"),
    }
    p_time["total"] = {k: sum(v[k] for v in p_time.values()) for k in ("wall_s", "cpu_s")}

    def num(x):
        return f"{x:.1f}" if x >= 1 else f"{x:.2f}"

    def secs(t):
        return num(t["wall_s"]) + (f" (CPU {num(t['cpu_s'])})" if "cpu_s" in t else "")

    def ratio(name):
        """Peer time over Hotline time: wall, and CPU where both sides have it."""
        p, h = p_time[name], h_time[name]
        r = f"{p['wall_s'] / max(h['wall_s'], 1e-9):.1f}×"
        return r + (f" (CPU {p['cpu_s'] / max(h['cpu_s'], 1e-9):.1f}×)" if "cpu_s" in h else "")

    def topics_q(x):
        return f"NMI {x[0]:.3f}, ARI {x[1]:.3f}"

    def hot_q(x):
        return (f"recall {x['outbreaks_found']}/{x['outbreaks']}; of {x['findings']} findings {x['local']} real, "
                f"{x['strict']} planted outbreaks")

    def rec_q(x):
        return f"F1 {x['mean_best_f1']:.3f}, purity {x['purity_mean']:.3f} ({x['reported']} classes)"

    def call_q(x):
        return f"AP {x['ap']:.3f}, P@{x['k']} {x['precision_at_k']:.3f}"

    gi_note = (f"Gi* on {gi_info['maps']} of {gi_info['eligible_maps']} maps" if a.gistar_max_maps
               and gi_info["maps"] < gi_info["eligible_maps"] else f"Gi* on all {gi_info['maps']} maps")
    n_topics = len(h_topics_result["topics"])
    rows_out = [
        ("load tickets", "", "", h_time["load"], p_time["load"], "load"),
        (f"topics (categories blanked; peer told k = {k})", topics_q(q["hotline"]["topics"]) + f" ({n_topics} topics)",
         "", h_time["topics"], p_time["topics"], "topics"),
        (f"hotspots, last {a.hotspot_days} days ({gi_note})", hot_q(q["hotline"]["hotspots"]), "",
         h_time["hotspots"], p_time["hotspots"], "hotspots"),
        ("recurring classes", rec_q(q["hotline"]["recurring"]), "", h_time["recurring"], p_time["recurring"],
         "recurring"),
        ("repeat callers", call_q(q["hotline"]["callers"]), "", h_time["callers"], p_time["callers"], "callers"),
    ]
    peer_q = {"topics": topics_q(q["peer"]["topics"]), "hotspots": hot_q(q["peer"]["hotspots"]),
              "recurring": rec_q(q["peer"]["recurring"]), "callers": call_q(q["peer"]["callers"]), "load": ""}
    print()
    print(f"{name}: {len(rows):,} tickets, {len(streets)} streets, {len(cats)} categories; hotspot window "
          f"{window[0]}..{window[1]}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    print()
    print("| analysis | Hotline quality | Hotline s | peer quality | peer s | speed ratio |")
    print("|---|---|---|---|---|---|")
    for label, hq, _, ht, pt, key in rows_out:
        print(f"| {label} | {hq} | {secs(ht)} | {peer_q[key]} | {secs(pt)} | {ratio(key)} |")
    print(f"| **total** (Hotline: the whole `analyze` process) | | **{secs(h_time['total'])}** | | "
          f"**{secs(p_time['total'])}** | **{ratio('total')}** |")
    print()
    print(f"Hotline: analyze peak {h_analyze['peak_rss_mb']:.0f} MB; topics on the blanked copy "
          f"{h_topics['peak_rss_mb']:.0f} MB (analyze's own topics on the categorised database: "
          f"{topics_q(analyze_topics)}). Hotline s for hotspots, recurring (classes + incidents) and callers "
          f"(scope pass + review) are analyze's stage wall times; topics is the whole `hotline topics` process. "
          f"Peer peak {peer_peak:.0f} MB; alerts: {alert_info['alarms']} alarms in {alert_info['tests']:,} tests; "
          f"findings {len(p_hotspots)}.")
    if a.json:
        report = {"city": name, "tickets": len(rows), "window": window, "setup": setup,
                  "hotline": {"analyze": h_analyze, "timings": timings, "topics_blanked": h_topics, "times": h_time,
                              "analyze_topics_quality": analyze_topics},
                  "peer": {"stages": st.times, "times": p_time, "peak_rss_mb": peer_peak, "alerts": alert_info,
                           "gistar": gi_info, "findings": p_hotspots},
                  "quality": q}
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1, default=lambda o: sorted(o) if isinstance(o, set)
                      else str(o))


if __name__ == "__main__":
    main()
