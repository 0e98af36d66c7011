{#- One row per canonical indicator, corroborated across partners. TLP:RED observations are
    removed before anything is counted, so nothing here reveals that they exist. -#}
with

indicators as (
    select * from {{ ref('int_indicators_normalized') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

shareable as (
    select
        indicators.*,
        tlp_levels.restriction_rank
    from indicators
    inner join tlp_levels on indicators.tlp = tlp_levels.tlp
    where indicators.tlp <> 'red'
),

aggregated as (
    select
        indicator_key,
        any_value(indicator_type) as indicator_type,
        any_value(value) as value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(distinct partner_id) as source_count,
        count(distinct file_sha256 || '|' || record_locator) as report_count,
        max(confidence) as max_confidence,
        arg_max(tlp, restriction_rank) as tlp
    from shareable
    group by indicator_key
),

final as (
    select
        indicator_key::varchar as indicator_key,
        indicator_type::varchar as indicator_type,
        value::varchar as value,
        first_seen_at::timestamptz as first_seen_at,
        last_seen_at::timestamptz as last_seen_at,
        source_count::integer as source_count,
        report_count::integer as report_count,
        max_confidence::integer as max_confidence,
        tlp::varchar as tlp
    from aggregated
)

select
    indicator_key,
    indicator_type,
    value,
    first_seen_at,
    last_seen_at,
    source_count,
    report_count,
    max_confidence,
    tlp
from final
