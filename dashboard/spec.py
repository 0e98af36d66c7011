"""The dashboard as data: one dataset per partnership question (SQL on the marts of the
analysts' file), the charts on them, the layout and the filters by partner, actor and month.
`provision.py` turns it into Superset objects."""

from __future__ import annotations

DATABASE_NAME = "Cybercrime Collaboration Warehouse"

# every dataset has `month`, and partner_id and/or actor_name where it has a partner or actor,
# so the dashboard's three filters apply by column name
DATASETS = {
    "indicators_by_partner_week": """
select
    partner_id,
    cast(date_trunc('week', delivered_on) as date) as week,
    cast(date_trunc('month', delivered_on) as date) as month,
    count(*) as indicators_reported,
    count(*) filter (where partner_count > 1) as corroborated
from marts.mart_indicator_reports
group by all
""",
    "impact_by_month": """
select
    month,
    actor_name,
    sector,
    country_code,
    victim_count,
    total_loss_usd
from marts.mart_impact_monthly
""",
    "disruption_operations": """
select
    operation_name,
    announced_on,
    cast(date_trunc('month', announced_on) as date) as month,
    target_actor_name as actor_name,
    victims_posted_90d_before,
    victims_posted_90d_after
from marts.mart_operation_impact
""",
    "partner_scorecards": """
select
    capability.partner_id,
    capability.partner_name,
    scorecard.month,
    scorecard.records_received,
    scorecard.records_accepted,
    scorecard.corroborated_indicators,
    capability.timeliness_tier,
    capability.data_quality_tier,
    capability.volume_tier,
    capability.coverage_tier
from marts.mart_partner_capability as capability
left join marts.mart_partner_scorecard as scorecard
    on capability.partner_id = scorecard.partner_id
""",
    "quarantine_by_partner_reason": """
select
    partner_id,
    reason_code,
    cast(date_trunc('month', delivered_on) as date) as month,
    record_count
from marts.mart_quarantine_reasons
""",
}

COLUMNS = {
    "partner_id": [
        "indicators_by_partner_week",
        "partner_scorecards",
        "quarantine_by_partner_reason",
    ],
    "actor_name": ["impact_by_month", "disruption_operations"],
    "month": list(DATASETS),
}


