{#- One row per campaign. Victims are the incidents attributed to the campaign's actor within
    the campaign's first-to-last-seen window. Status as of the latest delivery date:
    `disrupted` when an operation targeted its actor after the campaign began, else `active`
    when seen in the last 90 days, else `dormant`. Evidence members may not read (AMBER+STRICT, RED) is dropped first. -#}
with

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

campaigns as (
    select
        campaigns.*,
        tlp_levels.restriction_rank
    from {{ ref('int_campaigns_resolved') }} as campaigns
    inner join tlp_levels on campaigns.tlp = tlp_levels.tlp
    where {{ readable_by('members', 'campaigns.tlp') }}
),

activity as (
    select * from {{ ref('int_actor_activity_unioned') }}
    where {{ readable_by('members', 'tlp') }}
),

links as (
    select
        links.*,
        tlp_levels.restriction_rank
    from {{ ref('int_indicator_links') }} as links
    inner join tlp_levels on links.tlp = tlp_levels.tlp
    where links.campaign_key is not null and {{ readable_by('members', 'links.tlp') }}
),

actors as (
    select * from {{ ref('mart_actors') }}
),

registry as (
    select * from {{ ref('stg_raw__drop_files') }}
),

as_of as (
    select max(delivered_on) as as_of_date from registry
),

campaign_spans as (
    select
        campaign_key,
        min(campaign_name) as campaign_name,
        min(actor_key) as actor_key,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        list(distinct partner_id) as partners,
        max(restriction_rank) as restriction_rank
    from campaigns
    group by campaign_key
),

campaign_indicators as (
    select
        campaign_key,
        count(distinct indicator_key) as indicator_count,
        list(distinct partner_id) as partners,
        max(last_seen_at) as last_seen_at,
        max(restriction_rank) as restriction_rank
    from links
    group by campaign_key
),

campaign_victims as (
    select
        campaign_spans.campaign_key,
        count(distinct activity.victim_key) as victim_count
    from campaign_spans
    inner join activity
        on
            campaign_spans.actor_key = activity.actor_key
            and activity.evidence = 'incident'
            and activity.first_seen_at
            between campaign_spans.first_seen_at
            and coalesce(campaign_spans.last_seen_at, campaign_spans.first_seen_at)
    group by campaign_spans.campaign_key
),

disruptions as (
    select
        campaign_spans.campaign_key,
        true as is_disrupted
    from campaign_spans
    inner join activity
        on
            campaign_spans.actor_key = activity.actor_key
            and activity.evidence = 'operation'
            and campaign_spans.first_seen_at <= activity.first_seen_at
    group by campaign_spans.campaign_key
),

final as (
    select
        campaign_spans.campaign_key::varchar as campaign_key,
        campaign_spans.campaign_name::varchar as campaign_name,
        campaign_spans.actor_key::varchar as actor_key,
        actors.actor_name::varchar as actor_name,
        campaign_spans.first_seen_at::timestamptz as first_seen_at,
        greatest(campaign_spans.last_seen_at, campaign_indicators.last_seen_at)::timestamptz
            as last_seen_at,
        coalesce(campaign_indicators.indicator_count, 0)::integer as indicator_count,
        coalesce(campaign_victims.victim_count, 0)::integer as victim_count,
        len(
            list_distinct(
                list_concat(campaign_spans.partners, coalesce(campaign_indicators.partners, []))
            )
        )::integer as partner_count,
        list_sort(
            list_distinct(
                list_concat(campaign_spans.partners, coalesce(campaign_indicators.partners, []))
            )
        )::varchar [] as partner_ids,
        case
            when disruptions.is_disrupted then 'disrupted'
            when
                greatest(campaign_spans.last_seen_at, campaign_indicators.last_seen_at)
                >= (as_of.as_of_date - interval '90 days')
                then 'active'
            else 'dormant'
        end::varchar as status,
        campaign_tlp.tlp::varchar as tlp
    from campaign_spans
    cross join as_of
    left join campaign_indicators on campaign_spans.campaign_key = campaign_indicators.campaign_key
    left join campaign_victims on campaign_spans.campaign_key = campaign_victims.campaign_key
    left join disruptions on campaign_spans.campaign_key = disruptions.campaign_key
    left join actors on campaign_spans.actor_key = actors.actor_key
    left join tlp_levels as campaign_tlp
        on
            greatest(campaign_spans.restriction_rank, campaign_indicators.restriction_rank)
            = campaign_tlp.restriction_rank
)

select
    campaign_key,
    campaign_name,
    actor_key,
    actor_name,
    first_seen_at,
    last_seen_at,
    indicator_count,
    victim_count,
    partner_count,
    partner_ids,
    status,
    tlp
from final
