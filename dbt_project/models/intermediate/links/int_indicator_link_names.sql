{#- The names of the actors and campaigns each indicator is linked to, from the links members
    may read: a link of a report they may not read (AMBER+STRICT, RED) is removed before
    anything is named, so nothing here reveals that it exists, and a campaign members may not
    read is not named. One row per indicator with at least one such link. -#}
with

links as (
    select * from {{ ref('int_indicator_links') }}
    where {{ readable_by('members', 'tlp') }}
),

actor_names as (
    select * from {{ ref('int_actor_names') }}
),

campaigns as (
    select * from {{ ref('int_campaigns_resolved') }}
    where {{ readable_by('members', 'tlp') }}
),

named as (
    select
        links.indicator_key,
        actor_names.actor_name,
        campaigns.campaign_name
    from links
    left join actor_names on links.actor_key = actor_names.actor_key
    left join campaigns on links.campaign_key = campaigns.campaign_key
),

final as (
    select
        indicator_key,
        list_sort(list_distinct(list(actor_name))) as actor_names,
        list_sort(list_distinct(list(campaign_name))) as campaign_names
    from named
    group by indicator_key
)

select * from final
