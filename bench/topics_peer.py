#!/usr/bin/env python3
"""Topic clustering: Hotline against the usual Python stack, in one run.

Peer: jieba (precise mode) + scikit-learn TfidfVectorizer + KMeans with k =
the true number of classes (the peer is told k; Hotline is not). Hotline:
`hotline import` then `hotline topics --json`. Both are scored with the same
code (scikit-learn NMI and ARI; Hotline's outliers count as one more class)
and timed the same way: each side is one whole process, from its start-up
(Python and its imports; Hotline's binary) to its result (segmentation
included; `hotline import` is timed apart). The peer process also reports
its time without start-up and imports (from the first jieba call on), for
comparison with earlier runs that timed only that part.

Data:
  taidi   ../shared/data/taidi2020-dev/attachment2_full_rows_subset_1842.clean.csv
          (1,842 real messages; truth = 一级标签, 7 classes)
  DIR     a synthetic city made with
          `hotline generate --preset medium --blank-categories --out DIR`
          (truth = the planted level-2 category in DIR/truth_categories.csv)

Matters (synthetic cities whose truth_categories.csv has the theme and body
columns): the generator writes each ticket's body from one body template of
one text theme, and a category may have several themes and a theme several
bodies about different problems (市政设施: 井盖 / 路灯 / 路面塌陷). A matter is
(category, theme, body template): the finest distinction the body text
shows. A second table gives the matter oracle (the matters themselves scored
against the categories: the best NMI/ARI of a method that tells every matter
apart and lumps nothing, as the taxonomy does), the theme oracle likewise,
and the peer's and Hotline's NMI/ARI against the matters; a third how each
side departs from the matters (matters cut, a category's matters kept
together or apart, matters put with another category's). --matter-k also
runs the peer told the number of matters. --oracle scores the oracles only
(no peer, no Hotline).

    python3 bench/topics_peer.py [--hotline PATH] [--seed N] [--matter-k] [--oracle] taidi DIR ...
"""
import argparse
import collections
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
from sklearn.metrics import adjusted_rand_score, completeness_score, normalized_mutual_info_score  # noqa: E402

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


