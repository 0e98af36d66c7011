{#- Threat actors as TLP:CLEAR evidence alone shows them: the actors of mart_actors with
    TLP:CLEAR evidence and its public_ figures, small counts suppressed. -#}
with

actors as (
    select * from {{ ref('mart_actors') }}
    where has_public_evidence
),

final as (
    select
        actor_key::varchar as actor_key,
        actor_name::varchar as actor_name,
        public_first_seen_at::timestamptz as first_seen_at,
        public_last_seen_at::timestamptz as last_seen_at,
        {{ suppress_small('public_indicator_count') }}::integer as indicator_count,
        {{ suppress_small('public_victim_count') }}::integer as victim_count,
        {{ suppress_small('public_partner_count') }}::integer as partner_count
    from actors
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
