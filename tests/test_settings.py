"""One owner of configuration: the WarehouseConfig resource reads the CCW_* variables, applies
the defaults and hands dbt its settings; nothing else reads them and nothing writes the
environment."""

import re
from pathlib import Path

import pytest

from orchestration.defs.resources import WarehouseConfig
from orchestration.settings import VARIABLES, VICTIM_KEY_VARIABLE
from tests.conftest import REPO_ROOT

SOURCES = sorted((REPO_ROOT / "orchestration").rglob("*.py"))
OWNER = REPO_ROOT / "orchestration" / "defs" / "resources.py"


def test_only_the_configuration_resource_reads_ccw_variables():
    readers = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in SOURCES
        if path != OWNER
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"environ|getenv", line)
        and "CCW_" in line
        or re.search(r"""environ(\.get)?\(?\[?\s*f?["']CCW_""", line)
    ]
    assert len(SOURCES) > 30
    assert readers == []


PLAIN_ROOMS = ("landing", "sql", "publish", "tools")


def test_the_plain_rooms_import_no_dagster_and_no_other_room():
    """Landing, the SQL functions, publishing and the tools are plain code: Dagster and the
    wiring of the rooms live in defs/."""
    found = []
    for room in PLAIN_ROOMS:
        for path in (REPO_ROOT / "orchestration" / room).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for imported in re.findall(r"^\s*(?:import|from) ([a-z_.]+)", text, re.M):
                top = imported.split(".")
                if top[0].startswith("dagster") or (
                    top[0] == "orchestration" and top[1] not in (room, "settings")
                ):
                    found.append(f"{path.relative_to(REPO_ROOT)}: {imported}")
    assert sum(1 for r in PLAIN_ROOMS for _ in (REPO_ROOT / "orchestration" / r).rglob("*.py")) > 25
    assert found == []


def test_the_victim_key_is_read_only_by_the_dbt_plugin():
    """The one exception: a secret that reaches dbt's process through no profile or argument."""
    readers = [
        str(path.relative_to(REPO_ROOT))
        for path in SOURCES
        if path != OWNER and "environ.get(VICTIM_KEY_VARIABLE)" in path.read_text(encoding="utf-8")
    ]
    assert readers == ["orchestration/sql/duckdb_functions.py"]
    profile = (REPO_ROOT / "profiles.yml").read_text(encoding="utf-8")
    assert VICTIM_KEY_VARIABLE not in profile and "victim_key" not in profile


def test_nothing_writes_the_environment():
    writes = re.compile(r"environ\[[^]]+\]\s*=|environ\.(setdefault|update|pop)\(|putenv\(")
    writers = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if writes.search(line)
    ]
    assert writers == []


def test_paths_default_beside_the_published_file(tmp_path):
    settings = WarehouseConfig(db_path=str(tmp_path / "out" / "ccw.duckdb")).resolve()

    assert settings.landing_dir == tmp_path / "out" / "landing"
    assert settings.build_db_path == tmp_path / "out" / "build" / "ccw.duckdb"
    assert settings.registry_path == tmp_path / "out" / "landing" / "registry.parquet"
    assert settings.dbt_vars()["ccw_build_db_path"] == str(settings.build_db_path)


def test_relative_paths_are_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = WarehouseConfig(drops_dir="drops", db_path="wh/ccw.duckdb").resolve()

    assert settings.drops_dir == tmp_path / "drops"
    assert settings.db_path == tmp_path / "wh" / "ccw.duckdb"


def test_a_build_file_named_unlike_the_published_file_is_refused(tmp_path):
    config = WarehouseConfig(
        db_path=str(tmp_path / "ccw.duckdb"), build_db_path=str(tmp_path / "b" / "other.duckdb")
    )
    with pytest.raises(ValueError, match="same file name"):
        config.resolve()


def test_the_environment_gives_each_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("CCW_DB_PATH", str(tmp_path / "ccw.duckdb"))
    monkeypatch.setenv("CCW_INGEST_WORKERS", "3")
    monkeypatch.setenv("CCW_MAX_FILE_BYTES", "1000")
    monkeypatch.setenv("CCW_DUCKDB_MEMORY_LIMIT", "3GB")
    monkeypatch.delenv("CCW_PARALLEL_MIN_BYTES", raising=False)

    settings = WarehouseConfig.from_environment().resolve()

    assert settings.db_path == tmp_path / "ccw.duckdb"
    assert (settings.ingest_workers, settings.max_file_bytes) == (3, 1000)
    assert settings.parallel_min_bytes == 16 * 1024 * 1024
    # dbt's process and the night's own connections (landing, publish, exports, reports)
    assert settings.dbt_vars()["ccw_duckdb_memory_limit"] == "3GB"
    # spilling beside the build file (wherever CCW_BUILD_DB_PATH, which make sets, puts it)
    assert settings.duckdb_config() == {
        "memory_limit": "3GB",
        "temp_directory": f"{settings.build_db_path}.tmp",
    }


def test_every_variable_is_documented_in_the_readme_with_its_default():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    # the warehouse's table; the dashboard's own variables have theirs under "## Dashboard"
    configuration = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = {
        cells[0].strip("` "): cells[1]
        for line in configuration.splitlines()
        if line.startswith("| `CCW_")
        for cells in [line.strip("|").split("|")]
    }

    assert set(rows) == {variable for variable, _, _ in VARIABLES.values()} | {VICTIM_KEY_VARIABLE}
    for variable, default, _ in VARIABLES.values():
        if isinstance(default, Path):
            assert str(default.relative_to(REPO_ROOT)) in rows[variable], variable
        elif isinstance(default, int):
            assert f"{default // (1024 * 1024)} MiB" in rows[variable], variable
        elif default is not None:
            assert str(default) in rows[variable], variable
