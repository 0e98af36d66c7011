{#- One row per canonical indicator, corroborated across partners. Observations members may
    not read (AMBER+STRICT, RED) are removed before anything is joined or counted, so nothing
    here reveals that they exist. -#}
with

indicators as (
    select * from {{ ref('int_indicators_normalized') }}
),

links as (
    select * from {{ ref('int_indicator_links') }}
),

actors as (
    select * from {{ ref('int_actor_names') }}
),

campaigns as (
    select * from {{ ref('int_campaigns_resolved') }}
    where {{ readable_by('members', 'tlp') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

shareable as (
    select
        indicators.*,
        tlp_levels.restriction_rank,
        {{ readable_by('public', 'indicators.tlp') }} as is_public
    from indicators
    inner join tlp_levels on indicators.tlp = tlp_levels.tlp
    where {{ readable_by('members', 'indicators.tlp') }}
),

shareable_links as (
    select
        links.indicator_key,
        actors.actor_name,
        campaigns.campaign_name
    from links
    inner join shareable
        on
            links.file_sha256 = shareable.file_sha256
            and links.record_locator = shareable.record_locator
            and links.indicator_key = shareable.indicator_key
    left join actors on links.actor_key = actors.actor_key
    left join campaigns on links.campaign_key = campaigns.campaign_key
),

linked_names as (
    select
        indicator_key,
        list_sort(list_distinct(list(actor_name))) as actor_names,
        list_sort(list_distinct(list(campaign_name))) as campaign_names
    from shareable_links
    group by indicator_key
),

aggregated as (
    select
        indicator_key,
        any_value(indicator_type) as indicator_type,
        any_value(value) as value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(distinct partner_id) as source_count,
        count(distinct file_sha256 || '|' || record_locator) as report_count,
        max(confidence) as max_confidence,
        arg_max(tlp, restriction_rank) as tlp,
        count(distinct partner_id) filter (where is_public) as public_source_count,
        count(distinct file_sha256 || '|' || record_locator) filter (where is_public)
            as public_report_count,
        min(first_seen_at) filter (where is_public) as public_first_seen_at,
        max(last_seen_at) filter (where is_public) as public_last_seen_at
    from shareable
    group by indicator_key
),

final as (
    select
        aggregated.indicator_key::varchar as indicator_key,
        aggregated.indicator_type::varchar as indicator_type,
        aggregated.value::varchar as value,
        aggregated.first_seen_at::timestamptz as first_seen_at,
        aggregated.last_seen_at::timestamptz as last_seen_at,
        aggregated.source_count::integer as source_count,
        aggregated.report_count::integer as report_count,
        aggregated.max_confidence::integer as max_confidence,
        aggregated.tlp::varchar as tlp,
        coalesce(linked_names.actor_names, [])::varchar [] as actor_names,
        coalesce(linked_names.campaign_names, [])::varchar [] as campaign_names,
        aggregated.public_source_count::integer as public_source_count,
        aggregated.public_report_count::integer as public_report_count,
        aggregated.public_first_seen_at::timestamptz as public_first_seen_at,
        aggregated.public_last_seen_at::timestamptz as public_last_seen_at
    from aggregated
    left join linked_names on aggregated.indicator_key = linked_names.indicator_key
)

select
    indicator_key,
    indicator_type,
    value,
    first_seen_at,
    last_seen_at,
    source_count,
    report_count,
    max_confidence,
    tlp,
    actor_names,
    campaign_names,
    public_source_count,
    public_report_count,
    public_first_seen_at,
    public_last_seen_at
from final
