#!/usr/bin/env python3
"""How well can the text separate the true classes at all? A supervised ceiling.

Topic models are scored by NMI/ARI against labels (bench/topics_peer.py).
When two classes are written with the same words, no method that reads only
the text can split them, and the NMI any unsupervised method can reach is
bounded well below 1. This script estimates that bound from above: a linear
classifier that is *given* the labels (TF-IDF over character 1-2-grams, a
linear SVM, 5-fold cross-validated predictions, so every ticket is predicted
by a model that did not see it) is scored with the same NMI and ARI as the
topic models. An unsupervised model told nothing will not beat it by much;
the script also lists the class pairs the classifier confuses most, i.e. the
classes whose texts share their wording.

    python3 bench/topics_ceiling.py taidi DIR [--sample N] [--seed S]

DIR is a synthetic city (`hotline generate --preset medium --blank-categories
--out DIR`: tickets.csv and truth_categories.csv). Needs scikit-learn (the
peer environment of bench/peer_pipeline.py has it).
"""
import argparse
import collections
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import accuracy_score, adjusted_rand_score, normalized_mutual_info_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

import topics_peer  # noqa: E402


def ceiling(docs, labels, seed):
    """Cross-validated predictions of a supervised linear classifier, scored like a topic model."""
    x = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit_transform(docs)
    counts = collections.Counter(labels)
    folds = max(2, min(5, min(counts.values())))
    # Classes with fewer tickets than folds cannot be stratified: they keep their label as a class of
    # their own in the score but are left out of training (a handful of tickets at most).
    keep = [i for i, y in enumerate(labels) if counts[y] >= folds]
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    pred = list(labels)
    sub = cross_val_predict(LinearSVC(C=0.5), x[keep], [labels[i] for i in keep], cv=cv)
    for i, p in zip(keep, sub):
        pred[i] = p
    return pred


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="+", help="taidi or a synthetic city folder")
    ap.add_argument("--sample", type=int, default=60000, help="at most this many tickets per data set (random)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pairs", type=int, default=8, help="most confused class pairs to list")
    a = ap.parse_args()
    print("| data | tickets | classes | supervised accuracy | supervised NMI | supervised ARI | s |")
    print("|---|---|---|---|---|---|---|")
    confused = {}
    for name in a.data:
        _, _, docs, labels, _ = topics_peer.load(name)
        if len(docs) > a.sample:
            idx = sorted(random.Random(a.seed).sample(range(len(docs)), a.sample))
            docs, labels = [docs[i] for i in idx], [labels[i] for i in idx]
        t = time.perf_counter()
        pred = ceiling(docs, labels, a.seed)
        secs = time.perf_counter() - t
        print(f"| {os.path.basename(name.rstrip('/'))} | {len(docs):,} | {len(set(labels))} | "
              f"{accuracy_score(labels, pred):.3f} | {normalized_mutual_info_score(labels, pred):.3f} | "
              f"{adjusted_rand_score(labels, pred):.3f} | {secs:.1f} |")
        pairs = collections.Counter(tuple(sorted((y, p))) for y, p in zip(labels, pred) if y != p)
        confused[name] = (pairs, collections.Counter(labels))
    for name, (pairs, counts) in confused.items():
        print(f"\n{os.path.basename(name.rstrip('/'))}: most confused class pairs (tickets mistaken either way)")
        for (u, v), k in pairs.most_common(a.pairs):
            print(f"- {u} / {v}: {k} of {counts[u] + counts[v]}")


if __name__ == "__main__":
    main()
