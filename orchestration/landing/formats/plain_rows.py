"""Single-line rows of a delimited file, split and serialized with Arrow compute, not one by one.

Most lines of a partner's CSV are plain: one record on one line, as many cells as the header,
each cell bare or wholly enclosed in quotes (doubled quotes and delimiters allowed inside), no
backslash or control character, and a first character that is printable ASCII other than a
space or `#`. For those, the record's JSON is fixed text around the cells, so it is assembled
for all of them at once, byte for byte what the row-by-row reader produces. Every other line
(cells running over lines, comments, blank or ragged lines, stray quotes) is left to it.

Two passes: a regular expression without captures (fast) finds the lines whose quoted cells hold
neither quotes nor delimiters, which are then simply split; the few other quoted lines go
through a regular expression with one capture per cell.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.landing.formats import json_text

_PLAIN_START = r"^[!-\"$-~]"  # printable ASCII, not a space, not "#"
_CARE = r"\\\x00-\x1f"  # backslash and control characters: left to the row-by-row reader


def text_lines(text: str) -> pa.Array:
    """The lines of a text without their `\\n` (and then without one `\\r`), as Arrow does the
    splitting; a final newline does not make an extra line."""
    if not text:
        return pa.array([], pa.string())
    whole = pa.array([text], pa.large_string())  # one value may be larger than 2 GiB
    lines = pc.list_flatten(pc.split_pattern(whole, "\n")).cast(pa.string())
    if text.endswith("\n"):
        lines = lines.slice(0, len(lines) - 1)
    if "\r" in text:
        lines = pc.if_else(pc.ends_with(lines, "\r"), pc.utf8_slice_codeunits(lines, 0, -1), lines)
    return lines


def _row_pattern(cell: str, delimiter: str, width: int, *, captures: bool = False) -> str:
    """`cell` (with `{d}` for the delimiter) `width` times, delimited, as the whole line; with
    `captures`, cell k is the named group `c<k>`."""
    d = f"\\x{{{ord(delimiter):x}}}"
    cells = [
        f"(?P<c{k}>{cell.format(d=d)})" if captures else cell.format(d=d) for k in range(width)
    ]
    return "^" + d.join(cells) + "$"


def _unquote(cell: pa.Array, doubled_quotes: bool) -> pa.Array:
    """Cell text as JSON string content: enclosing quotes removed, `""` as `\\"`."""
    quoted = pc.starts_with(cell, '"')
    if not pc.any(quoted).as_py():
        return cell
    inner = pc.utf8_slice_codeunits(cell, 1, -1)
    if doubled_quotes:
        inner = pc.replace_substring(inner, '""', '\\"')
    return pc.if_else(quoted, inner, cell)


def _records(
    cells: list[pa.Array], lines: pa.Array, numbers: pa.Array, fields: tuple[str, ...], kind: str
) -> pa.Table:
    pieces: list[object] = []
    for position, (field, cell) in enumerate(zip(fields, cells, strict=True)):
        key = json_text.dumps(field).decode("utf-8")
        pieces += [("{" if position == 0 else '",') + key + ':"', cell]
    count = len(lines)
    return pa.table(
        {
            "position": numbers,
            "record_locator": pc.binary_join_element_wise(
                "line ", pc.cast(numbers, pa.string()), ""
            ),
            "record_type": pa.array([kind] * count, pa.string()),
            "record": pc.binary_join_element_wise(*pieces, '"}', ""),
            "original": lines,
            "parse_error": pa.nulls(count, pa.string()),
        }
    )


def single_line_records(
    lines: pa.Array,
    first_line_number: int,
    delimiter: str,
    fields: tuple[str, ...],
    record_type: str,
    max_chars: int,
) -> tuple[list[pa.Table], np.ndarray]:
    """Records (with a `position` column: the line number) of the lines this module can read,
    as tables each in line order, and for every line whether it was read here."""
    width = len(fields)
    numbers = pa.array(np.arange(len(lines), dtype=np.int64) + first_line_number)
    candidate = pc.and_(
        pc.match_substring_regex(lines, _PLAIN_START),
        pc.less_equal(pc.utf8_length(lines), max_chars),
    )
    simple = pc.and_(
        candidate,
        pc.match_substring_regex(
            lines, _row_pattern(f'(?:[^"{{d}}{_CARE}]*|"[^"{{d}}{_CARE}]*")', delimiter, width)
        ),
    )
    split = pc.split_pattern(lines.filter(simple), delimiter)
    tables = [
        _records(
            [_unquote(pc.list_element(split, k), False) for k in range(width)],
            lines.filter(simple),
            numbers.filter(simple),
            fields,
            record_type,
        )
    ]
    quoted = pc.and_(pc.and_(candidate, pc.invert(simple)), pc.match_substring(lines, '"'))
    read = simple.to_numpy(zero_copy_only=False).copy()
    if pc.any(quoted).as_py():
        cell = f'(?:"(?:[^"{_CARE}]|"")*"|[^"{{d}}{_CARE}]*)'
        pattern = _row_pattern(cell, delimiter, width, captures=True)
        candidates = lines.filter(quoted)
        extracted = pc.extract_regex(candidates, pattern)
        matched = pc.is_valid(extracted)
        extracted, candidates = extracted.filter(matched), candidates.filter(matched)
        tables.append(
            _records(
                [_unquote(pc.struct_field(extracted, k), True) for k in range(width)],
                candidates,
                numbers.filter(quoted).filter(matched),
                fields,
                record_type,
            )
        )
        positions = np.flatnonzero(quoted.to_numpy(zero_copy_only=False))
        read[positions[matched.to_numpy(zero_copy_only=False)]] = True
    return tables, read