def load_matters(name, ids):
    """Each ticket's (theme, body template) and (theme) partitions for a synthetic
    city, as lists aligned with ids; None for taidi or an older truth file."""
    if name == "taidi":
        return None
    with open(os.path.join(name, "truth_categories.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows or "theme" not in rows[0] or "body" not in rows[0]:
        return None
    of = {r["工单编号"]: r for r in rows}
    # Themes belong to one category, except the out-of-scope texts: the category keeps them apart.
    theme = [of[i]["true_category"] + "|" + of[i]["theme"] for i in ids]
    matter = [t + "|" + of[i]["body"] for t, i in zip(theme, ids)]
    return theme, matter


def oracle_row(name, truth, theme, matter):
    """The oracles of one city: what a method scores against the categories if it
    tells every theme (every matter) apart and lumps nothing."""
    t_nmi, t_ari = score(truth, theme)
    m_nmi, m_ari = score(truth, matter)
    split = collections.Counter(c for c, n in {(c, m) for c, m in zip(truth, matter)})
    return (name, len(truth), len(set(truth)), len(set(theme)), len(set(matter)),
            sum(1 for n in split.values() if n > 1), t_nmi, t_ari, m_nmi, m_ari)


def matter_errors(truth, matter, predicted):
    """How a clustering departs from the matters: completeness against them (1: no matter
    split), the pairs of one category's matters whose largest clusters are the same / not,
    and the matters (tickets) whose largest cluster is mostly another category's."""
    by_matter = collections.defaultdict(collections.Counter)
    by_cluster = collections.defaultdict(collections.Counter)
    for c, m, p in zip(truth, matter, predicted):
        by_matter[(c, m)][p] += 1
        by_cluster[p][c] += 1
    main = {cm: n.most_common(1)[0][0] for cm, n in by_matter.items()}
    of_category = collections.defaultdict(list)
    for c, m in main:
        of_category[c].append(main[(c, m)])
    together = apart = 0
    for clusters in of_category.values():
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                together, apart = (together + 1, apart) if clusters[i] == clusters[j] else (together, apart + 1)
    elsewhere = [cm for cm, p in main.items() if by_cluster[p].most_common(1)[0][0] != cm[0]]
    return (completeness_score(matter, predicted), together, apart, len(elsewhere),
            sum(sum(by_matter[cm].values()) for cm in elsewhere) / len(truth))


def score(truth, predicted):
    return normalized_mutual_info_score(truth, predicted), adjusted_rand_score(truth, predicted)


def peer_child(docs_path, k, seed):
    """The peer as its own process (`--peer-child`): reads the texts, clusters
    them, prints {"labels", "wall", "cpu"} (the last two without start-up)."""
    with open(docs_path, encoding="utf-8") as f:
        docs = json.load(f)
    labels, wall, cpu = peer(docs, k, seed)
    json.dump({"labels": [int(x) for x in labels], "wall": wall, "cpu": cpu}, sys.stdout)


def run_peer(docs, k, seed, work):
    """Runs the peer in a fresh Python process; returns (labels, wall s, CPU s,
    peak MB, in-process wall s, in-process CPU s)."""
    path = os.path.join(work, "docs.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(docs, f, ensure_ascii=False)
    out, wall, cpu, rss = run_child([sys.executable, os.path.abspath(__file__), "--peer-child", path, str(k),
                                     str(seed)])
    r = json.loads(out)
    return r["labels"], wall, cpu, rss, r["wall"], r["cpu"]


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
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise subprocess.CalledProcessError(p.returncode, args, out, err)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    peak = [float(x.split()[1]) / 1024 for x in err.splitlines() if x.startswith("HOTLINE-PEAK-KB")]
    return out, wall, cpu, (peak[-1] if peak else None)


def hotline(binary, export, ids, seed, work):
    db = os.path.join(work, "h.sqlite")
    t = time.perf_counter()
    subprocess.run([binary, "import", export, "--db", db, "--json"], check=True, capture_output=True)
    t_import = time.perf_counter() - t
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
    if len(sys.argv) == 5 and sys.argv[1] == "--peer-child":
        return peer_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    ap = argparse.ArgumentParser()
    ap.add_argument("datasets", nargs="+")
    ap.add_argument("--hotline", default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--matter-k", action="store_true", help="also run the peer with k = the number of matters")
    ap.add_argument("--oracle", action="store_true", help="only the matter and theme oracles")
    a = ap.parse_args()
    if a.oracle:
        print_oracles([oracle_row(os.path.basename(name.rstrip("/")), truth, *m) for name in a.datasets
                       for _, ids, _, truth, _ in [load(name)] for m in [load_matters(name, ids)] if m])
        return
    binary = a.hotline or os.path.join(subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True,
        text=True).stdout.strip(), "hotline")
    rows, oracles, against = [], [], []
    for name in a.datasets:
        export, ids, docs, truth, level = load(name)
        k = len(set(truth))
        with tempfile.TemporaryDirectory() as work:
            p_labels, p_time, p_cpu, p_rss, p_inner, p_inner_cpu = run_peer(docs, k, a.seed, work)
        p_nmi, p_ari = score(truth, p_labels)
        with tempfile.TemporaryDirectory() as work:
            h_labels, h_import, h_time, h_cpu, h_rss, h_k = hotline(binary, export, ids, a.seed, work)
        h_nmi, h_ari = score(truth, h_labels)
        m = load_matters(name, ids)
        if m:
            short = os.path.basename(name.rstrip("/"))
            oracles.append(oracle_row(short, truth, *m))
            matter = m[1]
            mk = None
            if a.matter_k:
                with tempfile.TemporaryDirectory() as work:
                    mk_labels = run_peer(docs, len(set(matter)), a.seed, work)[0]
                mk = (len(set(matter)), score(truth, mk_labels), score(matter, mk_labels))
            against.append((short, (p_nmi, p_ari), score(matter, p_labels), (h_nmi, h_ari),
                            score(matter, h_labels), mk, matter_errors(truth, matter, p_labels),
                            matter_errors(truth, matter, h_labels)))
        rows.append((os.path.basename(name.rstrip("/")), len(docs), level, k, p_nmi, p_ari, p_time, p_cpu, p_rss,
                     p_inner, p_inner_cpu, h_k, h_nmi, h_ari, h_time, h_cpu, h_rss, h_import))
    print("| data | docs | truth | peer k | peer NMI | peer ARI | peer s (CPU, peak MB) | peer s without start-up "
          "(CPU) | Hotline topics | Hotline NMI | Hotline ARI | Hotline s (CPU, peak MB) | speed-up (CPU) "
          "| speed-up against the peer without start-up (CPU) | (import s) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        (name, n, level, k, p_nmi, p_ari, p_time, p_cpu, p_rss, p_inner, p_inner_cpu, h_k, h_nmi, h_ari, h_time,
         h_cpu, h_rss, h_import) = r
        print(f"| {name} | {n:,} | {level} | {k} | {p_nmi:.3f} | {p_ari:.3f} | {p_time:.2f} ({p_cpu:.2f}, "
              f"{p_rss or 0:.0f}) | {p_inner:.2f} ({p_inner_cpu:.2f}) | {h_k} | {h_nmi:.3f} | {h_ari:.3f} | "
              f"{h_time:.2f} ({h_cpu:.2f}, {h_rss or 0:.0f}) | {p_time / max(h_time, 1e-9):.1f}x "
              f"({p_cpu / max(h_cpu, 1e-9):.1f}x) | {p_inner / max(h_time, 1e-9):.1f}x "
              f"({p_inner_cpu / max(h_cpu, 1e-9):.1f}x) | {h_import:.1f} |")
    if oracles:
        print()
        print_oracles(oracles)
        print()
        print("| data | peer NMI / ARI against categories | against matters | Hotline NMI / ARI against "
              "categories | against matters |" + (" peer k = matters: k | against categories | against matters |"
                                                   if a.matter_k else ""))
        print("|---|---|---|---|---|" + ("---|---|---|" if a.matter_k else ""))
        for name, pc, pm, hc, hm, mk, _, _ in against:
            extra = f" {mk[0]} | {mk[1][0]:.3f} / {mk[1][1]:.3f} | {mk[2][0]:.3f} / {mk[2][1]:.3f} |" if mk else (
                " | | |" if a.matter_k else "")
            print(f"| {name} | {pc[0]:.3f} / {pc[1]:.3f} | {pm[0]:.3f} / {pm[1]:.3f} | {hc[0]:.3f} / {hc[1]:.3f} | "
                  f"{hm[0]:.3f} / {hm[1]:.3f} |" + extra)
        print()
        print("| data | side | completeness against matters | pairs of a category's matters whose largest "
              "clusters are one / apart | matters mostly in another category's cluster (share of tickets) |")
        print("|---|---|---|---|---|")
        for name, *_, pe, he in against:
            for side, e in (("peer", pe), ("Hotline", he)):
                print(f"| {name} | {side} | {e[0]:.3f} | {e[1]} / {e[2]} | {e[3]} ({100 * e[4]:.1f} %) |")


def print_oracles(rows):
    print("| data | tickets | categories | themes | matters (category, theme, body) | categories with several "
          "matters | theme oracle NMI / ARI | matter oracle NMI / ARI |")
    print("|---|---|---|---|---|---|---|---|")
    for name, n, cats, themes, matters, several, t_nmi, t_ari, m_nmi, m_ari in rows:
        print(f"| {name} | {n:,} | {cats} | {themes} | {matters} | {several} | {t_nmi:.3f} / {t_ari:.3f} | "
              f"{m_nmi:.3f} / {m_ari:.3f} |")

if __name__ == "__main__":
    main()
