#!/usr/bin/python3
"""Expected OSV match answers from Python's `packaging` for test/dependencies/osv-match.test.ts.

Independent of pyward's TypeScript matcher: the OSV schema's IsVulnerable pseudocode, written here
with packaging.version ordering, over hand-written records and many versions.

    /usr/bin/python3 scripts/gen-osv-cases.py > test/fixtures/osv-cases.json
"""
import functools
import json
import re
import sys

import packaging
from packaging.version import InvalidVersion, Version


@functools.lru_cache(maxsize=None)
def parse(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None


def pep503(name):
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def eco(ranges):
    return {"type": "ECOSYSTEM", "events": ranges}


def rec(key, name, ranges=None, versions=None, **extra):
    affected = {"package": {"ecosystem": "PyPI", "name": name}}
    if ranges is not None:
        affected["ranges"] = ranges
    if versions is not None:
        affected["versions"] = versions
    record = {"id": key, "modified": "2024-01-01T00:00:00Z", "aliases": [], "affected": [affected]}
    record.update(extra)
    return record


I, F, L, LIM = "introduced", "fixed", "last_affected", "limit"


def ev(kind, value):
    return {kind: value}


RECORDS = [
    rec("before-fix", "demo", [eco([ev(I, "0"), ev(F, "1.2.3")])]),
    rec("between", "demo", [eco([ev(I, "1.0"), ev(F, "2.0")])]),
    rec("from-final", "demo", [eco([ev(I, "2.0"), ev(F, "2.0.5")])]),
    rec("last-affected", "demo", [eco([ev(I, "0"), ev(L, "1.11.0")])]),
    rec("unsorted-pairs", "demo", [eco([ev(I, "5.1"), ev(F, "5.1.1"), ev(I, "5.0"), ev(F, "5.0.9"),
                                        ev(I, "4.2"), ev(F, "4.2.10")])]),
    rec("open-ended", "demo", [eco([ev(I, "1.0")])]),
    rec("everything", "demo", [eco([ev(I, "0")])]),
    rec("limit", "demo", [eco([ev(I, "1.0"), ev(LIM, "2.0")])]),
    rec("limit-star", "demo", [eco([ev(I, "1.0"), ev(LIM, "*")])]),
    rec("two-limits", "demo", [eco([ev(I, "0"), ev(F, "1.0"), ev(I, "1.5"), ev(LIM, "1.7"), ev(LIM, "3.0")])]),
    rec("limit-below-fix", "demo", [eco([ev(I, "0"), ev(F, "3.0"), ev(LIM, "2.0")])]),
    rec("two-ranges", "demo", [eco([ev(I, "0"), ev(F, "0.9")]), eco([ev(I, "1.1"), ev(F, "1.2")])]),
    rec("versions-only", "demo", None, ["0.5", "1.0-beta", "trunk", "2.0.0-final", "1.1.0"]),
    rec("versions-and-range", "demo", [eco([ev(I, "2.0"), ev(F, "2.1")])], ["1.0", "3.0rc1"]),
    rec("withdrawn", "demo", [eco([ev(I, "0")])], ["1.0"], withdrawn="2024-02-01T00:00:00Z"),
    rec("other-package", "other-pkg", [eco([ev(I, "0")])]),
    rec("semver-and-git", "demo", [
        {"type": "SEMVER", "events": [ev(I, "0"), ev(F, "9.9.9")]},
        {"type": "GIT", "repo": "https://github.com/x/y", "events": [ev(I, "0"), ev(F, "c0ffee" * 6 + "abcd")]},
    ]),
    rec("epochs", "demo", [eco([ev(I, "0"), ev(F, "1!1.0")])]),
    rec("epoch-range", "demo", [eco([ev(I, "1!0.1"), ev(F, "1!2.0")])]),
    rec("pre-bounds", "demo", [eco([ev(I, "2.0b1"), ev(F, "2.0rc2")])]),
    rec("dev-fix", "demo", [eco([ev(I, "0"), ev(F, "1.0.dev3")])]),
    rec("post-bounds", "demo", [eco([ev(I, "0"), ev(F, "1.0.post1"), ev(I, "1.0.post2"), ev(F, "1.1")])]),
    rec("local-last", "demo", [eco([ev(I, "0"), ev(L, "1.0+abc")])]),
    rec("local-fix", "demo", [eco([ev(I, "1.0"), ev(F, "1.0+local.2")])]),
    rec("same-version-intro-fix", "demo", [eco([ev(I, "1.0"), ev(F, "1.0"), ev(I, "0"), ev(F, "0.5")])]),
    rec("same-version-fix-intro", "demo", [eco([ev(F, "1.0"), ev(I, "1.0.0"), ev(F, "1.5")])]),
    rec("non-normal-bounds", "demo", [eco([ev(I, "1.8c1"), ev(F, "1.9"), ev(I, "3.8-rc"), ev(F, "2019.11.09"),
                                           ev(I, "2020.1"), ev(F, "2020.1.2-1")])]),
    rec("unparseable-bound", "demo", [eco([ev(I, "0"), ev(F, "0.2.0-n653")]), eco([ev(I, "5.0"), ev(F, "5.1")])]),
    rec("unparseable-only", "demo", [eco([ev(I, "0"), ev(F, "2019-09-12")])]),
    rec("multi-digit", "demo", [eco([ev(I, "0.9"), ev(F, "0.10.1"), ev(I, "4.2.9"), ev(F, "4.2.10")])]),
    rec("name-normalised", "Demo_Pkg", [eco([ev(I, "0"), ev(F, "3.0")])]),
    rec("dotted-name", "jw.util", [eco([ev(I, "0"), ev(F, "1.3")])]),
    rec("introduced-twice", "demo", [eco([ev(I, "1.0"), ev(I, "1.5"), ev(F, "2.0"), ev(F, "2.5")])]),
    rec("zero-fix", "demo", [eco([ev(I, "0"), ev(F, "0"), ev(I, "3.0")])]),
]
# A record with two affected entries: one for another ecosystem, one with a different name form.
RECORDS.append({
    "id": "multi-affected", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2000-0001"],
    "affected": [
        {"package": {"ecosystem": "npm", "name": "demo"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
         "versions": ["1.0"]},
        {"package": {"ecosystem": "PyPI", "name": "DEMO"}, "ranges": [eco([ev(I, "2.5"), ev(F, "2.6")])]},
        {"package": {"ecosystem": "PyPI", "name": "demo"}, "versions": ["0.1"]},
    ],
})

VERSIONS = [
    "0", "0.0.1", "0.1", "0.2", "0.5", "0.5.0", "0.9", "0.9.9", "0.10", "0.10.1", "0.99", "1.0.dev0", "1.0.dev3",
    "1.0.dev4", "1.0a1", "1.0-beta", "1.0b0", "1.0rc1", "1.0", "1.0.0", "1.0+abc", "1.0+abd", "1.0+local",
    "1.0+local.2", "1.0+local.10", "1.0.post1", "1.0-1", "1.0.post1+x", "1.0.post2", "1.0.1", "1.1", "1.1.0",
    "1.1.1", "1.2", "1.2.2", "1.2.3rc1", "1.2.3", "1.2.3+local", "1.2.3.post1", "1.3", "1.5", "1.6", "1.7",
    "1.8b1", "1.8rc1", "1.8", "1.9", "1.11.0", "1.11.0+local", "1.11.0.post1", "1.11.1", "2.0.dev0", "2.0a1",
    "2.0b1", "2.0rc1", "2.0rc2", "2.0", "2.0.0", "2.0.1", "2.0.5rc1", "2.0.5", "2.1", "2.5", "2.5.1", "2.6",
    "3.0rc1", "3.0", "3.8rc0", "3.9", "4.2", "4.2.9", "4.2.10", "4.2.11", "5.0", "5.0.8", "5.0.9", "5.1",
    "5.1.1", "6.0", "2019.11.9", "2019.11.10", "2020.1", "2020.1.2", "2020.1.2.post1", "0!9999", "1!0.0",
    "1!0.1", "1!1.0", "1!2.0", "V1.1", " 1.2 ", "trunk", "2.0.0-final", "latest", "1.*",
]
NAMES = {"demo": ["demo", "DEMO", "Demo"], "Demo_Pkg": ["demo-pkg", "demo.pkg", "DEMO__pkg"],
         "jw.util": ["jw-util", "jw_util"], "other-pkg": ["demo"]}


def sort_key(event):
    kind, value = next(iter(event.items()))
    if kind == I and value == "0":
        return (0,)
    return (1, parse(value))


def range_verdict(v, rng):
    """(affected, unparseable?) for one ECOSYSTEM range, per the OSV evaluation pseudocode."""
    for e in rng["events"]:
        kind, value = next(iter(e.items()))
        if (kind == I and value == "0") or (kind == LIM and "*" in value):
            continue
        if parse(value) is None:
            return False, True
    if v is None:
        return False, False
    limits = [next(iter(e.values())) for e in rng["events"] if LIM in e]
    if limits and not any("*" in lim or v < parse(lim) for lim in limits):
        return False, False
    vulnerable = False
    for e in sorted((e for e in rng["events"] if LIM not in e), key=sort_key):  # stable
        kind, value = next(iter(e.items()))
        if kind == I and (value == "0" or v >= parse(value)):
            vulnerable = True
        elif kind == F and v >= parse(value):
            vulnerable = False
        elif kind == L and v > parse(value):
            vulnerable = False
    return vulnerable, False


def verdict(record, name, version):
    """(affected, number of unparseable notes) for a pinned version."""
    if record.get("withdrawn"):
        return False, 0
    v = parse(version.strip())
    notes = 0
    hit = False
    for a in record["affected"]:
        if a["package"]["ecosystem"] != "PyPI" or pep503(a["package"]["name"]) != pep503(name):
            continue
        for listed in a.get("versions", []):
            lv = parse(listed)
            if (v == lv) if (v is not None and lv is not None) else (listed == version.strip()):
                hit = True
        for rng in a.get("ranges", []):
            if rng["type"] != "ECOSYSTEM":
                continue
            affected, bad = range_verdict(v, rng)
            notes += bad
            hit = hit or affected
    return hit, notes


def main():
    cases = []
    for record in RECORDS:
        names = NAMES.get(record["affected"][-1]["package"]["name"], ["demo"])
        for i, version in enumerate(VERSIONS):
            name = names[i % len(names)]
            affected, notes = verdict(record, name, version)
            cases.append([record["id"], name, version, affected, notes])
    out = {
        "generator": "scripts/gen-osv-cases.py",
        "packaging": packaging.__version__,
        "records": RECORDS,
        "cases": cases,
    }
    text = json.dumps(out, indent=1)
    # one case per line keeps the fixture reviewable
    text = re.sub(r"\[\n\s+(\"[^\"\n]*\",)\n\s+(\"[^\"\n]*\",)\n\s+(\"[^\"\n]*\",)\n\s+(true|false),\n\s+(\d+)\n\s+\]",
                  r"[\1 \2 \3 \4, \5]", text)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
