{#- Victim impact by month, sector and country from TLP:CLEAR incidents only; small counts
    suppressed, and their amounts with them. -#}
with

incidents as (
    select * from {{ ref('int_incidents_normalized') }}
    where tlp = 'clear' and occurred_at is not null
),

aggregated as (
    select
        date_trunc('month', occurred_at)::date as month,
        sector,
        country_code,
        count(distinct victim_key) as victim_count,
        count(*) as incident_count,
        sum(ransom_paid_usd) as ransom_paid_usd
    from incidents
    group by all
),

final as (
    select
        month::date as month,
        sector::varchar as sector,
        country_code::varchar as country_code,
        {{ suppress_small('victim_count') }}::integer as victim_count,
        {{ suppress_small('incident_count') }}::integer as incident_count,
        case
            when victim_count >= {{ var('public_min_count') }} then ransom_paid_usd
        end::decimal(18, 2) as ransom_paid_usd
    from aggregated
)

select
    month,
    sector,
    country_code,
    victim_count,
    incident_count,
    ransom_paid_usd
from final
