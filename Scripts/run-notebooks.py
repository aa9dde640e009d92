#!/usr/bin/env python3
"""Executes the notebooks in Notebooks/ with nbclient, one line per notebook.

Usage: run-notebooks.py [--timeout SECONDS] [--out DIR] [NOTEBOOK ...]
A notebook stops at its first failing cell (the error is printed); every
notebook is run, and the exit status is 1 when any failed. Executed copies go to
--out (default .build/notebooks-out), never over the committed notebooks.
"""

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from jupyter_client.manager import KernelManager

repo = Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("--timeout", type=int, default=240, help="seconds per cell")
ap.add_argument("--out", default=str(repo / ".build" / "notebooks-out"))
ap.add_argument("notebooks", nargs="*")
args = ap.parse_args()

paths = [Path(p) for p in args.notebooks] or sorted((repo / "Notebooks").glob("*.ipynb"))
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
failed = 0
start_all = time.monotonic()
for path in paths:
    nb = nbformat.read(path, as_version=4)
    # IPC transport: the kernel talks over local sockets in a temporary folder, not TCP.
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(tempfile.mkdtemp(prefix="nbk-")) / "k"))
    client = NotebookClient(
        nb, km=km, timeout=args.timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.monotonic()
    try:
        client.execute()
        status = "ok"
    except (CellExecutionError, CellTimeoutError) as e:
        status = "FAILED"
        failed += 1
        print(re.sub(r"\x1b\[[0-9;]*m", "", str(e))[-4000:], file=sys.stderr)
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        shutil.rmtree(Path(km.ip).parent, ignore_errors=True)
        nbformat.write(nb, out / path.name)
    print(f"notebook {path.name}: {status} ({time.monotonic() - start:.1f} s)", flush=True)
took = time.monotonic() - start_all
if failed:
    print(f"notebooks: {failed} of {len(paths)} FAILED ({took:.1f} s)", flush=True)
else:
    print(f"notebooks: all {len(paths)} ran without error ({took:.1f} s)", flush=True)
sys.exit(1 if failed else 0)
