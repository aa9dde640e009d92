#!/usr/bin/env bash
# Executes every notebook in Notebooks/ against the bundled sample with nbclient
# and fails on the first error; prints one line per notebook.
#
#   bash Scripts/run-notebooks.sh            # uses $HOTLINE_BIN, else builds the debug CLI
#   HOTLINE_BIN=path/to/hotline bash Scripts/run-notebooks.sh
#
# Installs Notebooks/requirements.txt (pinned, --no-deps) into a virtual
# environment under .build/notebooks-venv, once per change of that file.
# Also checks that the committed notebooks hold no outputs.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "notebooks: Python 3.11 or later is needed (esda 2.9); found $("$PYTHON" --version 2>&1)" >&2
  exit 1
}

"$PYTHON" Scripts/strip-notebooks.py --check

venv=.build/notebooks-venv
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p .build
  "$PYTHON" -m venv "$venv" || {
    echo "notebooks: could not make a virtual environment (Debian/Ubuntu: apt-get install python3-venv)" >&2
    exit 1
  }
fi
if ! cmp -s Notebooks/requirements.txt "$stamp"; then
  echo "notebooks: installing Notebooks/requirements.txt into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r Notebooks/requirements.txt
  cp Notebooks/requirements.txt "$stamp"
fi

if [ -z "${HOTLINE_BIN:-}" ]; then
  swift build --product hotline >/dev/null
  HOTLINE_BIN="$(swift build --show-bin-path)/hotline"
fi
export HOTLINE_BIN PYTHONDONTWRITEBYTECODE=1
export MPLBACKEND=module://matplotlib_inline.backend_inline

"$venv/bin/python" Scripts/run-notebooks.py --timeout "${NOTEBOOK_CELL_TIMEOUT:-300}" "$@"
