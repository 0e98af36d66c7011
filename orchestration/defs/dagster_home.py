"""A Dagster home for the warehouse: the project's dagster.yaml plus the event log that keeps
its connections open (orchestration/defs/event_log.py), with its folder spelled out for that
home (a storage is configured by its own settings only, so it cannot find the home it belongs
to). `make` writes `.dagster/` with it; so do the command line and the tests for the homes
they use. The template itself names no storage, so a bare `dagster` command in the repository
(which reads ./dagster.yaml for a temporary instance) keeps Dagster's default one.

    python -m orchestration.defs.dagster_home .dagster
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from orchestration.settings import REPO_ROOT


def write_dagster_home(home: Path) -> Path:
    """Write `home`/dagster.yaml (creating `home`); the home."""
    home = home.resolve()
    config = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text(encoding="utf-8"))
    config["event_log_storage"] = {
        "module": "orchestration.defs.event_log",
        "class": "KeptOpenSqliteEventLogStorage",
        "config": {"base_dir": str(home / "history" / "runs")},
    }
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return home


if __name__ == "__main__":
    print(write_dagster_home(Path(sys.argv[1])) / "dagster.yaml")
