#!/usr/bin/python3
"""Expected PEP 440 answers from Python's `packaging` for test/dependencies/pep440.test.ts.

Run with the system interpreter (packaging 23.0):
    /usr/bin/python3 scripts/gen-pep440-cases.py > test/fixtures/pep440-cases.json
"""
import itertools
import json
import sys

import packaging
from packaging.version import InvalidVersion, Version

# Strings to parse: valid in odd spellings, and invalid ones seen in advisory data.
PARSE = [
    "0", "1", "1.0", "1.0.0", "01.02.03", "v1.0", "V1.0", "  1.0\t", "1.0a", "1.0A1", "1.0alpha1",
    "1.0-alpha.1", "1.0beta", "1.0c1", "1.0C1", "1.0pre2", "1.0preview3", "1.0-rc", "1.0_rc_1", "1.0.RC.1",
    "1.0.dev", "1.0-dev-2", "1.0dev", "1.0.post", "1.0-post-1", "1.0post1", "1.0r", "1.0rev2", "1.0-1",
    "1.0-0", "1.0.r1", "1.0.post1.dev2", "1.0a1.post2.dev3", "1!1.0", "0!1.0", "1.0+local", "1.0+ABC.Def",
    "1.0+abc-1_2", "1.0+1e5", "1.0+0x10", "1.0+007", "2019.11.09", "3.8-rc", "0.1.7a", "0.1.2-1",
    "1.8c1", "1.0-beta", "1.0.0.0.0", "18446744073709551616.0", "1.9007199254740993",
    # invalid
    "", " ", "1.0.", ".1", "1..0", "1.0+", "1.0+local+x", "1.0+loc@l", "1.0-final", "2.0.0-final",
    "0.3m1", "trunk", "a1.0", "1.0-n653", "0.2.0-n653", "2019-09-12", "1.0.x", "1.*", "==1.0", "1.0 beta",
    "vv1.0", "1,0", "1.0-", "1.0_", "1.0a1b2", "latest", "*", "1 0",
]

# Versions compared pairwise (every unordered pair, both directions checked by the test).
COMPARE = [
    "0", "0.0.0", "0.1", "0.9", "0.10", "0.10.1", "1.0.dev0", "1.0.dev", "1.0a", "1.0a0", "1.0a1.dev1",
    "1.0a1", "1.0ALPHA1", "1.0a1.post1", "1.0b1", "1.0beta2", "1.0c1", "1.0rc1", "1.0pre1", "1.0rc1.post1.dev1",
    "1.0rc1.post1", "1.0rc2", "1", "1.0", "1.0.0", "v1.0", "1.0.0.0", "1.0+local", "1.0+abc.1", "1.0+abc.2",
    "1.0+abc.10", "1.0+1", "1.0+1.abc", "1.0+ABC", "1.0+abc-1", "1.0+1e5", "1.0+100000", "1.0.0+local",
    "1.0.post1.dev1", "1.0.post1", "1.0-1", "1.0post", "1.0.post1+local", "1.0.post2", "1.0.1.dev0",
    "1.0.1", "1.1", "1.9", "1.10", "1.9007199254740992", "1.9007199254740993", "2.0.dev0", "2.0a1",
    "2.0rc1", "2.0", "2.0.0.0", "2019.11.09", "2019.11.9", "3.8-rc", "3.8rc0", "0!3.0", "1!0.1", "1!2.0",
    "1!2.0rc1", "2!0",
]


def key(v: Version):
    return v


def main() -> None:
    parse_cases = []
    for s in PARSE:
        try:
            v = Version(s)
        except InvalidVersion:
            parse_cases.append({"input": s, "valid": False})
            continue
        parse_cases.append({
            "input": s,
            "valid": True,
            "normalized": str(v),
            "public": v.public,
            "base": v.base_version,
            "epoch": v.epoch,
            "release": list(v.release) if all(x < 2**53 for x in v.release) else None,
            "pre": [v.pre[0], v.pre[1]] if v.pre else None,
            "post": v.post,
            "dev": v.dev,
            "local": v.local,
            "isPrerelease": v.is_prerelease,
            "isPostrelease": v.is_postrelease,
            "isDevrelease": v.is_devrelease,
        })
    compare_cases = []
    for a, b in itertools.combinations(COMPARE, 2):
        va, vb = Version(a), Version(b)
        compare_cases.append([a, b, (va > vb) - (va < vb)])
    sorted_versions = [str(s) for s in sorted(COMPARE, key=Version)]
    json.dump({
        "generator": "scripts/gen-pep440-cases.py",
        "packaging": packaging.__version__,
        "python": sys.version.split()[0],
        "parse": parse_cases,
        "compare": compare_cases,
        "sorted": sorted_versions,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
