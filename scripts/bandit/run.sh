#!/usr/bin/env bash
# Run the current Bandit set up by scripts/bandit/setup.sh: scripts/bandit/run.sh [bandit args]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SRC="$ROOT/bench/.work/bandit-src"
[ -f "$SRC/bandit.egg-info/PKG-INFO" ] || { echo "current Bandit is not set up: run scripts/bandit/setup.sh" >&2; exit 2; }
. "$ROOT/scripts/bandit/python.sh"
# PYTHONPATH comes before dist-packages, so this shadows Debian's bandit 1.6.2 (package and metadata).
PYTHONPATH="$SRC${PYTHONPATH:+:$PYTHONPATH}" exec "$PY" -m bandit "$@"
