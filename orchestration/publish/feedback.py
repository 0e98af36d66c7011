"""Nightly feedback: one report per partner (Markdown plus CSV of its quarantined records) and
the public recognition report.

Every figure comes from a mart (this module selects and formats; the rules live in dbt). A
partner's report is built only from rows of that partner (selected with a bound parameter)
and from community totals (counts), so it never carries another partner's values; its
quarantine examples are the values `mart_quarantine` may show. The recognition report reads
the `public` schema only.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from orchestration.publish.in_place import replaced_folder
from orchestration.publish.spreadsheet_csv import write_csv

TOP_REASONS = 5
EXAMPLES_PER_REASON = 3
TOP_FIRST_REPORTS = 10
QUARANTINE_ORDER = ("delivered_on", "file_name", "file_sha256", "record_locator", "reason_code")


def markdown_table(header: list[str], rows: list[tuple]) -> str:
    """A Markdown table; a cell cannot break out of its cell (pipes escaped, line breaks made
    spaces), a null is an empty cell, and no rows reads `_none_`."""
    if not rows:
        return "_none_\n"
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = ["" if v is None else str(v).replace("|", "\\|").replace("\n", " ") for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def partner_report(connection: duckdb.DuckDBPyConnection, partner_id: str) -> str:
    """The Markdown feedback report of one partner."""
    (name,) = connection.execute(
        "select partner_name from marts.mart_partner_capability where partner_id = ?",
        [partner_id],
    ).fetchone()
    months = connection.execute(
        "select month, files_received, files_rejected, records_received, records_accepted, "
        "records_quarantined, unique_indicators, first_reported_indicators, "
        "corroborated_indicators from marts.mart_partner_scorecard where partner_id = ? "
        "order by month",
        [partner_id],
    ).fetchall()
    files = connection.execute(
        "select delivered_on, file_name, file_status, records_received, records_accepted, "
        "records_context, records_withdrawn, records_superseded, records_quarantined, "
        "error_message "
        "from marts.mart_drop_files where partner_id = ? "
        "order by delivered_on, file_name",
        [partner_id],
    ).fetchall()
    received = sum(row[3] or 0 for row in months)
    accepted = sum(row[4] or 0 for row in months)
    reasons = connection.execute(
        "select reason_code, sum(record_count) as n, "
        "list_sort(list_distinct(flatten(list(example_values))))[1:?] as examples "
        "from marts.mart_quarantine_reasons where partner_id = ? group by reason_code "
        "order by n desc, reason_code limit ?",
        [EXAMPLES_PER_REASON, partner_id, TOP_REASONS],
    ).fetchall()
    first_reports = connection.execute(
        "select value, min(first_reported_at) as first_at from marts.mart_indicator_reports "
        "where partner_id = ? and is_first_report group by value "
        "order by first_at, value limit ?",
        [partner_id, TOP_FIRST_REPORTS],
    ).fetchall()
    (first_count,) = connection.execute(
        "select count(distinct indicator_key) from marts.mart_indicator_reports "
        "where partner_id = ? and is_first_report",
        [partner_id],
    ).fetchone()
    campaigns = connection.execute(
        "select campaign_name from marts.mart_campaigns "
        "where list_contains(partner_ids, ?) order by campaign_name",
        [partner_id],
    ).fetchall()
    operations = connection.execute(
        "select operation_name, announced_on from marts.mart_operation_impact "
        "where list_contains(partner_ids, ?) order by announced_on, operation_name",
        [partner_id],
    ).fetchall()
    capability = connection.execute(
        "select timeliness_tier, data_quality_tier, volume_tier, coverage_tier, "
        "timeliness_percent, acceptance_percent, records_per_month, kinds_delivered "
        "from marts.mart_partner_capability where partner_id = ?",
        [partner_id],
    ).fetchone()
    community = connection.execute(
        "select (select count(*) from marts.mart_partner_capability), "
        "(select count(*) from marts.mart_indicators), "
        "(select count(*) from marts.mart_indicators where source_count > 1)"
    ).fetchone()

    rate = f"{100 * accepted / received:.1f}%" if received else "n/a"
    parts = [
        f"# Feedback for {name} (`{partner_id}`)\n",
        "This report holds your own deliveries and community totals only.\n",
        "## Your deliveries\n",
        f"Records received: {received}; accepted: {accepted} ({rate}). Context records (real,"
        " but not indicators, actors, campaigns, incidents, operations or sightings) and"
        " records withdrawn at the source, or superseded by your later version of the same"
        " record, are kept and counted per file below.\n",
        markdown_table(
            [
                "month",
                "files",
                "rejected",
                "records",
                "accepted",
                "quarantined",
                "indicators",
                "first reported",
                "corroborated",
            ],
            months,
        ),
        "\n### Files\n",
        markdown_table(
            [
                "delivered",
                "file",
                "status",
                "records",
                "accepted",
                "context",
                "withdrawn",
                "superseded",
                "quarantined",
                "error",
            ],
            files,
        ),
        "\n## Top quarantine reasons, with examples from your files\n",
        markdown_table(["reason", "records", "examples"], reasons),
        "\n## What you reported first\n",
        f"Indicators you reported before any other partner: {first_count}"
        f" (the earliest {len(first_reports)} below).\n",
        markdown_table(["indicator", "first seen"], first_reports),
        "\n## Campaigns and operations your data fed\n",
        markdown_table(["campaign"], campaigns),
        markdown_table(["operation", "announced"], operations),
        "\n## Capability assessment\n",
        markdown_table(
            [
                "timeliness",
                "data quality",
                "volume",
                "coverage",
                "timely %",
                "accepted %",
                "records/month",
                "kinds",
            ],
            [capability] if capability else [],
        ),
        "\n## Community totals\n",
        f"Partners: {community[0]}; indicators in the warehouse: {community[1]}; "
        f"corroborated by two or more partners: {community[2]}.\n",
    ]
    return "\n".join(parts)


def write_partner_reports(
    build_db_path: Path, reports_dir: Path, config: Mapping[str, str] | None = None
) -> list[Path]:
    """Write every partner's report and quarantine CSV, from the marts of the build file, into
    a fresh folder and swap it in, with DuckDB's `config` (memory limit, temporary folder)."""
    written = []
    with (
        replaced_folder(reports_dir) as partial,
        duckdb.connect(str(build_db_path), read_only=True, config=dict(config or {})) as connection,
    ):
        partner_ids = [
            p
            for (p,) in connection.execute(
                "select partner_id from marts.mart_partner_capability order by partner_id"
            ).fetchall()
        ]
        for partner_id in partner_ids:
            report = partial / f"{partner_id}.md"
            report.write_text(partner_report(connection, partner_id), encoding="utf-8")
            quarantine = partial / f"{partner_id}-quarantine.csv"
            write_csv(
                connection,
                "select delivered_on, file_name, file_sha256, record_locator, field_name, "
                "reason_code, reason, example_value from marts.mart_quarantine "
                "where partner_id = ?",
                quarantine,
                order_by=QUARANTINE_ORDER,
                parameters=[partner_id],
            )
            written += [report, quarantine]
        recognition = partial / "recognition.md"
        recognition.write_text(recognition_report(connection), encoding="utf-8")
        written.append(recognition)
    return [reports_dir / path.name for path in written]


def recognition_report(connection: duckdb.DuckDBPyConnection) -> str:
    """The public recognition report: TLP:CLEAR figures, partners named where agreed."""
    partners = connection.execute(
        "select partner_label, partner_kind, indicators_shared, operations_supported "
        "from public.public_partners order by is_named desc, partner_label"
    ).fetchall()
    totals = connection.execute(
        "select (select count(*) from public.public_operations), "
        "(select coalesce(sum(victims_notified), 0) from public.public_operations), "
        "(select count(*) from public.public_indicators)"
    ).fetchone()
    operations = connection.execute(
        "select operation_name, announced_on, arrests, servers_seized, victims_notified "
        "from public.public_operations order by announced_on"
    ).fetchall()
    return "\n".join(
        [
            "# The partnership's achievements (TLP:CLEAR)\n",
            f"Operations supported: {totals[0]}; victims warned: {totals[1]}; "
            f"indicators shared publicly: {totals[2]}.\n",
            "## Partners\n",
            markdown_table(
                ["partner", "kind", "indicators shared", "operations supported"], partners
            ),
            "\n## Operations\n",
            markdown_table(
                ["operation", "announced", "arrests", "servers seized", "victims warned"],
                operations,
            ),
        ]
    )
