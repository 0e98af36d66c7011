"""Large synthetic partner drops, in the sample drops' formats and folder layout, for benchmarks.

    python -m orchestration.tools.synthetic_drops --out DIR --records N --seed S

writes `<DIR>/<partner_id>/<YYYY-MM-DD>/<file>` for every partner format: STIX 2.1 bundles
(aegis-labs), MISP event exports (nordic-cert), IOC CSV and sightings JSONL (harbor-isp),
semicolon Windows-1252 IOC CSV and incident CSV (finsec-isac), claims XLSX (sentinel-insure),
operation reports (lea-taskforce) and leak-post CSV (darkwatch-intel). N records are split across
the formats (XLSX is capped, it is slow by nature). The same seed writes the same bytes.

Values are fictitious: documentation IP ranges (RFC 5737, RFC 3849), `example.*` domains, random
hex hashes. A small fraction is defanged or messy (`hxxp`, `[.]`, upper case, trailing dots,
padding), and a few records are damaged (ragged CSV rows, broken JSONL lines, STIX objects
without a type, MISP attributes without a value) so that error handling is exercised too.
Files are built as strings from templates, not with `json.dumps` per record, to stay fast.
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

FIRST_DAY = date(2026, 11, 1)
DAYS = 28

# shares of the requested record count; XLSX and operation reports are sized separately
SHARES = {
    "stix21": 0.25,
    "misp": 0.25,
    "harbor_csv": 0.10,
    "finsec_ioc_csv": 0.08,
    "finsec_incident_csv": 0.03,
    "darkwatch_csv": 0.09,
    "jsonl": 0.20,
}
RECORDS_PER_FILE = {
    "stix21": 60_000,
    "misp": 100_000,
    "harbor_csv": 50_000,
    "finsec_ioc_csv": 40_000,
    "finsec_incident_csv": 20_000,
    "darkwatch_csv": 50_000,
    "jsonl": 50_000,
}
MAX_XLSX_ROWS = 3_000
DAMAGE_RATE = 0.0005  # damaged records
DEFANG_RATE = 0.02  # defanged or messy values

WORDS = (
    "invoice",
    "portal",
    "billing",
    "secure",
    "login",
    "update",
    "cdn",
    "mail",
    "relay",
    "vpn",
    "gateway",
    "transfer",
    "files",
    "payroll",
    "support",
    "helpdesk",
    "cloud",
    "sync",
    "backup",
    "static",
    "api",
    "auth",
    "sso",
    "remote",
    "office",
    "docs",
    "share",
    "lure",
    "panel",
    "drop",
    "stage",
    "loader",
    "beacon",
    "tracker",
    "metrics",
    "assets",
    "edge",
    "node",
)
TLDS = ("com", "net", "org")
ACTORS = (
    "LockBit",
    "LockBit 3.0",
    "LockBitSupp",
    "ALPHV",
    "BlackCat",
    "Cl0p",
    "CL0P",
    "Play",
    "PlayCrypt",
    "Akira",
    "Black Basta",
    "Rhysida",
)
LEAK_GROUPS = ("lockbit3", "alphv", "clop", "play", "akira", "blackbasta", "rhysida", "8base")
COUNTRIES = ("FR", "DE", "NL", "BE", "GB", "NO", "SE", "US", "IE", "CH", "fr", "Germany", "DEU")
SECTORS = (
    "Banking",
    "Payments",
    "Insurance",
    "Manufacturing",
    "Transport & Logistics",
    "Healthcare",
    "Energy",
    "Utilities",
    "Retail",
    "Public Sector",
)
ORG_WORDS = (
    "Acme",
    "Brightwell",
    "Kestrel",
    "Vesper",
    "Oakridge",
    "Lindqvist",
    "Fjordline",
    "Greywater",
    "Harrow",
    "Helvetic",
    "Müller",
    "Lumière",
    "Société",
    "Nordlys",
    "Østfold",
    "Caisse",
    "Initech",
    "Globex",
    "Umbrella",
    "Wayne",
)
ORG_SUFFIXES = ("SA", "GmbH", "BV", "AB", "ASA", "Ltd", "Inc.", "plc", "AG", "SAS")
TLP_WORDS = ("TLP:GREEN", "TLP:AMBER", "TLP:CLEAR", "TLP:WHITE", "amber", "green", "TLP:RED")
TLP_MARKINGS = (
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
)
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


@dataclass(frozen=True)
class GeneratedFile:
    """One written drop file, with the format it should be detected as."""

    path: Path
    partner_id: str
    file_format: str  # as `orchestration.landing.formats.detect.detect_format` names it
    records: int  # records the landing path should produce (approximate for damaged files)


class _Values:
    """Random fictitious indicator values and timestamps from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        base = datetime(2026, 10, 1, tzinfo=UTC)
        seconds = [rng.randrange(0, 40 * 86400) for _ in range(4096)]
        stamps = [base + timedelta(seconds=s) for s in seconds]
        self.iso = [s.strftime("%Y-%m-%dT%H:%M:%SZ") for s in stamps]
        self.iso_ms = [s.strftime("%Y-%m-%dT%H:%M:%S.000Z") for s in stamps]
        self.epoch = [str(int(s.timestamp())) for s in stamps]
        self.offset = [(s + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00") for s in stamps]
        self.french = [s.strftime("%d/%m/%Y %H:%M") for s in stamps]
        self.micro = [
            s.strftime("%Y-%m-%d %H:%M:%S.") + f"{rng.randrange(1_000_000):06d}" for s in stamps
        ]
        self.days = [s.strftime("%Y-%m-%d") for s in stamps]
        self.domains = [self._domain() for _ in range(20_000)]

    def _domain(self) -> str:
        rng = self.rng
        host = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}{rng.randrange(1000)}"
        if rng.random() < 0.3:
            host = f"{rng.choice(WORDS)}.{host}"
        return f"{host}.example.{rng.choice(TLDS)}"

    def uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def ipv4(self) -> str:
        prefix = ("192.0.2.", "198.51.100.", "203.0.113.")[self.rng.randrange(3)]
        return f"{prefix}{self.rng.randrange(1, 255)}"

    def ipv6(self) -> str:
        r = self.rng.getrandbits(48)
        return f"2001:db8:{r >> 32:x}:{(r >> 16) & 0xFFFF:x}::{r & 0xFFFF:x}"

    def domain(self) -> str:
        return self.domains[self.rng.randrange(len(self.domains))]

    def url(self) -> str:
        scheme = "https" if self.rng.random() < 0.7 else "http"
        path = self.rng.choice(WORDS)
        return f"{scheme}://{self.domain()}/{path}/{self.rng.randrange(10_000)}?id={path}"

    def email(self) -> str:
        return f"{self.rng.choice(WORDS)}{self.rng.randrange(100)}@{self.domain()}"

    def md5(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def sha1(self) -> str:
        return f"{self.rng.getrandbits(160):040x}"

    def sha256(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    def btc(self) -> str:
        rng = self.rng
        return "bc1q" + "".join(rng.choices(BECH32, k=38))

    def mess(self, value: str, kind: str) -> str:
        """Defang or dirty a value now and then, the way partners deliver them."""
        rng = self.rng
        if rng.random() >= DEFANG_RATE:
            return value
        choice = rng.randrange(4)
        if kind in ("md5", "sha1", "sha256"):
            return value.upper()
        if choice == 0:
            return value.replace(".", "[.]")
        if choice == 1 and kind == "url":
            return value.replace("http", "hxxp", 1).replace(".", "[.]", 1)
        if choice == 2 and kind in ("domain", "url", "email"):
            return value.upper()
        if choice == 3 and kind == "domain":
            return value + "."
        return value.replace(".", "(.)", 1)

    def when(self, table: list[str]) -> str:
        return table[self.rng.randrange(len(table))]


# indicator kinds: (kind, STIX pattern path, weight)
_KINDS = (
    ("ipv4", "ipv4-addr:value", 20),
    ("ipv6", "ipv6-addr:value", 3),
    ("domain", "domain-name:value", 25),
    ("url", "url:value", 20),
    ("email", "email-addr:value", 5),
    ("md5", "file:hashes.MD5", 7),
    ("sha1", "file:hashes.'SHA-1'", 5),
    ("sha256", "file:hashes.'SHA-256'", 12),
    ("btc", "cryptocurrency-wallet:value", 3),
)
_KIND_NAMES = [k for k, _, _ in _KINDS]
_KIND_WEIGHTS = [w for _, _, w in _KINDS]
_STIX_PATHS = {k: p for k, p, _ in _KINDS}


def _pick_kinds(rng: random.Random, count: int) -> list[str]:
    return rng.choices(_KIND_NAMES, weights=_KIND_WEIGHTS, k=count)


def _value(values: _Values, kind: str) -> str:
    return getattr(values, kind)()


def _split(total: int, per_file: int) -> list[int]:
    files = max(1, math.ceil(total / per_file))
    base, rest = divmod(total, files)
    return [base + (1 if i < rest else 0) for i in range(files)]


def _target(out: Path, partner_id: str, index: int, name: str) -> Path:
    folder = out / partner_id / (FIRST_DAY + timedelta(days=index % DAYS)).isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _damaged(rng: random.Random) -> bool:
    return rng.random() < DAMAGE_RATE


# --- STIX 2.1 (aegis-labs) ---------------------------------------------------------------

_STIX_HEADER = (
    '{"type": "bundle", "id": "bundle--%s", "objects": [\n'
    '{"type": "identity", "spec_version": "2.1", "id": "%s", '
    '"created": "2024-01-15T00:00:00.000Z", "modified": "2024-01-15T00:00:00.000Z", '
    '"name": "Aegis Labs", '
    '"identity_class": "organization"}'
)
_STIX_INDICATOR = (
    '{"type": "indicator", "spec_version": "2.1", "id": "indicator--%s", "created_by_ref": "%s", '
    '"created": "%s", "modified": "%s", "name": "Aegis indicator %d", '
    '"description": "Observed in %s activity against %s targets", '
    '"indicator_types": ["malicious-activity"], "pattern": "[%s = \'%s\']", '
    '"pattern_type": "stix", "valid_from": "%s", "object_marking_refs": ["%s"], '
    '"confidence": %d}'
)
_STIX_RELATIONSHIP = (
    '{"type": "relationship", "spec_version": "2.1", "id": "relationship--%s", '
    '"created": "%s", "modified": "%s", "relationship_type": "%s", "source_ref": "%s", '
    '"target_ref": "%s", "object_marking_refs": ["%s"]}'
)
_STIX_SIGHTING = (
    '{"type": "sighting", "spec_version": "2.1", "id": "sighting--%s", "created": "%s", '
    '"modified": "%s", "first_seen": "%s", "last_seen": "%s", "count": %d, '
    '"sighting_of_ref": "%s", "where_sighted_refs": ["%s"]}'
)
_STIX_MALWARE = (
    '{"type": "malware", "spec_version": "2.1", "id": "%s", "created": "%s", "modified": "%s", '
    '"name": "%s loader variant %d", "description": "Sample %s connects to %s", '
    '"malware_types": ["ransomware", "remote-access-trojan"], "is_family": false}'
)
_STIX_GROUP = (
    '{"type": "%s", "spec_version": "2.1", "id": "%s", "created": "%s", "modified": "%s", '
    '"name": "%s", "aliases": ["%s", "%s"], "first_seen": "%s", "object_marking_refs": ["%s"]}'
)


def _stix_bundle(values: _Values, count: int) -> tuple[str, int]:
    rng = values.rng
    identity = f"identity--{values.uuid()}"
    parts = [_STIX_HEADER % (values.uuid(), identity)]
    groups: list[str] = []
    for name in ACTORS[:6]:
        kind = rng.choice(("intrusion-set", "campaign"))
        ref = f"{kind}--{values.uuid()}"
        groups.append(ref)
        created = values.when(values.iso_ms)
        parts.append(
            _STIX_GROUP
            % (
                kind,
                ref,
                created,
                created,
                name,
                rng.choice(ACTORS),
                rng.choice(ACTORS),
                values.when(values.iso),
                rng.choice(TLP_MARKINGS),
            )
        )
    indicators: list[str] = [f"indicator--{values.uuid()}"]
    malware: list[str] = [f"malware--{values.uuid()}"]
    kinds = _pick_kinds(rng, count)
    for number in range(count - len(parts)):
        roll = rng.random()
        if _damaged(rng):
            parts.append(
                '"not an object"'
                if roll < 0.5
                else f'{{"spec_version": "2.1", "id": "x-lost--{values.uuid()}"}}'
            )
        elif roll < 0.62:
            kind = kinds[number]
            ref = values.uuid()
            indicators.append(f"indicator--{ref}")
            created = values.when(values.iso_ms)
            parts.append(
                _STIX_INDICATOR
                % (
                    ref,
                    identity,
                    created,
                    created,
                    number,
                    rng.choice(ACTORS),
                    rng.choice(SECTORS),
                    _STIX_PATHS[kind],
                    values.mess(_value(values, kind), kind),
                    values.when(values.iso),
                    rng.choice(TLP_MARKINGS),
                    rng.randrange(101),
                )
            )
        elif roll < 0.87:
            created = values.when(values.iso_ms)
            target = rng.choice(groups) if roll < 0.8 else rng.choice(malware)
            parts.append(
                _STIX_RELATIONSHIP
                % (
                    values.uuid(),
                    created,
                    created,
                    "indicates",
                    rng.choice(indicators),
                    target,
                    rng.choice(TLP_MARKINGS),
                )
            )
        elif roll < 0.96:
            created = values.when(values.iso_ms)
            parts.append(
                _STIX_SIGHTING
                % (
                    values.uuid(),
                    created,
                    created,
                    values.when(values.iso),
                    values.when(values.iso),
                    rng.randrange(1, 5000),
                    rng.choice(indicators),
                    identity,
                )
            )
        else:
            ref = f"malware--{values.uuid()}"
            malware.append(ref)
            created = values.when(values.iso_ms)
            parts.append(
                _STIX_MALWARE
                % (
                    ref,
                    created,
                    created,
                    rng.choice(ACTORS),
                    number,
                    values.md5(),
                    values.domain(),
                )
            )
    return ",\n".join(parts) + "\n]}\n", len(parts)


def _write_stix(out: Path, values: _Values, total: int) -> list[GeneratedFile]:
    files = []
    for index, count in enumerate(_split(total, RECORDS_PER_FILE["stix21"])):
        text, records = _stix_bundle(values, count)
        path = _target(out, "aegis-labs", index, f"aegis-bundle-{index:03d}.json")
        path.write_text(text, encoding="utf-8")
        files.append(GeneratedFile(path, "aegis-labs", "stix21", records))
    truncated = _target(out, "aegis-labs", 0, "aegis-bundle-truncated.json")
    text, _ = _stix_bundle(values, 50)
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    files.append(GeneratedFile(truncated, "aegis-labs", "stix21", 0))
    return files


# --- MISP (nordic-cert) -------------------------------------------------------------------

_MISP_TYPES = {
    "ipv4": (("ip-dst", "ip-src"), "Network activity"),
    "ipv6": (("ip-dst",), "Network activity"),
    "domain": (("domain", "hostname"), "Network activity"),
    "url": (("url",), "Network activity"),
    "email": (("email-src",), "Payload delivery"),
    "md5": (("md5",), "Payload delivery"),
    "sha1": (("sha1",), "Payload delivery"),
    "sha256": (("sha256",), "Payload delivery"),
    "btc": (("btc",), "Financial fraud"),
}
_MISP_OBJECTS = (
    ("domain-ip", "network", ("domain", "ipv4")),
    ("url", "network", ("url", "domain")),
    ("file", "file", ("md5", "sha1", "sha256")),
    ("email", "network", ("email", "domain")),
)
_MISP_EVENT_HEAD = (
    '{"id": "%d", "uuid": "%s", "info": "%s - %s campaign wave %d", "date": "%s", '
    '"timestamp": "%s", "publish_timestamp": "%s", "published": true, '
    '"threat_level_id": "%d", "analysis": "2", "distribution": "1", '
    '"Orgc": {"name": "Nordic National CERT", "uuid": "065faa70-2954-5268-ae4e-3a69cbe876b5"}, '
    '"Org": {"name": "Nordic National CERT", "uuid": "065faa70-2954-5268-ae4e-3a69cbe876b5"}, '
    '"Tag": [{"name": "tlp:%s", "colour": "#FFC000", "exportable": true}, '
    '{"name": "misp-galaxy:threat-actor=\\"%s\\"", "colour": "#FFC000", "exportable": true}], '
    '"Attribute": [\n'
)
_MISP_ATTRIBUTE = (
    '{"id": "%d", "uuid": "%s", "type": "%s", "category": "%s", "value": "%s", '
    '"to_ids": %s, "timestamp": "%s", "comment": "%s", "distribution": "5", '
    '"deleted": false, "disable_correlation": false%s}'
)
_MISP_OBJECT = (
    '{"id": "%d", "uuid": "%s", "name": "%s", "meta-category": "%s", '
    '"template_uuid": "%s", "template_version": "1", "timestamp": "%s", '
    '"distribution": "5", "comment": "", "deleted": false, "Attribute": [\n%s\n]}'
)


class _MispWriter:
    def __init__(self, values: _Values) -> None:
        self.values = values
        self.next_id = 1000

    def attribute(self, kind: str, relation: str | None = None) -> str:
        values, rng = self.values, self.values.rng
        self.next_id += 1
        if _damaged(rng):
            if rng.random() < 0.5:
                return f'"stray attribute {self.next_id}"'
            return (
                f'{{"id": "{self.next_id}", "uuid": "{values.uuid()}", '
                '"type": "comment", "category": "Other"}'
            )
        types, category = _MISP_TYPES[kind]
        return _MISP_ATTRIBUTE % (
            self.next_id,
            values.uuid(),
            types[rng.randrange(len(types))],
            category,
            values.mess(_value(values, kind), kind),
            "true" if rng.random() < 0.9 else "false",
            values.when(values.epoch),
            "seen in lures to Caf\\u00e9 and Lumière customers" if rng.random() < 0.1 else "",
            f', "object_relation": "{relation}"' if relation else "",
        )

    def event(self, count: int) -> tuple[str, int]:
        """One event with about `count` records (event + objects + attributes)."""
        values, rng = self.values, self.values.rng
        actor = rng.choice(ACTORS)
        head = _MISP_EVENT_HEAD % (
            rng.randrange(1000, 99_999),
            values.uuid(),
            actor,
            rng.choice(SECTORS),
            rng.randrange(100),
            values.when(values.days),
            values.when(values.epoch),
            values.when(values.epoch),
            rng.randrange(1, 5),
            rng.choice(("clear", "green", "amber", "amber+strict", "red")),
            actor,
        )
        records = 1
        loose = max(1, (count - 1) // 2)
        attributes = [self.attribute(kind) for kind in _pick_kinds(rng, loose)]
        records += loose
        objects = []
        while records < count:
            name, meta, kinds = _MISP_OBJECTS[rng.randrange(len(_MISP_OBJECTS))]
            self.next_id += 1
            inner = ",\n".join(self.attribute(kind, kind) for kind in kinds)
            objects.append(
                _MISP_OBJECT
                % (
                    self.next_id,
                    values.uuid(),
                    name,
                    meta,
                    values.uuid(),
                    values.when(values.epoch),
                    inner,
                )
            )
            records += 1 + len(kinds)
        text = head + ",\n".join(attributes) + '\n], "Object": [\n' + ",\n".join(objects) + "\n]}"
        return text, records


def _write_misp(out: Path, values: _Values, total: int) -> list[GeneratedFile]:
    writer = _MispWriter(values)
    rng = values.rng
    files = []
    for index, count in enumerate(_split(total, RECORDS_PER_FILE["misp"])):
        if index % 3 == 2:  # a single large event, `{"Event": {...}}`
            text, records = writer.event(count)
            text = '{"Event": ' + text + "}\n"
        else:  # a search export, `{"response": [{"Event": ...}, ...]}`
            events, records = [], 0
            while records < count:
                event, made = writer.event(min(count - records, rng.randrange(50, 2000)))
                events.append('{"Event": ' + event + "}")
                records += made
            text = '{"response": [\n' + ",\n".join(events) + "\n]}\n"
        path = _target(out, "nordic-cert", index, f"nordic-cert-export-{index:03d}.json")
        path.write_text(text, encoding="utf-8")
        files.append(GeneratedFile(path, "nordic-cert", "misp", records))
    return files


# --- tables (harbor-isp, finsec-isac, darkwatch-intel) and JSON lines ---------------------

_HARBOR_TYPES = {
    "ipv4": "ip",
    "ipv6": "ipv6",
    "domain": "domain",
    "url": "url",
    "email": "email",
    "md5": "md5",
    "sha1": "sha1",
    "sha256": "sha256",
    "btc": "btc",
}
_FINSEC_TYPES = {
    "ipv4": "IP Address",
    "ipv6": "IPv6 Address",
    "domain": "Domain",
    "url": "URL",
    "email": "Email",
    "md5": "MD5",
    "sha1": "SHA1",
    "sha256": "SHA256",
    "btc": "Bitcoin Wallet",
}


def _harbor_time(values: _Values) -> str:
    roll = values.rng.random()
    table = values.iso if roll < 0.8 else values.offset if roll < 0.9 else values.epoch
    return values.when(table)


def _harbor_csv(values: _Values, count: int) -> str:
    rng = values.rng
    lines = ["value,type,first_seen,last_seen,confidence,tlp,comment"]
    comments = ("", "", "", "C2 for invoice lures", '"seen on port 443, 8443"', "sinkholed")
    for kind in _pick_kinds(rng, count):
        value = values.mess(_value(values, kind), kind)
        if rng.random() < 0.01:
            value = f"  {value}  "
        line = (
            f"{value},{_HARBOR_TYPES[kind]},{_harbor_time(values)},{_harbor_time(values)},"
            f"{rng.randrange(101)},{rng.choice(TLP_WORDS)},{rng.choice(comments)}"
        )
        if _damaged(rng):
            line += ",unexpected,cells"  # ragged row
        lines.append(line)
    return "\n".join(lines) + "\n"


def _finsec_ioc_csv(values: _Values, count: int) -> bytes:
    rng = values.rng
    lines = ["IOC;IOC Type;Date Observed;Confidence Level;Threat Actor;TLP"]
    for kind in _pick_kinds(rng, count):
        value = _value(values, kind)
        if kind == "url" and rng.random() < 0.05:
            value += "&montant=4500€"
        if kind in ("md5", "sha1", "sha256"):
            value = value.upper()
        value = values.mess(value, kind)
        line = (
            f"{value};{_FINSEC_TYPES[kind]};{values.when(values.french)};"
            f"{rng.choice(('High', 'Medium', 'Low'))};{rng.choice(ACTORS)};"
            f"{rng.choice(TLP_WORDS)}"
        )
        if _damaged(rng):
            line = line.rsplit(";", 2)[0]  # ragged row: two cells short
        lines.append(line)
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _org(rng: random.Random) -> str:
    return f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_WORDS)} {rng.choice(ORG_SUFFIXES)}"


def _finsec_incident_csv(values: _Values, count: int, first_id: int) -> str:
    rng = values.rng
    lines = [
        "incident_id,reported_on,victim_name,victim_sector,victim_country,actor,"
        "ransom_demanded,ransom_paid,currency,downtime_hours,tlp"
    ]
    for number in range(first_id, first_id + count):
        demanded = rng.randrange(1, 100) * 50_000
        demanded_text = f'"{demanded:,}"' if rng.random() < 0.05 else str(demanded)
        paid = "" if rng.random() < 0.7 else str(rng.randrange(0, demanded + 1, 10_000))
        reported = values.when(values.days if rng.random() < 0.95 else values.french)[:10]
        line = (
            f'FS-INC-2026-{number:06d},{reported},{_org(rng)},"{rng.choice(SECTORS)}",'
            f"{rng.choice(COUNTRIES)},{rng.choice(ACTORS)},{demanded_text},{paid},"
            f"{rng.choice(('EUR', 'USD', 'GBP', 'CHF'))},{rng.randrange(1, 400) / 2:g},"
            f"{rng.choice(TLP_WORDS)}"
        )
        if _damaged(rng):
            line += ",surplus"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _darkwatch_csv(values: _Values, count: int, first_post: int) -> str:
    rng = values.rng
    lines = ["post_title,group_name,discovered,description,website,published,post_url,country"]
    for number in range(first_post, first_post + count):
        group = rng.choice(LEAK_GROUPS)
        website = values.domain() if rng.random() < 0.7 else ""
        title = website if website and rng.random() < 0.2 else _org(rng)
        roll = rng.random()
        if roll < 0.6:
            description = ""
        elif roll < 0.99:
            description = f'"{rng.choice(SECTORS)}, {rng.randrange(5, 900)} GB: HR, contracts"'
        else:  # a quoted description spanning lines
            description = '"Data published:\nfinance, ""board minutes"", HR"'
        line = (
            f"{title},{group},{values.when(values.micro)},{description},{website},"
            f"{values.when(values.micro)},http://{group}xxxxexample.onion/post/{number},"
            f"{rng.choice(COUNTRIES) if rng.random() < 0.9 else ''}"
        )
        if _damaged(rng):
            line = line.rsplit(",", 3)[0]  # ragged row
        lines.append(line)
    return "\n".join(lines) + "\n"


_SIGHTING = (
    '{"indicator": "%s", "type": "%s", "first_seen": "%s", "last_seen": "%s", '
    '"count": %d, "sensor_country": "%s"}'
)


def _sightings_jsonl(values: _Values, count: int) -> str:
    rng = values.rng
    lines = []
    for kind in _pick_kinds(rng, count):
        line = _SIGHTING % (
            values.mess(_value(values, kind), kind),
            _HARBOR_TYPES[kind],
            _harbor_time(values),
            _harbor_time(values),
            rng.randrange(1, 10_000),
            rng.choice(("NL", "BE", "DE", "LU")),
        )
        if _damaged(rng):
            roll = rng.random()
            line = line[: len(line) // 2] if roll < 0.6 else '["not", "an", "object"]'
        lines.append(line)
        if rng.random() < 0.0002:
            lines.append("")
    return "\n".join(lines) + "\n"


def _write_tables(out: Path, values: _Values, shares: dict[str, int]) -> list[GeneratedFile]:
    files = []

    def emit(partner: str, index: int, name: str, fmt: str, data: str | bytes, n: int) -> None:
        path = _target(out, partner, index, name)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="")
        else:
            path.write_bytes(data)
        files.append(GeneratedFile(path, partner, fmt, n))

    for i, n in enumerate(_split(shares["harbor_csv"], RECORDS_PER_FILE["harbor_csv"])):
        emit("harbor-isp", i, f"harbor-iocs-{i:03d}.csv", "csv", _harbor_csv(values, n), n)
    for i, n in enumerate(_split(shares["jsonl"], RECORDS_PER_FILE["jsonl"])):
        emit("harbor-isp", i, f"sightings-{i:03d}.jsonl", "jsonl", _sightings_jsonl(values, n), n)
    for i, n in enumerate(_split(shares["finsec_ioc_csv"], RECORDS_PER_FILE["finsec_ioc_csv"])):
        data = _finsec_ioc_csv(values, n)
        emit("finsec-isac", i, f"FinSec_IOC_Export_{i:03d}.csv", "csv", data, n)
    first = 1
    per_file = RECORDS_PER_FILE["finsec_incident_csv"]
    for i, n in enumerate(_split(shares["finsec_incident_csv"], per_file)):
        data = _finsec_incident_csv(values, n, first)
        emit("finsec-isac", i, f"finsec-incidents-{i:03d}.csv", "csv", data, n)
        first += n
    for i, n in enumerate(_split(shares["darkwatch_csv"], RECORDS_PER_FILE["darkwatch_csv"])):
        data = _darkwatch_csv(values, n, 9000 + first)
        emit("darkwatch-intel", i, f"ransomware_live_posts_{i:03d}.csv", "csv", data, n)
        first += n
    return files


# --- XLSX (sentinel-insure) and operation reports (lea-taskforce) -------------------------

_CLAIM_HEADERS = [
    "Claim Ref",
    "Loss Date",
    "Insured",
    "Industry",
    "Country",
    "Threat Actor",
    "Ransom Paid",
    "Currency",
    "Business Interruption Days",
    "Total Loss",
]


def _write_xlsx(out: Path, values: _Values, rows: int) -> list[GeneratedFile]:
    import pandas as pd  # only the workbook needs pandas/openpyxl

    rng = values.rng
    files = []
    first = 1
    for index, count in enumerate(_split(rows, 1_000)):
        claims = []
        for number in range(first, first + count):
            claims.append(
                [
                    f"SI-CY-26-{number:05d}",
                    datetime.fromisoformat(values.when(values.days)),
                    _org(rng),
                    rng.choice(SECTORS),
                    rng.choice(COUNTRIES),
                    rng.choice(ACTORS),
                    None if rng.random() < 0.7 else rng.randrange(0, 5_000_000, 10_000),
                    rng.choice(("EUR", "USD", "GBP", "CHF")),
                    rng.randrange(0, 60) / 2,
                    rng.randrange(10_000, 9_000_000, 1_000),
                    None,
                ]
            )
        if count > 10:
            claims[count // 2][-1] = "note beyond the header columns"  # damaged row
        first += count
        frame = pd.DataFrame(claims, columns=[*_CLAIM_HEADERS, ""])
        summary = pd.DataFrame(
            [["Report", "Cyber extortion claims - weekly bordereau"], ["Claims", count]],
            columns=["Metric", "Value"],
        )
        path = _target(out, "sentinel-insure", index, f"Sentinel_Cyber_Claims_{index:03d}.xlsx")
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            summary.to_excel(writer, sheet_name="summary", index=False)
            frame.to_excel(writer, sheet_name="claims", index=False)
        _pin_zip_times(path)
        files.append(GeneratedFile(path, "sentinel-insure", "xlsx", count))
    return files


def _pin_zip_times(path: Path) -> None:
    """Make a workbook's bytes depend on its content only: fixed zip and document times."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-11-01T00:00:00Z", data)
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 11, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )


_OPERATION = """{
  "operation": {
    "name": %s,
    "announced_on": "%s",
    "lead_agency": "Joint Cybercrime Taskforce",
    "target_actors": ["%s", "%s"],
    "participating_partners": ["nordic-cert", "aegis-labs", "finsec-isac", "harbor-isp"],
    "tlp": "%s",
    "metrics": {
      "servers_seized": %d,
      "domains_seized": %d,
      "arrests": %d,
      "decryption_keys": %s,
      "crypto_accounts_frozen": %d,
      "funds_frozen_usd": "%d",
      "victims_notified": %d
    }
  }
}
"""


def _write_operations(out: Path, values: _Values, count: int) -> list[GeneratedFile]:
    rng = values.rng
    files = []
    for index in range(count):
        name = "null" if index == 1 else f'"Operation {rng.choice(WORDS).title()} {index}"'
        text = _OPERATION % (
            name,
            values.when(values.days),
            rng.choice(ACTORS),
            rng.choice(ACTORS),
            rng.choice(TLP_WORDS),
            rng.randrange(100),
            rng.randrange(100),
            rng.randrange(10),
            "null" if rng.random() < 0.3 else str(rng.randrange(2000)),
            rng.randrange(500),
            rng.randrange(10_000_000),
            rng.randrange(5000),
        )
        path = _target(out, "lea-taskforce", index, f"op-report-{index:03d}.json")
        path.write_text(text, encoding="utf-8")
        files.append(GeneratedFile(path, "lea-taskforce", "operation_report", 1))
    return files


# --- the whole drop -----------------------------------------------------------------------


def generate_drops(out: Path, records: int, seed: int = 0) -> list[GeneratedFile]:
    """Write about `records` records of synthetic drops under `out`; same seed, same bytes."""
    out.mkdir(parents=True, exist_ok=True)
    shares = {name: max(1, round(records * share)) for name, share in SHARES.items()}

    def values(stream: str) -> _Values:
        return _Values(random.Random(f"{seed}:{stream}"))

    writers: list[Callable[[], list[GeneratedFile]]] = [
        lambda: _write_stix(out, values("stix21"), shares["stix21"]),
        lambda: _write_misp(out, values("misp"), shares["misp"]),
        lambda: _write_tables(out, values("tables"), shares),
        lambda: _write_xlsx(out, values("xlsx"), min(MAX_XLSX_ROWS, max(20, records // 500))),
        lambda: _write_operations(out, values("operations"), max(3, records // 100_000)),
    ]
    files: list[GeneratedFile] = []
    for write in writers:
        files += write()
    return files


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="drops folder to write into")
    parser.add_argument("--records", type=int, default=1_000_000, help="about this many records")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    files = generate_drops(args.out, args.records, args.seed)
    size = sum(f.path.stat().st_size for f in files)
    log.info(
        "wrote %d files, %.1f MB, about %d records under %s",
        len(files),
        size / 1e6,
        sum(f.records for f in files),
        args.out,
    )


if __name__ == "__main__":
    main()
