"""Before a night touches anything: the drops folder can be read and holds deliveries, and every
folder the night writes can be written. A night that cannot do its work stops here with one
line naming the folder and the cause, instead of publishing an empty warehouse or failing deep
inside a step."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from orchestration.settings import Settings


class FolderProblem(Exception):
    """A folder the night needs that it cannot use; the message names the path and the cause."""


def _cause(error: OSError) -> str:
    return error.strerror or type(error).__name__


def check_drops_folder(drops_dir: Path) -> None:
    if not drops_dir.exists():
        raise FolderProblem(f"drops folder {drops_dir}: does not exist")
    if not drops_dir.is_dir():
        raise FolderProblem(f"drops folder {drops_dir}: is not a folder")
    try:
        entries = os.listdir(drops_dir)
    except OSError as error:
        raise FolderProblem(f"drops folder {drops_dir}: cannot be read ({_cause(error)})") from None
    if not entries:
        raise FolderProblem(f"drops folder {drops_dir}: is empty (no <partner_id>/ folder)")


def check_writable(folder: Path) -> None:
    """Create `folder` if need be and write a file into it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise FolderProblem(f"folder {folder}: cannot be written ({_cause(error)})") from None


def check_folders(settings: Settings) -> None:
    """Raise FolderProblem for the first folder of the night that cannot be used."""
    check_drops_folder(settings.drops_dir)
    for folder in (
        settings.landing_dir,
        settings.build_db_path.parent,
        settings.db_path.parent,
        settings.export_dir,
        settings.reports_dir,
    ):
        check_writable(folder)
