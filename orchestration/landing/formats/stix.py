"""STIX 2.1 bundles, or one STIX object delivered on its own: one record per object, with
the object's JSON path as its locator."""

from __future__ import annotations

import re

from orchestration.landing.formats import json_text
from orchestration.landing.formats.context import ParseContext
from orchestration.landing.formats.records import FileRejected, ParsedRecords
from orchestration.landing.formats.text import decode_json_document

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def _is_single_object(document: object) -> bool:
    """A STIX object that is not a bundle: a type and an id `<type>--<uuid>`."""
    if not isinstance(document, dict):
        return False
    object_type, object_id = document.get("type"), document.get("id")
    return (
        isinstance(object_type, str)
        and object_type not in ("", "bundle")
        and isinstance(object_id, str)
        and object_id.startswith(object_type + "--")
        and _UUID.fullmatch(object_id[len(object_type) + 2 :]) is not None
    )


def parse_stix_bundle(data: bytes, context: ParseContext | None = None) -> ParsedRecords:
    """Split a STIX 2.1 bundle into its objects.

    An object that is not a JSON object with a `type` is kept as a damaged record; a document
    that is not a bundle rejects the file.
    """
    document = decode_json_document(data)
    if _is_single_object(document):
        records = ParsedRecords()
        records.add("$", document["type"], json_text.dumps(document))
        return records
    if not isinstance(document, dict) or document.get("type") != "bundle":
        raise FileRejected('not a STIX bundle: top level must be {"type": "bundle", ...}')
    objects = document.get("objects", [])
    if not isinstance(objects, list):
        raise FileRejected("not a STIX bundle: $.objects is not a list")

    records = ParsedRecords()
    add, dumps = records.add, json_text.dumps
    for index, obj in enumerate(objects):
        locator = f"$.objects[{index}]"
        object_type = obj.get("type") if isinstance(obj, dict) else None
        if isinstance(object_type, str) and object_type:
            add(locator, object_type, dumps(obj))
        elif isinstance(obj, dict):
            add(locator, None, dumps(obj), "STIX object has no type")
        else:
            add(locator, None, dumps(obj), "STIX object is not a JSON object")
    return records
