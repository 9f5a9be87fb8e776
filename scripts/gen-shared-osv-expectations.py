#!/usr/bin/python3
"""packaging's answers for test/shared/advisory-db.test.ts, computed at test time.

    /usr/bin/python3 scripts/gen-shared-osv-expectations.py DB.json PINS.json > ANSWERS.json

DB.json is the shared PyPA OSV snapshot (../shared/advisory-db/pypa-osv.json; never copied into this
repository). PINS.json, written by the test, is
    {"records": [[record_index, name, version], ...], "packages": [[name, version], ...]}
and the answer is
    {"records": [[affected, unparseable_range_count], ...],
     "packages": [{"ids": [...], "lowestSafe": "x.y" | null}, ...]}

The OSV walk itself is the one in scripts/gen-osv-cases.py (packaging.version ordering, independent of
pyward's TypeScript).
"""
import importlib.util
import json
import pathlib
import sys

_spec = importlib.util.spec_from_file_location("gen_osv_cases", pathlib.Path(__file__).with_name("gen-osv-cases.py"))
osv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(osv)


def fixed_versions(records, name):
    """Parseable `fixed` bounds of the package's evaluable ECOSYSTEM ranges, one per PEP 440 version."""
    out = {}
    for r in records:
        for a in r.get("affected", []):
            if a["package"]["ecosystem"] != "PyPI" or osv.pep503(a["package"]["name"]) != osv.pep503(name):
                continue
            for rng in a.get("ranges", []):
                if rng["type"] != "ECOSYSTEM":
                    continue
                values = [next(iter(e.items())) for e in rng["events"]]
                if any(osv.parse(v) is None for k, v in values if not (k == "introduced" and v == "0") and not (k == "limit" and "*" in v)):
                    continue
                for k, v in values:
                    if k == "fixed":
                        out.setdefault(osv.parse(v), v)
    return sorted(out.items())


def lowest_safe(records, name, pin):
    v = osv.parse(pin.strip())
    if v is None:
        return None
    live = [r for r in records if not r.get("withdrawn")]
    if not any(osv.verdict(r, name, pin)[0] for r in live):
        return None
    for version, raw in fixed_versions(live, name):
        if version > v and not any(osv.verdict(r, name, raw)[0] for r in live):
            return raw
    return None


def main():
    db = json.load(open(sys.argv[1], encoding="utf-8"))
    pins = json.load(open(sys.argv[2], encoding="utf-8"))
    by_name = {}
    for r in db:
        for a in r.get("affected", []):
            if a["package"]["ecosystem"] == "PyPI":
                lst = by_name.setdefault(osv.pep503(a["package"]["name"]), [])
                if not lst or lst[-1] is not r:
                    lst.append(r)
    answers = {"records": [], "packages": []}
    for index, name, version in pins["records"]:
        affected, notes = osv.verdict(db[index], name, version)
        answers["records"].append([affected, notes])
    for name, version in pins["packages"]:
        records = by_name.get(osv.pep503(name), [])
        answers["packages"].append({
            "ids": [r["id"] for r in records if osv.verdict(r, name, version)[0]],
            "lowestSafe": lowest_safe(records, name, version),
        })
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
