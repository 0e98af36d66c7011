"""Writing what readers open: a folder is written whole beside its place and swapped in, so a
reader sees yesterday's folder or tonight's, never half of one; paths go into SQL quoted."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def sql_string(value: str) -> str:
    """`value` as a SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


@contextmanager
def replaced_folder(target: Path) -> Iterator[Path]:
    """A fresh folder to write into; when the block ends without an error it takes the place
    of `target` (the old one is removed), otherwise `target` stays as it was."""
    partial = target.with_name(f".{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    previous = target.with_name(f".{target.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    partial.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
