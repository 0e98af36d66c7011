{#- Indicators that TLP:CLEAR reports support, for sharing outside the partnership: the rows
    of mart_indicators with a TLP:CLEAR report, and only its public_ figures (counted over
    TLP:CLEAR reports alone), small counts suppressed. -#}
with

indicators as (
    select * from {{ ref('mart_indicators') }}
    where public_report_count > 0
),

final as (
    select
        indicator_key::varchar as indicator_key,
        indicator_type::varchar as indicator_type,
        value::varchar as value,
        public_first_seen_at::timestamptz as first_seen_at,
        public_last_seen_at::timestamptz as last_seen_at,
        {{ suppress_small('public_source_count') }}::integer as source_count,
        {{ suppress_small('public_report_count') }}::integer as report_count
    from indicators
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
