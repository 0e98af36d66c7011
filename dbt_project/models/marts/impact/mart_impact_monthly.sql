{#- Victim impact by month, actor, sector and country, from ISAC incident reports, insurance
    claims and leak-site posts (AMBER+STRICT and TLP:RED rows dropped first). Unknown actor, sector or country
    are their own group (null). Amounts in USD. -#}
with

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

incidents as (
    select
        incidents.*,
        tlp_levels.restriction_rank,
        {{ readable_by('public', 'incidents.tlp') }} as is_public
    from {{ ref('int_incidents_normalized') }} as incidents
    inner join tlp_levels on incidents.tlp = tlp_levels.tlp
    where {{ readable_by('members', 'incidents.tlp') }} and incidents.occurred_at is not null
),

actors as (
    select * from {{ ref('mart_actors') }}
),

aggregated as (
    select
        date_trunc('month', occurred_at)::date as month,
        actor_key::varchar as actor_key,
        sector::varchar as sector,
        country_code::varchar as country_code,
        count(distinct victim_key)::integer as victim_count,
        count(*)::integer as incident_count,
        sum(ransom_demanded_usd)::decimal(18, 2) as ransom_demanded_usd,
        sum(ransom_paid_usd)::decimal(18, 2) as ransom_paid_usd,
        sum(downtime_hours)::double as downtime_hours,
        sum(total_loss_usd)::decimal(18, 2) as total_loss_usd,
        arg_max(tlp, restriction_rank)::varchar as tlp,
        count(distinct victim_key) filter (where is_public)::integer as public_victim_count,
        count(*) filter (where is_public)::integer as public_incident_count,
        sum(ransom_paid_usd) filter (where is_public)::decimal(18, 2) as public_ransom_paid_usd
    from incidents
    group by month, actor_key, sector, country_code
),

final as (
    select
        aggregated.*,
        actors.actor_name::varchar as actor_name
    from aggregated
    left join actors on aggregated.actor_key = actors.actor_key
)

select
    month,
    actor_key,
    actor_name,
    sector,
    country_code,
    victim_count,
    incident_count,
    ransom_demanded_usd,
    ransom_paid_usd,
    downtime_hours,
    total_loss_usd,
    tlp,
    public_victim_count,
    public_incident_count,
    public_ransom_paid_usd
from final
