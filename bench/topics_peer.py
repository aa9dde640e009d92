#!/usr/bin/env python3
"""Topic clustering: Hotline against the usual Python stack, in one run.

Peer: jieba (precise mode) + scikit-learn TfidfVectorizer + KMeans with k =
the true number of classes (the peer is told k; Hotline is not). Hotline:
`hotline import` then `hotline topics --json`. Both are scored with the same
code (scikit-learn NMI and ARI; Hotline's outliers count as one more class)
and timed end to end (segmentation included; the import is timed apart).

Data:
  taidi   ../shared/data/taidi2020-dev/attachment2_full_rows_subset_1842.clean.csv
          (1,842 real messages; truth = 一级标签, 7 classes)
  DIR     a synthetic city made with
          `hotline generate --preset medium --blank-categories --out DIR`
          (truth = the planted level-2 category in DIR/truth_categories.csv)

    python3 bench/topics_peer.py [--hotline PATH] [--seed N] taidi DIR ...
"""
import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")


def need(pkg, pipname=None):
    try:
        __import__(pkg)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", pipname or pkg])


need("jieba")
need("sklearn", "scikit-learn")
import jieba  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

jieba.setLogLevel(60)


def load(name):
    """Returns (export path for hotline, ids, documents, labels, truth level name)."""
    if name == "taidi":
        path = os.path.join(SHARED, "taidi2020-dev", "attachment2_full_rows_subset_1842.clean.csv")
        with open(path, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        return path, [r["留言编号"] for r in rows], [r["留言主题"] + "\n" + r["留言详情"] for r in rows], [
            r["一级标签"] for r in rows], "level-1 label (7 classes)"
    path = os.path.join(name, "tickets.csv")
    with open(os.path.join(name, "truth_categories.csv"), encoding="utf-8") as f:
        truth = {r["工单编号"]: r["true_category"] for r in csv.DictReader(f)}
    ids, docs, labels = [], [], []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            ids.append(r["工单编号"])
            docs.append(r["工单标题"] + "\n" + r["诉求内容"])
            labels.append(truth[r["工单编号"]])
    return path, ids, docs, labels, "planted level-2 category"


def score(truth, predicted):
    return normalized_mutual_info_score(truth, predicted), adjusted_rand_score(truth, predicted)


def peer(docs, k, seed):
    t, c = time.perf_counter(), time.process_time()
    tokens = [" ".join(w for w in jieba.lcut(d) if w.strip()) for d in docs]
    x = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, min_df=2,
                        max_df=0.5, sublinear_tf=True).fit_transform(tokens)
    labels = KMeans(n_clusters=k, random_state=seed, n_init=3).fit_predict(x)
    return labels, time.perf_counter() - t, time.process_time() - c


def run_child(args):
    """Runs a command; returns (stdout, wall s, CPU s = user + sys, peak RSS MB or None) of that
    process. The peak comes from GNU time when installed (Python's own rusage would count
    the forked copy of this process)."""
    timed = os.path.exists("/usr/bin/time")
    cmd = (["/usr/bin/time", "-f", "HOTLINE-PEAK-KB %M"] if timed else []) + args
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise subprocess.CalledProcessError(p.returncode, args, out, err)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - run_child.cpu
    run_child.cpu = usage.ru_utime + usage.ru_stime
    peak = [float(x.split()[1]) / 1024 for x in err.splitlines() if x.startswith("HOTLINE-PEAK-KB")]
    return out, wall, cpu, (peak[-1] if peak else None)


run_child.cpu = 0.0


def hotline(binary, export, ids, seed, work):
    db = os.path.join(work, "h.sqlite")
    t = time.perf_counter()
    subprocess.run([binary, "import", export, "--db", db, "--json"], check=True, capture_output=True)
    t_import = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    run_child.cpu = usage.ru_utime + usage.ru_stime  # CPU below: the topics run only
    out, t_topics, cpu, rss = run_child([binary, "topics", "--db", db, "--seed", str(seed), "--json"])
    result = json.loads(out)
    return topic_labels(result, ids), t_import, t_topics, cpu, rss, len(result["topics"])


def topic_labels(result, ids):
    """Each ticket's topic id in `hotline topics --json` output (outliers and
    tickets left out: -1, one more class)."""
    of = {}
    for topic in result["topics"]:
        for i in topic["ticket_ids"]:
            of[i] = topic["id"]
    for i in result.get("outliers", {}).get("ticket_ids", []):
        of[i] = -1
    return [of.get(i, -1) for i in ids]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("datasets", nargs="+")
    ap.add_argument("--hotline", default=None)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    binary = a.hotline or os.path.join(subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True,
        text=True).stdout.strip(), "hotline")
    rows = []
    for name in a.datasets:
        export, ids, docs, truth, level = load(name)
        k = len(set(truth))
        p_labels, p_time, p_cpu = peer(docs, k, a.seed)
        p_nmi, p_ari = score(truth, p_labels)
        with tempfile.TemporaryDirectory() as work:
            h_labels, h_import, h_time, h_cpu, h_rss, h_k = hotline(binary, export, ids, a.seed, work)
        h_nmi, h_ari = score(truth, h_labels)
        rows.append((os.path.basename(name.rstrip("/")), len(docs), level, k, p_nmi, p_ari, p_time, p_cpu,
                     h_k, h_nmi, h_ari, h_time, h_cpu, h_rss, h_import))
    print("| data | docs | truth | peer k | peer NMI | peer ARI | peer s (CPU) | Hotline topics | Hotline NMI "
          "| Hotline ARI | Hotline s (CPU, peak MB) | speed-up (CPU) | (import s) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]:,} | {r[2]} | {r[3]} | {r[4]:.3f} | {r[5]:.3f} | {r[6]:.2f} ({r[7]:.2f}) | "
              f"{r[8]} | {r[9]:.3f} | {r[10]:.3f} | {r[11]:.2f} ({r[12]:.2f}, {r[13] or 0:.0f}) | "
              f"{r[6] / max(r[11], 1e-9):.1f}x ({r[7] / max(r[12], 1e-9):.1f}x) | {r[14]:.1f} |")


if __name__ == "__main__":
    main()
