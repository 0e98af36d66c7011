{#- Victim impact by month, actor, sector and country as TLP:CLEAR incidents alone show it:
    the groups of mart_impact_monthly with a TLP:CLEAR incident and their public_ figures,
    small counts suppressed, and their amounts with them. -#}
with

impact as (
    select * from {{ ref('mart_impact_monthly') }}
    where public_incident_count > 0
),

final as (
    select
        month::date as month,
        actor_key::varchar as actor_key,
        actor_name::varchar as actor_name,
        sector::varchar as sector,
        country_code::varchar as country_code,
        {{ suppress_small('public_victim_count') }}::integer as victim_count,
        {{ suppress_small('public_incident_count') }}::integer as incident_count,
        case
            when public_victim_count >= {{ var('public_min_count') }} then public_ransom_paid_usd
        end::decimal(18, 2) as ransom_paid_usd
    from impact
)

select
    month,
    actor_key,
    actor_name,
    sector,
    country_code,
    victim_count,
    incident_count,
    ransom_paid_usd
from final
