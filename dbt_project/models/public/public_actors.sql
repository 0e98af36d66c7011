{#- Threat actors as TLP:CLEAR evidence shows them: activity span and reach, small counts
    suppressed. -#}
with

activity as (
    select * from {{ ref('int_actor_activity_unioned') }}
    where tlp = 'clear'
),

actor_names as (
    select distinct
        actor_key,
        actor_name
    from {{ ref('int_actor_mentions_resolved') }}
    where actor_key is not null
),

aggregated as (
    select
        actor_key,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(distinct indicator_key) as indicator_count,
        count(distinct victim_key) as victim_count,
        count(distinct partner_id) as partner_count
    from activity
    group by actor_key
),

final as (
    select
        aggregated.actor_key::varchar as actor_key,
        actor_names.actor_name::varchar as actor_name,
        aggregated.first_seen_at::timestamptz as first_seen_at,
        aggregated.last_seen_at::timestamptz as last_seen_at,
        {{ suppress_small('aggregated.indicator_count') }}::integer as indicator_count,
        {{ suppress_small('aggregated.victim_count') }}::integer as victim_count,
        {{ suppress_small('aggregated.partner_count') }}::integer as partner_count
    from aggregated
    inner join actor_names on aggregated.actor_key = actor_names.actor_key
)

select
    actor_key,
    actor_name,
    first_seen_at,
    last_seen_at,
    indicator_count,
    victim_count,
    partner_count
from final
