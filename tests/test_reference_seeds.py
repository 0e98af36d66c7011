"""The actor alias seeds, built from the real MISP galaxies plus the curated rows: what is
committed is what the builder writes, and an alias several actors share is reported, never
resolved at random."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from orchestration.settings import REFERENCE_SEEDS_DIR
from orchestration.tools.reference_seeds import alias_key, build
from tests.conftest import REAL_DATA

OUTPUTS = ("actor_aliases.csv", "actor_alias_collisions.csv")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def galaxies(folder: Path, threat_actors: list[dict], ransomware: list[dict]) -> Path:
    folder.mkdir()
    for name, values in (("threat-actor", threat_actors), ("ransomware", ransomware)):
        (folder / f"misp-galaxy_{name}.json").write_text(json.dumps({"values": values}))
    return folder


def curations(folder: Path, *curated: tuple[str, str, str]) -> Path:
    folder.mkdir()
    with (folder / "actor_curations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["alias", "actor_key", "actor_name"])
        writer.writerows(curated)
    return folder


def test_the_committed_seeds_are_what_the_builder_writes_from_the_real_galaxies(tmp_path):
    shutil.copy(REFERENCE_SEEDS_DIR / "actor_curations.csv", tmp_path)

    resolved, collisions = build(REAL_DATA, tmp_path)

    for name in OUTPUTS:
        assert rows(tmp_path / name) == rows(REFERENCE_SEEDS_DIR / name), name
    assert (resolved, collisions) == (
        len(rows(tmp_path / OUTPUTS[0])),
        len(rows(tmp_path / OUTPUTS[1])),
    )
    assert resolved > 1000 and collisions > 0


def test_an_alias_two_actors_share_is_a_collision_and_resolves_nothing(tmp_path):
    galaxy_dir = galaxies(
        tmp_path / "galaxies",
        [
            {"value": "Alpha Bear", "meta": {"synonyms": ["Shared Name", "Alpha-Bear"]}},
            {"value": "Beta Panda", "meta": {"synonyms": ["shared_name"]}},
        ],
        [{"value": "LockNet 2.0"}],
    )
    seeds_dir = curations(tmp_path / "seeds")

    build(galaxy_dir, seeds_dir)

    aliases = {r["alias_key"]: r["actor_key"] for r in rows(seeds_dir / OUTPUTS[0])}
    assert aliases == {
        "alphabear": "alpha-bear",
        "betapanda": "beta-panda",
        "locknet20": "locknet-2-0",
    }
    (collision,) = rows(seeds_dir / OUTPUTS[1])
    assert collision["alias_key"] == "sharedname"
    assert collision["actor_names"] == "Alpha Bear; Beta Panda"


def test_a_curated_alias_settles_a_collision(tmp_path):
    galaxy_dir = galaxies(
        tmp_path / "galaxies",
        [
            {"value": "Alpha Bear", "meta": {"synonyms": ["Shared Name"]}},
            {"value": "Beta Panda", "meta": {"synonyms": ["Shared Name"]}},
        ],
        [],
    )
    seeds_dir = curations(tmp_path / "seeds", ("SHARED name", "beta-panda", "Beta Panda"))

    build(galaxy_dir, seeds_dir)

    curated = [r for r in rows(seeds_dir / OUTPUTS[0]) if r["alias_key"] == "sharedname"]
    assert [(r["actor_key"], r["source"]) for r in curated] == [("beta-panda", "curated")]
    assert rows(seeds_dir / OUTPUTS[1]) == []


def test_a_curated_alias_that_names_two_actors_is_refused(tmp_path):
    galaxy_dir = galaxies(tmp_path / "galaxies", [], [])
    seeds_dir = curations(
        tmp_path / "seeds", ("Gamma", "gamma-one", "Gamma One"), ("gamma", "gamma-two", "Gamma Two")
    )

    with pytest.raises(ValueError, match="names two actors"):
        build(galaxy_dir, seeds_dir)


@pytest.mark.parametrize(
    ("one", "other"),
    [("LockBit 3.0", "lockbit30"), ("Cl0p", "CL0P"), ("APT_28", "apt-28"), ("Straße", "STRASSE")],
)
def test_names_meet_whatever_their_case_and_punctuation(one, other):
    assert alias_key(one) == alias_key(other)
