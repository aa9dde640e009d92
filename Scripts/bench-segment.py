#!/usr/bin/env python3
"""Word segmentation benchmark: ICU alone, ICU + hotline lexicon (`hotline segment`)
and jieba (precise mode, default dictionary) on the same inputs, scored by ONE
scorer (the SIGHAN bakeoff rule: a word counts when its start and end offsets
both match a gold word of the same line).

Inputs:
  - SIGHAN 2005 PKU test set, from <repo root>/../shared/data/sighan2005-pku
    (skipped with a message when absent);
  - the project's hotline gold set, Tests/Fixtures/hotline-gold.txt (its raw text
    is the gold words joined).

Speed is characters per second of segmentation time only (no I/O): for hotline
it is what `hotline segment --eval --json` reports (tokens produced as Strings),
for jieba the time of `jieba.lcut` over all lines (after the dictionary is loaded).

Usage: Scripts/bench-segment.py [--hotline PATH_TO_BINARY] [--repeat N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")


def spans(words):
    out, pos = [], 0
    for w in words:
        n = sum(1 for c in w if not c.isspace())
        if n == 0:
            continue
        out.append((pos, pos + n))
        pos += n
    return out, pos


def score(pred_lines, gold_lines):
    """pred_lines/gold_lines: lists of word lists. Returns P, R, F1, mismatched lines."""
    assert len(pred_lines) == len(gold_lines), (len(pred_lines), len(gold_lines))
    correct = npred = ngold = mismatched = 0
    for p, g in zip(pred_lines, gold_lines):
        ps, pl = spans(p)
        gs, gl = spans(g)
        if pl != gl:
            mismatched += 1
        npred += len(ps)
        ngold += len(gs)
        correct += len(set(ps) & set(gs))
    prec = correct / npred if npred else 0.0
    rec = correct / ngold if ngold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, mismatched


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [l.rstrip("\r") for l in lines]


def hotline_binary(arg):
    if arg:
        return arg
    out = subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
        capture_output=True, text=True).stdout.strip()
    path = os.path.join(out, "hotline")
    if not os.path.exists(path):
        sys.exit(f"no release binary at {path}: run `swift build -c release` first or pass --hotline")
    return path


def run_hotline(binary, raw_path, gold_path, extra, repeat):
    best = None
    with tempfile.TemporaryDirectory() as d:
        seg_path = os.path.join(d, "seg.txt")
        for _ in range(repeat):
            r = subprocess.run(
                [binary, "segment", raw_path, "--eval", gold_path, "--output", seg_path, "--json"] + extra,
                check=True, capture_output=True, text=True)
            rep = json.loads(r.stdout)
            if best is None or rep["chars_per_second"] > best["chars_per_second"]:
                best = rep
        pred = [l.split() for l in read_lines(seg_path)]
    return pred, best["chars_per_second"], best


def run_jieba(raw_lines, repeat):
    try:
        import jieba
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "jieba"], check=True)
        import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    chars = sum(len(l) for l in raw_lines)
    best_cps, pred = 0.0, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = [jieba.lcut(l) for l in raw_lines]
        dt = time.perf_counter() - t0
        best_cps = max(best_cps, chars / dt)
        pred = out
    pred = [[w for w in ws if w.strip()] for ws in pred]
    return pred, best_cps


def bench(title, raw_path, gold_path, binary, repeat):
    raw = read_lines(raw_path)
    gold = [l.split() for l in read_lines(gold_path)]
    rows = []
    for name, extra in (("ICU alone", ["--no-lexicon"]), ("ICU + hotline lexicon", [])):
        pred, cps, rep = run_hotline(binary, raw_path, gold_path, extra, repeat)
        p, r, f, mm = score(pred, gold)
        # Cross-check: the Swift scorer and this one must agree.
        if abs(rep["f1"] - f) > 1e-9:
            print(f"warning: Swift F1 {rep['f1']:.6f} != Python F1 {f:.6f} for {name}", file=sys.stderr)
        rows.append((name, p, r, f, mm, cps))
    pred, cps = run_jieba(raw, repeat)
    p, r, f, mm = score(pred, gold)
    rows.append(("jieba 0.42 precise (default dict)", p, r, f, mm, cps))
    jieba_cps = rows[-1][5]
    chars = sum(len(l) for l in raw)
    print(f"\n{title}: {len(raw)} lines, {chars} chars (best of {repeat} runs)")
    print(f"{'segmenter':36} {'P':>7} {'R':>7} {'F1':>7} {'chars/s':>11} {'vs jieba':>9}")
    for name, p, r, f, mm, cps in rows:
        note = f"  ({mm} lines differ in text)" if mm else ""
        print(f"{name:36} {p:7.4f} {r:7.4f} {f:7.4f} {cps:11,.0f} {cps / jieba_cps:8.1f}x{note}")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hotline", help="path to the hotline binary (default: the release build)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per segmenter; the fastest is reported")
    args = ap.parse_args()
    binary = hotline_binary(args.hotline)

    pku = os.path.join(SHARED, "sighan2005-pku")
    if os.path.exists(os.path.join(pku, "pku_test_gold.utf8")):
        bench("SIGHAN 2005 PKU test", os.path.join(pku, "pku_test.utf8"),
              os.path.join(pku, "pku_test_gold.utf8"), binary, args.repeat)
    else:
        print("SKIP PKU: sighan2005-pku not found under <repo root>/../shared/data")

    gold_path = os.path.join(ROOT, "Tests", "Fixtures", "hotline-gold.txt")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for l in read_lines(gold_path):
            f.write("".join(l.split()) + "\n")
        raw_path = f.name
    try:
        bench("Hotline gold set (Tests/Fixtures/hotline-gold.txt)", raw_path, gold_path, binary, args.repeat)
    finally:
        os.unlink(raw_path)


if __name__ == "__main__":
    main()