def _sql(expression: str, label: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": expression, "label": label}


def _table(groupby: list[str], metrics: list[dict], order: dict | None = None) -> dict:
    return {
        "query_mode": "aggregate",
        "groupby": groupby,
        "metrics": metrics,
        "timeseries_limit_metric": order or metrics[0],
        "order_desc": True,
        "row_limit": 1000,
        "adhoc_filters": [],
        "table_timestamp_format": "%Y-%m-%d",
    }


def _bars(x_axis: str, metrics: list[dict], groupby: list[str], grain: str | None) -> dict:
    params = {
        "x_axis": x_axis,
        "metrics": metrics,
        "groupby": groupby,
        "stack": "Stack",
        "row_limit": 10000,
        "adhoc_filters": [],
        "show_legend": True,
        "rich_tooltip": True,
    }
    if grain:
        params["time_grain_sqla"] = grain
    return params


REPORTED = _sql("sum(indicators_reported)", "indicators reported")
CORROBORATED = _sql("sum(corroborated)", "corroborated")
VICTIMS = _sql("sum(victim_count)", "victims")
LOSSES = _sql("sum(total_loss_usd)", "losses (USD)")

# (row, width of 12) decide the layout; names are what the dashboard shows
CHARTS = [
    {
        "name": "Partners",
        "dataset": "partner_scorecards",
        "viz_type": "big_number_total",
        "params": {"metric": _sql("count(distinct partner_id)", "partners"), "subheader": ""},
        "row": 0,
        "width": 3,
    },
    {
        "name": "Indicators reported",
        "dataset": "indicators_by_partner_week",
        "viz_type": "big_number_total",
        "params": {"metric": REPORTED, "subheader": ""},
        "row": 0,
        "width": 3,
    },
    {
        "name": "Corroborated indicators",
        "dataset": "indicators_by_partner_week",
        "viz_type": "big_number_total",
        "params": {"metric": CORROBORATED, "subheader": ""},
        "row": 0,
        "width": 3,
    },
    {
        "name": "Victims",
        "dataset": "impact_by_month",
        "viz_type": "big_number_total",
        "params": {"metric": VICTIMS, "subheader": ""},
        "row": 0,
        "width": 3,
    },
    {
        "name": "Indicators reported per partner and week",
        "dataset": "indicators_by_partner_week",
        "viz_type": "echarts_timeseries_bar",
        "params": _bars("week", [REPORTED], ["partner_id"], "P1W"),
        "row": 1,
        "width": 6,
    },
    {
        "name": "Reported and corroborated, per partner and week",
        "dataset": "indicators_by_partner_week",
        "viz_type": "table",
        "params": _table(["partner_id", "week"], [REPORTED, CORROBORATED]),
        "row": 1,
        "width": 6,
    },
    {
        "name": "Victims per month by actor",
        "dataset": "impact_by_month",
        "viz_type": "echarts_timeseries_bar",
        "params": _bars("month", [VICTIMS], ["actor_name"], "P1M"),
        "row": 2,
        "width": 6,
    },
    {
        "name": "Impact by actor, sector and country",
        "dataset": "impact_by_month",
        "viz_type": "table",
        "params": _table(["actor_name", "sector", "country_code"], [VICTIMS, LOSSES]),
        "row": 2,
        "width": 6,
    },
    {
        "name": "Victims by actor",
        "dataset": "impact_by_month",
        "viz_type": "table",
        "params": _table(["actor_name"], [VICTIMS, LOSSES]),
        "row": 3,
        "width": 4,
    },
    {
        "name": "Disruption operations: leak-site posts 90 days before and after",
        "dataset": "disruption_operations",
        "viz_type": "table",
        "params": _table(
            ["operation_name", "announced_on", "actor_name"],
            [
                _sql("sum(victims_posted_90d_before)", "posts before"),
                _sql("sum(victims_posted_90d_after)", "posts after"),
            ],
        ),
        "row": 3,
        "width": 8,
    },
    {
        "name": "Partner scorecards and capability tiers",
        "dataset": "partner_scorecards",
        "viz_type": "table",
        "params": _table(
            [
                "partner_id",
                "timeliness_tier",
                "data_quality_tier",
                "volume_tier",
                "coverage_tier",
            ],
            [
                _sql("sum(records_accepted)", "records accepted"),
                _sql("sum(corroborated_indicators)", "corroborated"),
            ],
        ),
        "row": 4,
        "width": 7,
    },
    {
        "name": "Quarantine by partner and reason",
        "dataset": "quarantine_by_partner_reason",
        "viz_type": "table",
        "params": _table(["partner_id", "reason_code"], [_sql("sum(record_count)", "records")]),
        "row": 4,
        "width": 5,
    },
]


def layout(charts: list[tuple[int, dict]]) -> dict:
    """Superset's position_json: a header, then one row per `row` of CHARTS."""
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": DASHBOARD["title"]}},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
    }
    for chart_id, chart in charts:
        row_id = f"ROW-{chart['row']}"
        if row_id not in position:
            position["GRID_ID"]["children"].append(row_id)
            position[row_id] = {
                "type": "ROW",
                "id": row_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }
        node_id = f"CHART-{chart_id}"
        position[row_id]["children"].append(node_id)
        position[node_id] = {
            "type": "CHART",
            "id": node_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID", row_id],
            "meta": {
                "chartId": chart_id,
                "sliceName": chart["name"],
                "width": chart["width"],
                "height": 50 if chart["row"] else 25,
            },
        }
    return position


DASHBOARD = {"title": "Partnership overview", "slug": "ccw-partnership", "layout": layout}


def _filter(name: str, column: str):
    """A native select filter on `column`, applied to every chart whose dataset has it."""

    def configuration(dataset_ids: dict[str, int], charts: list[tuple[int, dict]]) -> dict:
        without = [cid for cid, chart in charts if chart["dataset"] not in COLUMNS[column]]
        return {
            "id": f"NATIVE_FILTER-{column}",
            "name": name,
            "filterType": "filter_select",
            "type": "NATIVE_FILTER",
            "targets": [{"datasetId": dataset_ids[COLUMNS[column][0]], "column": {"name": column}}],
            "defaultDataMask": {"filterState": {}, "extraFormData": {}},
            "controlValues": {"multiSelect": True, "enableEmptyFilter": False},
            "cascadeParentIds": [],
            "scope": {"rootPath": ["ROOT_ID"], "excluded": without},
            "chartsInScope": [cid for cid, _ in charts if cid not in without],
            "description": f"Shows only the chosen {name.lower()}s",
        }

    return configuration


FILTERS = [
    _filter("Partner", "partner_id"),
    _filter("Actor", "actor_name"),
    _filter("Month", "month"),
]
