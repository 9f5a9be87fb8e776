# Sourced by setup.sh / run.sh: pick a python3 that can import Bandit's dependencies (stevedore, yaml).
# Debian's /usr/bin/python3 has them (apt-get install python3-stevedore python3-yaml python3-rich);
# a pyenv python3 first on PATH usually does not.
PY=""
for candidate in ${BANDIT_PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import stevedore, yaml' 2>/dev/null; then
    PY="$candidate"; break
  fi
done
if [ -z "$PY" ]; then
  echo "no python3 with stevedore+yaml: apt-get install -y python3-stevedore python3-yaml python3-rich" >&2
  exit 1
fi
