{#- The name of every actor a delivery mentions: the alias seed's name, or for an unresolved
    actor (a name the seed does not resolve, or gives to several actors) the least, by sort
    order, of the names its mentions give it, so that every night and every rebuild name it
    alike whatever order its files came in. -#}
with

mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
),

actor_aliases as (
    select * from {{ ref('actor_aliases') }}
),

seed_names as (
    select distinct
        actor_key,
        actor_name
    from actor_aliases
),

mentioned as (
    select
        actor_key,
        min(actor_own_name) as spelled_name
    from mentions
    group by actor_key
),

final as (
    select
        mentioned.actor_key,
        coalesce(seed_names.actor_name, mentioned.spelled_name) as actor_name
    from mentioned
    left join seed_names on mentioned.actor_key = seed_names.actor_key
)

select * from final
