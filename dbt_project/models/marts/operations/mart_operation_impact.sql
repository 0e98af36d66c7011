{#- One row per disruption operation (AMBER+STRICT and TLP:RED operations excluded): what it
    reported and what it measurably changed, counted as leak-site posts naming victims of its target actor in the
    90 days before and after the announcement (by publication date). With several targets,
    target_actor_key is the first in key order and target_actor_keys lists them all. -#}
with

operations as (
    select * from {{ ref('int_operations_normalized') }}
    where {{ readable_by('members', 'tlp') }}
),

posts_counted as (
    select * from {{ ref('int_operation_leak_posts_counted') }}
),

partners as (
    select * from {{ ref('partners') }}
),

actors as (
    select * from {{ ref('mart_actors') }}
),

target_names as (
    select
        operations.operation_key,
        list(actors.actor_name order by targets.actor_key) as actor_names
    from operations
    cross join unnest(operations.target_actor_keys) as targets (actor_key)
    left join actors on targets.actor_key = actors.actor_key
    group by operations.operation_key
),

registered_participants as (
    select
        operations.operation_key,
        count(distinct partners.partner_id) as partner_count,
        list_sort(list_distinct(list(partners.partner_id))) as partner_ids
    from operations
    cross join unnest(operations.participating_partners) as participants (participant)
    inner join partners on participants.participant = partners.partner_id
    group by operations.operation_key
),

final as (
    select
        operations.operation_key::varchar as operation_key,
        operations.operation_name::varchar as operation_name,
        operations.announced_on::date as announced_on,
        operations.target_actor_keys[1]::varchar as target_actor_key,
        operations.target_actor_keys::varchar [] as target_actor_keys,
        target_names.actor_names[1]::varchar as target_actor_name,
        target_names.actor_names::varchar [] as target_actor_names,
        operations.servers_seized::integer as servers_seized,
        operations.domains_seized::integer as domains_seized,
        operations.arrests::integer as arrests,
        operations.decryption_keys::integer as decryption_keys,
        operations.crypto_accounts_frozen::integer as crypto_accounts_frozen,
        operations.funds_frozen_usd::decimal(18, 2) as funds_frozen_usd,
        operations.victims_notified::integer as victims_notified,
        coalesce(registered_participants.partner_count, 0)::integer as partner_count,
        coalesce(registered_participants.partner_ids, [])::varchar [] as partner_ids,
        coalesce(posts_counted.members_posted_90d_before, 0)::integer
            as victims_posted_90d_before,
        coalesce(posts_counted.members_posted_90d_after, 0)::integer
            as victims_posted_90d_after,
        coalesce(posts_counted.public_posted_90d_before, 0)::integer
            as public_victims_posted_90d_before,
        coalesce(posts_counted.public_posted_90d_after, 0)::integer
            as public_victims_posted_90d_after,
        operations.tlp::varchar as tlp
    from operations
    left join posts_counted on operations.operation_key = posts_counted.operation_key
    left join registered_participants
        on operations.operation_key = registered_participants.operation_key
    left join target_names on operations.operation_key = target_names.operation_key
)

select
    operation_key,
    operation_name,
    announced_on,
    target_actor_key,
    target_actor_keys,
    target_actor_name,
    target_actor_names,
    servers_seized,
    domains_seized,
    arrests,
    decryption_keys,
    crypto_accounts_frozen,
    funds_frozen_usd,
    victims_notified,
    partner_count,
    partner_ids,
    victims_posted_90d_before,
    victims_posted_90d_after,
    public_victims_posted_90d_before,
    public_victims_posted_90d_after,
    tlp
from final
