"""Build the actor alias seed from the MISP galaxies (threat actors and ransomware) plus the
hand-curated rows, reporting every alias that the galaxies give to more than one actor instead
of resolving it at random.

    python -m orchestration.tools.reference_seeds --galaxy-dir ../shared/real-data

writes `seeds/reference/actor_aliases.csv` and `seeds/reference/actor_alias_collisions.csv`.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import defaultdict
from pathlib import Path

from orchestration.settings import REFERENCE_SEEDS_DIR

GALAXIES = {
    "misp-galaxy:threat-actor": "misp-galaxy_threat-actor.json",
    "misp-galaxy:ransomware": "misp-galaxy_ransomware.json",
}


def alias_key(name: str) -> str:
    """How names are compared: case-folded, letters and digits only ("LockBit 3.0" and
    "lockbit30" meet; so do "Cl0p" and "CL0P"). The SQL macro `actor_alias_key` matches it."""
    return re.sub(r"[\W_]+", "", name.casefold())


def actor_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or alias_key(name)


def galaxy_aliases(path: Path, source: str) -> list[tuple[str, str, str, str]]:
    """(alias, actor_key, actor_name, source) for every cluster name and synonym."""
    rows = []
    for cluster in json.loads(path.read_text(encoding="utf-8"))["values"]:
        name = cluster["value"].strip()
        key = actor_slug(name)
        synonyms = (cluster.get("meta") or {}).get("synonyms") or []
        for alias in [name, *synonyms]:
            if isinstance(alias, str) and alias_key(alias):
                rows.append((alias.strip(), key, name, source))
    return rows


def build(galaxy_dir: Path, seeds_dir: Path) -> tuple[int, int]:
    with (seeds_dir / "actor_curations.csv").open(encoding="utf-8", newline="") as handle:
        curated = [
            (r["alias"], r["actor_key"], r["actor_name"], "curated") for r in csv.DictReader(handle)
        ]
    curated_keys = {alias_key(alias) for alias, *_ in curated}
    by_alias: dict[str, dict[str, tuple[str, str, str, str]]] = defaultdict(dict)
    for source, file_name in GALAXIES.items():
        for row in galaxy_aliases(galaxy_dir / file_name, source):
            by_alias[alias_key(row[0])].setdefault(row[1], row)

    resolved, collisions = [], []
    for key, candidates in sorted(by_alias.items()):
        if key in curated_keys:
            continue
        if len(candidates) == 1:
            alias, actor_key, actor_name, source = next(iter(candidates.values()))
            resolved.append((key, alias, actor_key, actor_name, source))
        else:
            collisions.append(
                (
                    key,
                    next(iter(candidates.values()))[0],
                    "; ".join(sorted(row[2] for row in candidates.values())),
                    "; ".join(sorted({row[3] for row in candidates.values()})),
                )
            )
    curated_by_key: dict[str, tuple[str, str, str, str, str]] = {}
    for alias, actor_key, actor_name, source in curated:
        earlier = curated_by_key.setdefault(
            alias_key(alias), (alias_key(alias), alias, actor_key, actor_name, source)
        )
        if earlier[2] != actor_key:
            raise ValueError(f"curated alias {alias!r} names two actors: {earlier[2]}, {actor_key}")
    resolved += curated_by_key.values()
    resolved.sort()

    with (seeds_dir / "actor_aliases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alias_key", "alias", "actor_key", "actor_name", "source"])
        writer.writerows(resolved)
    with (seeds_dir / "actor_alias_collisions.csv").open(
        "w", encoding="utf-8", newline=""
    ) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alias_key", "alias", "actor_names", "sources"])
        writer.writerows(collisions)
    return len(resolved), len(collisions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--galaxy-dir", type=Path, required=True)
    args = parser.parse_args()
    resolved, collisions = build(args.galaxy_dir, REFERENCE_SEEDS_DIR)
    print(f"{resolved} aliases resolved, {collisions} collisions reported")  # noqa: T201


if __name__ == "__main__":
    main()
