{#- Everything the warehouse knows an actor did or was called, one row per piece of evidence,
    each with the TLP of the record it comes from (so marts can drop what an audience may not
    see before they count; a tlp tag that is no TLP level counts as RED): indicators linked
    to it, incidents attributed to it, campaigns attributed to it, operations against it,
    and the records that name it.
    A mention, an incident and a MISP or IOC list link depend on their own record alone: a
    night deletes the evidence of the records it changes (changed_tonight) and appends theirs
    again. Campaigns, operations and STIX links (int_indicator_links rebuilds those whole)
    are rebuilt each night. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_tonight(
        \"target.evidence in ('campaign', 'operation') \"
        ~ \"or (target.evidence = 'indicator' and target.source_format = 'stix21') or \"
        ~ changed_tonight('target.file_sha256', 'target.record_locator')
    ) }}"
) }}
-- depends_on: {{ ref('int_records_superseded') }}
with

mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
    where actor_key is not null
),

changed_mentions as (
    select * from mentions
    {{ records_changed_tonight('mentions') }}
),

links as (
    select * from {{ ref('int_indicator_links') }}
    where actor_key is not null
),

changed_links as (
    select * from links
    {% if is_incremental() -%}
        where
            links.source_format = 'stix21'
            or {{ changed_tonight('links.file_sha256', 'links.record_locator') }}
    {%- endif %}
),

incidents as (
    select * from {{ ref('int_incidents_normalized') }}
    where actor_key is not null
),

changed_incidents as (
    select * from incidents
    {{ records_changed_tonight('incidents') }}
),

campaigns as (
    select * from {{ ref('int_campaigns_resolved') }}
    where actor_key is not null
),

operations as (
    select * from {{ ref('int_operations_normalized') }}
),

targets as (
    select * from {{ ref('int_operation_targets_resolved') }}
),

stix_markings as (
    select * from {{ ref('int_stix_markings_resolved') }}
),

misp_events as (
    select * from {{ ref('stg_misp__events') }}
),

partners as (
    select * from {{ ref('partners') }}
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

misp_event_tlp as (
    select
        misp_events.file_sha256,
        misp_events.record_locator,
        arg_max(tlp_levels.tlp, tlp_levels.restriction_rank) as tlp
    from misp_events
    cross join unnest(misp_events.event_tags) as tags (tag_name)
    left join tlp_spellings on lower(trim(tags.tag_name)) = tlp_spellings.spelling
    inner join tlp_levels on coalesce(tlp_spellings.tlp, 'red') = tlp_levels.tlp
    where lower(tags.tag_name) like 'tlp:%'
    group by misp_events.file_sha256, misp_events.record_locator
),

named as (
    select
        mentions.actor_key,
        'named' as evidence,
        mentions.source_format,
        mentions.partner_id,
        mentions.file_sha256,
        mentions.record_locator,
        mentions.actor_text,
        coalesce(stix_markings.tlp, misp_event_tlp.tlp, partners.default_tlp) as tlp,
        null::timestamptz as first_seen_at,
        null::timestamptz as last_seen_at,
        null::varchar as indicator_key,
        null::varchar as victim_key,
        null::varchar as campaign_key
    from changed_mentions as mentions
    left join stix_markings
        on
            mentions.file_sha256 = stix_markings.file_sha256
            and mentions.record_locator = stix_markings.record_locator
    left join misp_event_tlp
        on
            mentions.file_sha256 = misp_event_tlp.file_sha256
            and mentions.record_locator = misp_event_tlp.record_locator
    left join partners on mentions.partner_id = partners.partner_id
    where mentions.source_format in ('stix21', 'misp')
),

indicated as (
    select
        links.actor_key,
        'indicator' as evidence,
        links.source_format,
        links.partner_id,
        links.file_sha256,
        links.record_locator,
        mentions.actor_text,
        links.tlp,
        links.first_seen_at,
        links.last_seen_at,
        links.indicator_key,
        null::varchar as victim_key,
        links.campaign_key
    from changed_links as links
    left join mentions
        on
            links.file_sha256 = mentions.file_sha256
            and links.record_locator = mentions.record_locator
),

attributed_incidents as (
    select
        incidents.actor_key,
        'incident' as evidence,
        incidents.source_format,
        incidents.partner_id,
        incidents.file_sha256,
        incidents.record_locator,
        mentions.actor_text,
        incidents.tlp,
        incidents.occurred_at as first_seen_at,
        incidents.occurred_at as last_seen_at,
        null::varchar as indicator_key,
        incidents.victim_key,
        null::varchar as campaign_key
    from changed_incidents as incidents
    left join mentions
        on
            incidents.file_sha256 = mentions.file_sha256
            and incidents.record_locator = mentions.record_locator
),

attributed_campaigns as (
    select
        actor_key,
        'campaign' as evidence,
        'stix21' as source_format,
        partner_id,
        file_sha256,
        record_locator,
        null::varchar as actor_text,
        tlp,
        first_seen_at,
        last_seen_at,
        null::varchar as indicator_key,
        null::varchar as victim_key,
        campaign_key
    from campaigns
),

targeted as (
    select
        targets.actor_key,
        'operation' as evidence,
        null::varchar as source_format,
        operations.partner_id,
        null::varchar as file_sha256,
        null::varchar as record_locator,
        null::varchar as actor_text,
        operations.tlp,
        operations.announced_on::timestamptz as first_seen_at,
        operations.announced_on::timestamptz as last_seen_at,
        null::varchar as indicator_key,
        null::varchar as victim_key,
        null::varchar as campaign_key
    from targets
    inner join operations on targets.operation_key = operations.operation_key
),

final as (
    select * from named
    union all
    select * from indicated
    union all
    select * from attributed_incidents
    union all
    select * from attributed_campaigns
    union all
    select * from targeted
)

select * from final
