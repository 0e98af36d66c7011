"""Whether a published output (the analysts' file, the public export, the partner reports) is
already what tonight would write, so that a night whose build is the last one's (nothing new:
orchestration/defs/build_inputs.py) does not write the same 250 MB again (5M records).

An output is kept when the last materialization of its asset in this Dagster instance's
history says it was written from the build the build file now records (its inputs digest),
by the same publishing code to the same place, and it is on disk as that run left it (each
file's name, size and modification time). Anything else writes it: no digest recorded (a
build that failed midway, a run of some models only), a new instance, a file changed, moved
or deleted since.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dagster import AssetExecutionContext, MetadataValue

import orchestration.publish
from orchestration.defs.build_inputs import stored_build_inputs
from orchestration.settings import Settings

MADE_FROM = "made from"
AS_WRITTEN = "as written"
WRITTEN_IN_RUN = "written in run"
PUBLISHING_CODE = Path(orchestration.publish.__file__).parent


def made_from(settings: Settings, output: Path) -> str | None:
    """sha256 of what `output` is written from tonight: the recorded build, the publishing
    code, the build file and the output's place; None when no build is recorded."""
    with settings.connect_build_file() as connection:
        inputs = stored_build_inputs(connection)
    if inputs is None:
        return None
    digest = hashlib.sha256(f"{inputs}\n{settings.build_db_path}\n{output}\n".encode())
    for source in sorted(PUBLISHING_CODE.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def as_written(output: Path) -> str:
    """sha256 over the name, size and modification time of `output` (a file) or of each file
    under it (a folder)."""
    if not output.exists():
        return "absent"
    files = [output] if output.is_file() else sorted(p for p in output.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        name = path.relative_to(output.parent)
        digest.update(f"{name}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def kept_output(
    context: AssetExecutionContext, made: str | None, output: Path
) -> dict[str, MetadataValue] | None:
    """The metadata of the asset's last materialization when it wrote `output` from `made` and
    left it as it is now; None when tonight must write it."""
    if made is None:
        return None
    event = context.instance.get_latest_materialization_event(context.asset_key)
    materialization = event.asset_materialization if event else None
    if materialization is None:
        return None
    metadata = dict(materialization.metadata)
    recorded = (metadata.get(MADE_FROM), metadata.get(AS_WRITTEN))
    if recorded != (MetadataValue.text(made), MetadataValue.text(as_written(output))):
        return None
    return metadata


def written_metadata(
    context: AssetExecutionContext, made: str | None, output: Path
) -> dict[str, MetadataValue]:
    """What a materialization that wrote `output` records for the next night to compare."""
    if made is None:
        return {}
    return {
        MADE_FROM: MetadataValue.text(made),
        AS_WRITTEN: MetadataValue.text(as_written(output)),
        WRITTEN_IN_RUN: MetadataValue.text(context.run.run_id),
    }
