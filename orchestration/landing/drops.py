"""Find what partners delivered: `<drops>/<partner_id>/<YYYY-MM-DD>/<file>`.

Discovery never follows a symlink and never leaves the drops folder. Anything that does not fit
the layout is still reported (with the reason), so that nothing delivered goes unseen.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class DeliveredFile:
    """A file found under the drops folder. `problem` is set when it cannot be read at all."""

    relative_path: str
    path: Path
    partner_id: str | None
    delivered_on: date | None
    problem: str | None = None


def _delivery_date(name: str) -> date | None:
    try:
        return date.fromisoformat(name) if len(name) == 10 else None
    except ValueError:
        return None


def _utf8_name(name: str) -> tuple[str, bool]:
    """The name as text that can be written anywhere, and whether it was valid UTF-8 (a name
    that is not keeps its bytes as `\\x..` escapes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace"), False
    return name, True


def discover_drops(drops_dir: Path) -> Iterator[DeliveredFile]:
    """Yield every entry under `drops_dir`, in a stable order, judged against the layout."""

    def walk(folder: Path, depth: int) -> Iterator[tuple[Path, int]]:
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.is_dir() and not entry.is_symlink() and depth < 2:
                yield from walk(entry, depth + 1)
            else:
                yield entry, depth

    if not drops_dir.is_dir():
        return
    for entry, depth in walk(drops_dir, 0):
        relative, readable_name = _utf8_name(entry.relative_to(drops_dir).as_posix())
        parts = relative.split("/")
        partner_id = parts[0] if len(parts) > 1 else None
        delivered_on = _delivery_date(parts[1]) if len(parts) > 2 else None
        problem = None
        if not readable_name:
            problem = "file name is not valid UTF-8 (its bytes are shown escaped): rename it"
        elif entry.is_symlink():
            problem = "symbolic link: not followed"
        elif entry.is_dir():
            problem = "folder nested deeper than <partner_id>/<YYYY-MM-DD>/: not read"
        elif not entry.is_file():
            problem = "not a regular file"
        elif depth != 2:
            problem = "not in a <partner_id>/<YYYY-MM-DD>/ folder"
        elif delivered_on is None:
            problem = f"delivery folder {parts[1]!r} is not a date (YYYY-MM-DD)"
        yield DeliveredFile(relative, entry, partner_id, delivered_on, problem)


def registered_partners(partners_seed: Path) -> set[str]:
    """Partner ids from the partner registry seed."""
    with partners_seed.open(newline="", encoding="utf-8") as handle:
        return {row["partner_id"] for row in csv.DictReader(handle)}


def delivery_folder_states(drops_dir: Path) -> dict[date, str]:
    """For each delivery date, a fingerprint of what its folders hold (names, sizes, mtimes),
    cheap enough for a sensor to compute every few minutes."""
    states: dict[date, list[str]] = {}
    for delivered in discover_drops(drops_dir):
        if delivered.delivered_on is None:
            continue
        try:
            stat = delivered.path.lstat()
        except FileNotFoundError:
            continue
        entry = f"{delivered.relative_path}:{stat.st_size}:{stat.st_mtime_ns}"
        states.setdefault(delivered.delivered_on, []).append(entry)
    return {day: "\n".join(sorted(entries)) for day, entries in states.items()}
