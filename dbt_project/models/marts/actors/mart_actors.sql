{#- One row per canonical actor seen in shareable data, unresolved ones included (names the
    alias seed does not know, or that it gives to several actors: is_unresolved). Evidence
    members may not read (AMBER+STRICT, RED) is dropped before anything is counted or listed. -#}
with

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

activity as (
    select
        evidence.*,
        tlp_levels.restriction_rank,
        {{ readable_by('public', 'evidence.tlp') }} as is_public
    from {{ ref('int_actor_activity_unioned') }} as evidence
    inner join tlp_levels on evidence.tlp = tlp_levels.tlp
    where {{ readable_by('members', 'evidence.tlp') }}
),

actor_names as (
    select * from {{ ref('int_actor_names') }}
),

aggregated as (
    select
        actor_key,
        list_sort(list_distinct(list(actor_text))) as aliases,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(distinct indicator_key) as indicator_count,
        count(distinct campaign_key) as campaign_count,
        count(distinct victim_key) as victim_count,
        count(distinct partner_id) as partner_count,
        arg_max(tlp, restriction_rank) as tlp,
        bool_or(is_public) as has_public_evidence,
        min(first_seen_at) filter (where is_public) as public_first_seen_at,
        max(last_seen_at) filter (where is_public) as public_last_seen_at,
        count(distinct indicator_key) filter (where is_public) as public_indicator_count,
        count(distinct victim_key) filter (where is_public) as public_victim_count,
        count(distinct partner_id) filter (where is_public) as public_partner_count
    from activity
    group by actor_key
),

final as (
    select
        aggregated.actor_key::varchar as actor_key,
        actor_names.actor_name::varchar as actor_name,
        (aggregated.actor_key like 'unresolved-%')::boolean as is_unresolved,
        aggregated.aliases::varchar [] as aliases,
        aggregated.first_seen_at::timestamptz as first_seen_at,
        aggregated.last_seen_at::timestamptz as last_seen_at,
        aggregated.indicator_count::integer as indicator_count,
        aggregated.campaign_count::integer as campaign_count,
        aggregated.victim_count::integer as victim_count,
        aggregated.partner_count::integer as partner_count,
        aggregated.tlp::varchar as tlp,
        aggregated.has_public_evidence::boolean as has_public_evidence,
        aggregated.public_first_seen_at::timestamptz as public_first_seen_at,
        aggregated.public_last_seen_at::timestamptz as public_last_seen_at,
        aggregated.public_indicator_count::integer as public_indicator_count,
        aggregated.public_victim_count::integer as public_victim_count,
        aggregated.public_partner_count::integer as public_partner_count
    from aggregated
    inner join actor_names on aggregated.actor_key = actor_names.actor_key
)

select
    actor_key,
    actor_name,
    is_unresolved,
    aliases,
    first_seen_at,
    last_seen_at,
    indicator_count,
    campaign_count,
    victim_count,
    partner_count,
    tlp,
    has_public_evidence,
    public_first_seen_at,
    public_last_seen_at,
    public_indicator_count,
    public_victim_count,
    public_partner_count
from final
