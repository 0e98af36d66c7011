"""Records read in bulk and one by one are merged back into file order."""

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from orchestration.landing.formats.records import in_file_order


@given(lines=st.lists(st.integers(0, 3), max_size=60))
def test_merged_rows_are_in_line_order_whichever_way(lines):
    # line n went to table lines[n]; each table holds its lines in order
    tables = [
        pa.table(
            {
                "position": pa.array([n for n, t in enumerate(lines) if t == k], pa.int64()),
                "record": pa.array([f"r{n}" for n, t in enumerate(lines) if t == k], pa.string()),
            }
        )
        for k in range(4)
    ]
    expected = [f"r{n}" for n in range(len(lines))]

    slotted = in_file_order(list(tables))
    sorted_ = in_file_order(list(tables), few=0)

    assert slotted.column("record").to_pylist() == expected
    assert sorted_.column("record").to_pylist() == expected
