#!/usr/bin/env bash
# Import throughput: generates a synthetic preset (default: large, ~3 M
# tickets), imports it into a fresh database with the release build, and
# prints tickets/s and peak memory (max RSS). Usage:
#   Scripts/bench-import.sh [preset] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-large}
seed=${2:-1}
bin="$(swift build -c release --show-bin-path)/hotline"
[ -x "$bin" ] || swift build -c release --product hotline
work=${BENCH_DIR:-.build/bench-$preset}
mkdir -p "$work"
if [ ! -f "$work/city/tickets.csv" ]; then
  echo "generating $preset (seed $seed) ..."
  /usr/bin/time -f "generate: %e s, max RSS %M KB" "$bin" generate --preset "$preset" --seed "$seed" --out "$work/city"
fi
rm -f "$work/h.sqlite" "$work/h.sqlite-wal" "$work/h.sqlite-shm" "$work/h.sqlite.key"
size=$(stat -c %s "$work/city/tickets.csv")
echo "importing $(basename "$work")/city/tickets.csv ($((size / 1048576)) MB) on $(nproc) cores ..."
/usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" import "$work/city/tickets.csv" --db "$work/h.sqlite" --json > "$work/import.json"
read -r secs rss < "$work/time.txt"
rows=$(python3 -c "import json;print(json.load(open('$work/import.json'))['totals']['read'])")
python3 - "$rows" "$secs" "$rss" "$size" <<'PY'
import sys
rows, secs, rss, size = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"import: {rows} tickets in {secs:.1f} s = {rows/secs:,.0f} tickets/s "
      f"({size/secs/1048576:.0f} MB/s), peak memory {rss/1024:.0f} MB")
PY
echo "re-import (all unchanged):"
/usr/bin/time -f "%e s, max RSS %M KB" "$bin" import "$work/city/tickets.csv" --db "$work/h.sqlite" --json \
  | python3 -c "import json,sys;t=json.load(sys.stdin)['totals'];print('  unchanged', t['unchanged'], 'imported', t['imported'])"
