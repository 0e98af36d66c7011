"""The real public files normalize without a crash; what the rules cannot handle is in
quarantine with a reason."""

import duckdb
from dagster import DagsterInstance

from orchestration.run_nightly import run_nightly
from tests.conftest import FIXTURES


def test_real_files_normalize_and_the_rest_is_quarantined(warehouse):
    day = "2026-11-02"
    warehouse.drop(
        "nordic-cert", day, "circl.json", (FIXTURES / "misp" / "circl_asert_2016.json").read_bytes()
    )
    warehouse.drop(
        "aegis-labs", day, "poisonivy.json", (FIXTURES / "stix" / "poisonivy.json").read_bytes()
    )
    warehouse.drop(
        "harbor-isp",
        day,
        "feodo.csv",
        (FIXTURES / "csv" / "feodotracker_ipblocklist.csv").read_bytes(),
    )

    result = run_nightly(DagsterInstance.ephemeral())

    assert result.success
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        formats = dict(
            connection.execute(
                "select source_format, count(*) "
                "from intermediate.int_indicators_normalized group by 1"
            ).fetchall()
        )
        reasons = dict(
            connection.execute(
                "select reason_code, count(*) from intermediate.quarantine "
                "where source_format = 'misp' group by 1"
            ).fetchall()
        )
        feodo_types = connection.execute(
            "select distinct indicator_type from intermediate.int_indicators_normalized "
            "where source_format = 'ioc_list'"
        ).fetchall()
        unexplained = connection.execute(
            "select count(*) from intermediate.int_record_outcomes o where outcome = 'quarantined' "
            "and not exists (select 1 from intermediate.quarantine q where q.file_sha256 = "
            "o.file_sha256 and q.record_locator = o.record_locator)"
        ).fetchone()[0]
    assert formats["misp"] > 200 and formats["stix21"] > 50 and formats["ioc_list"] == 28
    # link, vulnerability, snort, yara, ... are no indicator types: quarantined with the reason
    assert reasons["unknown_type"] > 50
    assert feodo_types == [("ipv4-addr",)]  # no type column: inferred from the values
    assert unexplained == 0
