"""MISP event exports: `{"Event": {...}}`, a bare event, or `{"response": [{"Event": ...}]}`.

Records: one `event` (the event without its attributes and objects, tags included), one
`object` per MISP object (without its attributes), and one `attribute` per attribute, whether
it sits in `Event.Attribute[]` or in `Event.Object[].Attribute[]`. Each attribute record carries
the uuids of its event and object so normalization can apply event and object context.
"""

from __future__ import annotations

from orchestration.formats import json_text
from orchestration.formats.context import ParseContext
from orchestration.formats.records import FileRejected, Record
from orchestration.formats.text import decode_json_document


def _dump(value: object) -> str:
    return json_text.dumps(value)


def _events(document: object) -> list[tuple[str, dict]]:
    if isinstance(document, dict) and isinstance(document.get("response"), list):
        events = []
        for index, item in enumerate(document["response"]):
            event = item.get("Event") if isinstance(item, dict) else None
            events.append((f"$.response[{index}].Event", event))
        return events
    if isinstance(document, dict) and "Event" in document:
        return [("$.Event", document["Event"])]
    if isinstance(document, dict) and ("Attribute" in document or "uuid" in document):
        return [("$", document)]
    raise FileRejected(
        'not a MISP export: expected {"Event": ...}, {"response": [...]} or an event'
    )


def _attribute_records(
    attributes: object, path: str, event_uuid: object, obj: dict | None
) -> list[Record]:
    if attributes is None:
        return []
    if not isinstance(attributes, list):
        return [Record(path, None, _dump(attributes), f"{path} is not a list")]
    records = []
    for index, attribute in enumerate(attributes):
        locator = f"{path}[{index}]"
        if not isinstance(attribute, dict):
            records.append(Record(locator, None, _dump(attribute), "attribute is not an object"))
            continue
        context = {
            "event_uuid": event_uuid,
            "object_uuid": obj.get("uuid") if obj else None,
            "object_name": obj.get("name") if obj else None,
            "object_meta_category": obj.get("meta-category") if obj else None,
        }
        error = (
            None
            if "type" in attribute and "value" in attribute
            else "attribute lacks type or value"
        )
        records.append(
            Record(locator, "attribute", _dump({**context, "attribute": attribute}), error)
        )
    return records


def parse_misp(data: bytes, context: ParseContext) -> list[Record]:
    records: list[Record] = []
    for path, event in _events(decode_json_document(data)):
        if not isinstance(event, dict):
            records.append(Record(path, None, _dump(event), "event is not a JSON object"))
            continue
        event_uuid = event.get("uuid")
        header = {k: v for k, v in event.items() if k not in ("Attribute", "Object")}
        records.append(Record(path, "event", _dump(header)))
        records += _attribute_records(event.get("Attribute"), f"{path}.Attribute", event_uuid, None)
        objects = event.get("Object") or []
        if not isinstance(objects, list):
            records.append(Record(f"{path}.Object", None, _dump(objects), "Object is not a list"))
            continue
        for index, obj in enumerate(objects):
            locator = f"{path}.Object[{index}]"
            if not isinstance(obj, dict):
                records.append(Record(locator, None, _dump(obj), "object is not a JSON object"))
                continue
            meta = {k: v for k, v in obj.items() if k != "Attribute"}
            records.append(Record(locator, "object", _dump({"event_uuid": event_uuid, **meta})))
            records += _attribute_records(
                obj.get("Attribute"), f"{locator}.Attribute", event_uuid, obj
            )
    return records
