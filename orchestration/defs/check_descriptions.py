"""What each dbt test guards, in words, for the asset checks Dagster shows: generic tests are
described from their definition (test name and arguments), singular tests carry their own
description in `meta`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _column(kwargs: Mapping[str, Any]) -> str:
    return f"`{kwargs.get('column_name')}`"


def _accepted(kwargs: Mapping[str, Any]) -> str:
    values = kwargs.get("values") or []
    return f"{_column(kwargs)} is one of {', '.join(str(v) for v in values)}"


def _relationship(kwargs: Mapping[str, Any]) -> str:
    target = str(kwargs.get("to", "")).removeprefix("ref(").removesuffix(")").strip("'\"")
    return f"every {_column(kwargs)} is a `{kwargs.get('field')}` of {target}"


def _not_null(kwargs: Mapping[str, Any]) -> str:
    columns = [f"`{column}`" for column in kwargs.get("columns") or []]
    if len(columns) == 1:
        return f"{columns[0]} is never null"
    return f"{', '.join(columns[:-1])} and {columns[-1]} are never null"


def _combination(kwargs: Mapping[str, Any]) -> str:
    columns = kwargs.get("columns") or kwargs.get("combination_of_columns") or []
    return f"each ({', '.join(columns)}) occurs once"


WORDS = {
    "not_null": lambda kwargs: f"{_column(kwargs)} is never null",
    "not_null_columns": _not_null,
    "unique": lambda kwargs: f"{_column(kwargs)} is unique",
    "accepted_values": _accepted,
    "relationships": _relationship,
    "unique_combination": _combination,
}


def describe_test(test: Mapping[str, Any]) -> str | None:
    """A sentence for the test node `test` of dbt's manifest, with what its failure does."""
    config = test.get("config", {})
    description = test.get("description") or config.get("meta", {}).get("description")
    metadata = test.get("test_metadata") or {}
    if not description and metadata.get("name") in WORDS:
        description = WORDS[metadata["name"]](metadata.get("kwargs", {}))
    if not description:
        return None
    if config.get("severity", "error").lower() == "warn":
        return f"{description} (warns, never stops the night)"
    return f"{description} (a failure holds the data back or stops the night)"
