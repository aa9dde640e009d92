#!/usr/bin/env bash
# The whole pipeline on a synthetic preset: generate (once), import into a
# fresh database, then `hotline analyze`, with the release build. Prints the
# time and peak memory of each step and of each analysis stage
# (from DIR/timings.json). Usage:
#   Scripts/bench-pipeline.sh [preset: medium|large] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-medium}
seed=${2:-20251122}
swift build -c release --product hotline >/dev/null
bin="$(swift build -c release --show-bin-path)/hotline"
work=${BENCH_DIR:-.build/bench-$preset}
mkdir -p "$work"
if [ ! -f "$work/city/tickets.csv" ]; then
  /usr/bin/time -f "generate %e s, peak %M KB" "$bin" generate --preset "$preset" --seed "$seed" --out "$work/city" >/dev/null
fi
rm -f "$work/h.sqlite" "$work/h.sqlite-wal" "$work/h.sqlite-shm" "$work/h.sqlite.key"
/usr/bin/time -f "%e %M" -o "$work/import.time" "$bin" import "$work/city/tickets.csv" --db "$work/h.sqlite" >/dev/null 2>&1
/usr/bin/time -f "%e %M" -o "$work/analyze.time" "$bin" analyze --db "$work/h.sqlite" --out "$work/out" --seed "$seed" >/dev/null
python3 - "$work" "$preset" "$(nproc)" <<'PY'
import json, os, sys
work, preset, cores = sys.argv[1], sys.argv[2], sys.argv[3]
def wall_rss(name):
    s, kb = open(os.path.join(work, name)).read().split()
    return float(s), int(kb) / 1024
t = json.load(open(os.path.join(work, "out", "timings.json")))
imp, ana = wall_rss("import.time"), wall_rss("analyze.time")
print(f"preset {preset} on {cores} cores")
print(f"| step | wall s | peak MB |\n|---|---|---|")
print(f"| import | {imp[0]:.1f} | {imp[1]:.0f} |")
for name in t["order"]:
    st = t["stages"][name]
    print(f"| analyze: {name} | {st['wall_s']:.1f} | {st['peak_rss_mb']:.0f} |")
print(f"| analyze (whole process) | {ana[0]:.1f} | {ana[1]:.0f} |")
print(f"| **import + analyze** | **{imp[0] + ana[0]:.1f}** | **{max(imp[1], ana[1]):.0f}** |")
PY
