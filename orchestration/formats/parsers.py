"""Which parser reads which format."""

from __future__ import annotations

from collections.abc import Callable

from orchestration.formats.records import Record
from orchestration.formats.stix import parse_stix_bundle

Parser = Callable[[bytes], list[Record]]

PARSERS: dict[str, Parser] = {
    "stix21": parse_stix_bundle,
}
