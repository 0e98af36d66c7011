"""Rendering the partner reports: what a partner delivered (a file name, a value) can never
break the Markdown it is shown in. The figures themselves are checked against the marts by
the governance night (test_governance.py)."""

from orchestration.publish.feedback import markdown_table


def test_a_cell_cannot_break_out_of_its_table():
    table = markdown_table(
        ["file", "records"],
        [("iocs | week 45.csv", 3), ("two\nlines.csv", None), ("plain.csv", 0)],
    )

    lines = table.splitlines()
    assert lines[0] == "| file | records |"
    assert lines[2] == "| iocs \\| week 45.csv | 3 |"
    assert lines[3] == "| two lines.csv |  |"
    assert lines[4] == "| plain.csv | 0 |"
    assert len(lines) == 5


def test_no_rows_reads_none():
    assert markdown_table(["reason", "records"], []) == "_none_\n"
