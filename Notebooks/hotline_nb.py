"""Small helpers shared by the notebooks: find and run the `hotline` CLI, make a
scratch database from the bundled sample, read the SQLite file, and set up
matplotlib for Chinese labels.

Nothing here analyses tickets: the analyses are the CLI's; the notebooks read
its JSON and the database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import warnings
from pathlib import Path

import pandas as pd

NOTEBOOKS = Path(__file__).resolve().parent
REPO = NOTEBOOKS.parent
SAMPLE = REPO / "datasets" / "sample" / "tickets.csv"
SHARED_DATA = REPO.parent / "shared" / "data"

_bin: str | None = None


def hotline_bin() -> str:
    """The CLI: $HOTLINE_BIN, else `swift build --show-bin-path`/hotline."""
    global _bin
    if _bin:
        return _bin
    env = os.environ.get("HOTLINE_BIN")
    if env:
        path = Path(env)
    else:
        out = subprocess.run(
            ["swift", "build", "--show-bin-path"], cwd=REPO, check=True, capture_output=True, text=True
        ).stdout.strip()
        path = Path(out) / "hotline"
    if not path.is_file():
        raise FileNotFoundError(
            f"hotline CLI not found at {path}: run `swift build` in the project folder or set HOTLINE_BIN"
        )
    _bin = str(path)
    return _bin


def workdir() -> Path:
    """A fresh scratch folder for this notebook's databases and outputs."""
    return Path(tempfile.mkdtemp(prefix="hotline-nb-"))


def run(*args: str, json_output: bool = True, lang: str | None = None):
    """Runs `hotline ARGS` (with --json) and returns the parsed JSON (or the text)."""
    cmd = [hotline_bin(), *map(str, args)]
    if json_output and "--json" not in cmd:
        cmd.append("--json")
    if lang:
        cmd += ["--lang", lang]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"hotline {' '.join(map(str, args))} failed ({p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    return json.loads(p.stdout) if json_output else p.stdout


def import_sample(folder: Path, name: str = "sample.sqlite") -> tuple[Path, dict | None]:
    """Imports the bundled sample into FOLDER/NAME with the CLI; returns the path and the import summary.

    With $HOTLINE_NB_DB set, copies that database (and its key file) into FOLDER instead, so a notebook runs on
    your own data without writing to it; the summary is then None."""
    db = Path(folder) / name
    own = os.environ.get("HOTLINE_NB_DB")
    if own:
        shutil.copyfile(own, db)
        if Path(own + ".key").exists():
            shutil.copyfile(own + ".key", str(db) + ".key")
        print(f"using a copy of {Path(own).name} (HOTLINE_NB_DB) instead of the bundled sample")
        return db, None
    summary = run("import", SAMPLE, "--db", db)
    return db, summary


def connect(db: Path) -> sqlite3.Connection:
    """A read-only connection to a Hotline database."""
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def time_zone(con: sqlite3.Connection) -> str:
    row = con.execute("SELECT value FROM meta WHERE key = 'time_zone'").fetchone()
    return row[0] if row else "Asia/Shanghai"


def read_tickets(con: sqlite3.Connection, columns: str = "*", where: str = "", params=()) -> pd.DataFrame:
    """Tickets as a DataFrame; epoch-second columns become local times (the database's zone)."""
    df = pd.read_sql(f"SELECT {columns} FROM ticket {where}", con, params=params)
    tz = time_zone(con)
    for c in ("received_at", "dispatched_at", "deadline_at", "closed_at"):
        if c in df.columns:
            df[c] = pd.to_datetime(df[c], unit="s", utc=True).dt.tz_convert(tz)
    return df


CJK_CANDIDATES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Serif CJK SC",
)


def setup_plots() -> str | None:
    """Uses a CJK font for matplotlib when one is installed (returns its name); otherwise
    says so once and keeps the default font (Chinese labels then show as boxes)."""
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    chosen = next((n for n in CJK_CANDIDATES if n in installed), None)
    if chosen is None:
        chosen = next((n for n in sorted(installed) if "CJK" in n or "Hei" in n), None)
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["figure.dpi"] = 90
    if chosen:
        plt.rcParams["font.sans-serif"] = [chosen] + list(matplotlib.rcParams["font.sans-serif"])
        plt.rcParams["font.family"] = "sans-serif"
    else:
        print("No CJK font found (for example: apt-get install fonts-noto-cjk); Chinese labels will show as boxes.")
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
    return chosen


def show_table(df: pd.DataFrame, rows: int = 20):
    """Displays the first ROWS rows (a plain print outside Jupyter)."""
    try:
        from IPython.display import display

        display(df.head(rows))
    except ImportError:  # pragma: no cover
        print(df.head(rows).to_string())


def cleanup(folder: Path):
    shutil.rmtree(folder, ignore_errors=True)
