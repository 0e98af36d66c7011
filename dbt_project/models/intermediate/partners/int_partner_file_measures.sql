{#- What each delivered file counts towards its partner's capability (mart_partner_capability):
    of its member-readable indicators, those with a first-seen time and those it delivered
    within three days of it; and the kinds of record it delivered (indicator types, and the
    record types of the accepted records of the tabular formats). One row per file that has
    any. A night recomputes the files it brings and those holding a record it supersedes
    (files_changed_tonight), after deleting what it held for them. -#}
{{ per_file_incremental() }}
-- depends_on: {{ ref('int_records_superseded') }}
with

changed_indicators as (
    select * from {{ ref('int_indicators_normalized') }}
    {% if is_incremental() -%}
        where {{ files_changed_tonight('file_sha256') }}
    {%- endif %}
),

changed_outcomes as (
    select * from {{ ref('int_record_outcomes') }}
    {% if is_incremental() -%}
        where {{ files_changed_tonight('file_sha256') }}
    {%- endif %}
),

indicators as (
    select * from changed_indicators
    where {{ readable_by('members', 'tlp') }}
),

accepted_rows as (
    select * from changed_outcomes
    where outcome = 'accepted' and source_format in ('ioc_list', 'csv', 'xlsx', 'jsonl')
),

timed as (
    select
        file_sha256,
        any_value(partner_id) as partner_id,
        count(*) filter (where first_seen_at is not null) as dated_count,
        {# not `delivered_on - first_seen_at <= 3 days`: DuckDB subtracts two timestamptz
            through the ICU calendar, about 3 us a row #}
        count(*) filter (
            where first_seen_at >= delivered_on::timestamptz - interval '3 days'
        ) as timely_count
    from indicators
    group by file_sha256
),

kinds as (
    select
        file_sha256,
        partner_id,
        indicator_type as kind
    from indicators
    union all
    select
        file_sha256,
        partner_id,
        record_type as kind
    from accepted_rows
),

kinded as (
    select
        file_sha256,
        any_value(partner_id) as partner_id,
        list_sort(list_distinct(list(kind))) as kinds
    from kinds
    group by file_sha256
),

final as (
    select
        kinded.file_sha256,
        coalesce(timed.partner_id, kinded.partner_id) as partner_id,
        coalesce(timed.dated_count, 0)::bigint as dated_count,
        coalesce(timed.timely_count, 0)::bigint as timely_count,
        kinded.kinds
    from kinded
    left join timed on kinded.file_sha256 = timed.file_sha256
)

select * from final
