#!/usr/bin/env bash
# Make the current Bandit runnable without PyPI: extract its source from a git dir (as returned by the
# `fetch` tool, or any bare/normal clone) into bench/.work/bandit-src and write a minimal
# bandit.egg-info (PKG-INFO + entry_points.txt generated from Bandit's setup.cfg) so that
#   PYTHONPATH=bench/.work/bandit-src python3 -m bandit ...
# finds its plugins through stevedore. Needs Debian's python3-stevedore python3-yaml python3-rich.
# Usage: scripts/bandit/setup.sh [GIT_DIR]      (or BANDIT_GIT_DIR=...)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
GIT_DIR="${1:-${BANDIT_GIT_DIR:-/work/.mirror/PyCQA+bandit/repo}}"
DEST="$ROOT/bench/.work/bandit-src"
. "$ROOT/scripts/bandit/python.sh"   # sets $PY: a python3 that imports stevedore

[ -d "$GIT_DIR" ] || { echo "no Bandit git dir at $GIT_DIR (fetch github:PyCQA/bandit first)" >&2; exit 1; }
rm -rf "$DEST" && mkdir -p "$DEST"
git --git-dir="$GIT_DIR" archive HEAD | tar -x -C "$DEST"

# Version from the nearest tag: 1.9.4, or 1.9.4.post5+g92080542 when HEAD is 5 commits past it.
DESCRIBE="$(git --git-dir="$GIT_DIR" describe --tags --long 2>/dev/null || echo 0.0.0-0-gunknown)"
COMMIT="$(git --git-dir="$GIT_DIR" rev-parse HEAD)"

"$PY" - "$DEST" "$DESCRIBE" "$COMMIT" <<'PYEOF'
import configparser, os, re, sys
dest, describe, commit = sys.argv[1:]
tag, n, sha = re.match(r"^(.*)-(\d+)-(g[0-9a-f]+)$", describe).groups()
version = tag if n == "0" else f"{tag}.post{n}+{sha}"
cfg = configparser.ConfigParser()
cfg.read(os.path.join(dest, "setup.cfg"))
egg = os.path.join(dest, "bandit.egg-info")
os.makedirs(egg, exist_ok=True)
with open(os.path.join(egg, "PKG-INFO"), "w") as f:
    f.write(f"Metadata-Version: 2.1\nName: bandit\nVersion: {version}\n"
            f"Summary: {cfg['metadata']['summary']}\nAuthor: {cfg['metadata']['author']}\n"
            f"License: {cfg['metadata']['license']}\n")
with open(os.path.join(egg, "entry_points.txt"), "w") as f:
    for group, value in cfg["entry_points"].items():
        if not group.startswith("bandit."):
            continue
        f.write(f"[{group}]\n")
        for line in value.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                f.write(line + "\n")
        f.write("\n")
with open(os.path.join(egg, "SOURCE_COMMIT"), "w") as f:
    f.write(commit + "\n")
print(f"bandit {version} ({commit[:12]}) -> {dest}")
PYEOF
"$ROOT/scripts/bandit/run.sh" --version | head -1
