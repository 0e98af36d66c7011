{#- Indicators that TLP:CLEAR reports support, for sharing outside the partnership. Only
    TLP:CLEAR observations are read, before anything is counted, so nothing here depends on
    (or reveals) more restricted data. -#}
with

indicators as (
    select * from {{ ref('int_indicators_normalized') }}
    where tlp = 'clear'
),

aggregated as (
    select
        indicator_key,
        any_value(indicator_type) as indicator_type,
        any_value(value) as value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(distinct partner_id) as source_count,
        count(distinct file_sha256 || '|' || record_locator) as report_count
    from indicators
    group by indicator_key
),

final as (
    select
        indicator_key::varchar as indicator_key,
        indicator_type::varchar as indicator_type,
        value::varchar as value,
        first_seen_at::timestamptz as first_seen_at,
        last_seen_at::timestamptz as last_seen_at,
        {{ suppress_small('source_count') }}::integer as source_count,
        {{ suppress_small('report_count') }}::integer as report_count
    from aggregated
)

select
    indicator_key,
    indicator_type,
    value,
    first_seen_at,
    last_seen_at,
    source_count,
    report_count
from final
