"""MISP event exports: `{"Event": {...}}`, a bare event (attributes, objects or both), or
`{"response": [...]}` or a bare JSON array around wrapped or bare events.

Records: one `event` (the event without its attributes and objects, tags included), one
`object` per MISP object (without its attributes), and one `attribute` per attribute, whether
it sits in `Event.Attribute[]` or in `Event.Object[].Attribute[]`. Each attribute record carries
the uuids of its event and object so normalization can apply event and object context.
"""

from __future__ import annotations

import orjson

from orchestration.landing.formats import json_text
from orchestration.landing.formats.context import ParseContext
from orchestration.landing.formats.records import FileRejected, ParsedRecords
from orchestration.landing.formats.text import decode_json_document

_dump = json_text.dumps


# keys only a MISP event has at its top level (a bare event need not have all of them)
_EVENT_KEYS = ("Attribute", "Object", "uuid", "info")


def _is_bare_event(item: object) -> bool:
    return isinstance(item, dict) and "Event" not in item and any(k in item for k in _EVENT_KEYS)


def _events(document: object) -> list[tuple[str, object]]:
    if isinstance(document, list):  # a bare array of events, as MISP's REST API answers
        document = {"response": document}
        prefix = "$"
    else:
        prefix = "$.response"
    if isinstance(document, dict) and isinstance(document.get("response"), list):
        events: list[tuple[str, object]] = []
        for index, item in enumerate(document["response"]):
            if isinstance(item, dict) and "Event" in item:
                events.append((f"{prefix}[{index}].Event", item["Event"]))
            elif _is_bare_event(item):
                events.append((f"{prefix}[{index}]", item))
            else:
                events.append((f"{prefix}[{index}]", None))
        return events
    if isinstance(document, dict) and "Event" in document:
        return [("$.Event", document["Event"])]
    if _is_bare_event(document):
        return [("$", document)]
    raise FileRejected(
        'not a MISP export: expected {"Event": ...}, {"response": [...]} or an event'
    )


def _add_attributes(
    records: ParsedRecords, attributes: object, path: str, event_uuid: object, obj: dict | None
) -> None:
    """One record per attribute: `{"event_uuid", "object_uuid", "object_name",
    "object_meta_category", "object_deleted", "attribute": {...}}`; the context part is
    serialized once."""
    if attributes is None:
        return
    if not isinstance(attributes, list):
        records.add(path, None, _dump(attributes), f"{path} is not a list")
        return
    context = {
        "event_uuid": event_uuid,
        "object_uuid": obj.get("uuid") if obj else None,
        "object_name": obj.get("name") if obj else None,
        "object_meta_category": obj.get("meta-category") if obj else None,
        "object_deleted": obj.get("deleted") if obj else None,
    }
    prefix = _dump(context)[:-1] + b',"attribute":'
    if all(isinstance(a, dict) and "type" in a and "value" in a for a in attributes):
        try:  # the usual case, in bulk
            contents = [prefix + orjson.dumps(a) + b"}" for a in attributes]
        except TypeError:  # something orjson cannot write (an integer beyond 64 bits)
            pass
        else:
            records.add_sound(
                [f"{path}[{index}]" for index in range(len(attributes))], "attribute", contents
            )
            return
    for index, attribute in enumerate(attributes):
        locator = f"{path}[{index}]"
        if not isinstance(attribute, dict):
            records.add(locator, None, _dump(attribute), "attribute is not an object")
            continue
        error = (
            None
            if "type" in attribute and "value" in attribute
            else "attribute lacks type or value"
        )
        records.add(locator, "attribute", prefix + _dump(attribute) + b"}", error)


def parse_misp(data: bytes, context: ParseContext) -> ParsedRecords:
    records = ParsedRecords()
    for path, event in _events(decode_json_document(data)):
        if not isinstance(event, dict):
            records.add(path, None, _dump(event), "event is not a JSON object")
            continue
        event_uuid = event.get("uuid")
        header = {k: v for k, v in event.items() if k not in ("Attribute", "Object")}
        records.add(path, "event", _dump(header))
        _add_attributes(records, event.get("Attribute"), f"{path}.Attribute", event_uuid, None)
        objects = event.get("Object") or []
        if not isinstance(objects, list):
            records.add(f"{path}.Object", None, _dump(objects), "Object is not a list")
            continue
        for index, obj in enumerate(objects):
            locator = f"{path}.Object[{index}]"
            if not isinstance(obj, dict):
                records.add(locator, None, _dump(obj), "object is not a JSON object")
                continue
            meta = {"event_uuid": event_uuid, **obj}  # the object's own keys win
            meta.pop("Attribute", None)
            records.add(locator, "object", _dump(meta))
            _add_attributes(records, obj.get("Attribute"), f"{locator}.Attribute", event_uuid, obj)
    return records
