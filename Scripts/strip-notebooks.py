#!/usr/bin/env python3
"""Strips outputs, execution counts and run metadata from the notebooks in
Notebooks/ (or the files given), in place. With --check, changes nothing and
exits 1 when a notebook still holds outputs (CI runs the check).

Uses only the standard library (a notebook is JSON).
"""

import json
import sys
from pathlib import Path

check = "--check" in sys.argv
files = [Path(a) for a in sys.argv[1:] if a != "--check"]
if not files:
    files = sorted((Path(__file__).resolve().parent.parent / "Notebooks").glob("*.ipynb"))

dirty = []
for f in files:
    text = f.read_text(encoding="utf-8")
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        md = cell.get("metadata", {})
        for k in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            md.pop(k, None)
    for k in ("widgets", "papermill"):
        nb.get("metadata", {}).pop(k, None)
    new = json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
    if new != text:
        dirty.append(f)
        if not check:
            f.write_text(new, encoding="utf-8")
if check and dirty:
    print("notebooks with outputs or run metadata (run Scripts/strip-notebooks.py):", *map(str, dirty), file=sys.stderr)
    sys.exit(1)
if not check:
    print(f"stripped {len(dirty)} of {len(files)} notebooks")
