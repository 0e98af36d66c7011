{#- Which campaign and which actor each indicator observation points to: STIX `indicates`
    relationships (to a campaign, or to an intrusion set or threat actor), the threat-actor
    galaxy tags of a MISP event (for every attribute of the event), and the actor column of an
    IOC list row. One row per indicator observation and link target, with what the marts read
    of the observation (partner, TLP, first and last seen), so that they need not join every
    observation again.
    A MISP or IOC list link depends on its own file alone: a night deletes those of the records
    it changes (changed_tonight) and appends those of its files. A STIX link may join an
    indicator to a relationship, campaign or actor in another file: every STIX link is
    rebuilt each night. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_tonight(
        \"target.source_format = 'stix21' or \"
        ~ changed_tonight('target.file_sha256', 'target.record_locator')
    ) }}"
) }}
-- depends_on: {{ ref('int_records_superseded') }}
with

stix_indicators as (
    select * from {{ ref('int_indicators_normalized') }}
    where source_format = 'stix21'
),

listed_indicators as (
    select * from {{ ref('int_indicators_normalized') }}
    {% if is_incremental() -%}
        where {{ in_files_since_last_build('file_sha256') }}
    {%- endif %}
),

objects as (
    select * from {{ ref('stg_stix__objects') }}
    where parse_error is null
),

misp_attributes as (
    select * from {{ ref('stg_misp__attributes') }}
    where parse_error is null
),

misp_events as (
    select * from {{ ref('stg_misp__events') }}
),

actor_mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
    where actor_key is not null
),

campaigns as (
    select * from {{ ref('int_campaigns_resolved') }}
),

stix_actor_objects as (
    select * from {{ ref('int_stix_actor_objects_resolved') }}
),

indicates as (
    select
        source_ref,
        target_ref
    from objects
    where stix_type = 'relationship' and relationship_type = 'indicates'
),

stix_links as (
    select
        indicators.indicator_key,
        indicators.file_sha256,
        indicators.record_locator,
        indicators.partner_id,
        indicators.tlp,
        indicators.first_seen_at,
        indicators.last_seen_at,
        indicators.source_format,
        campaigns.campaign_key,
        coalesce(stix_actor_objects.actor_key, campaigns.actor_key) as actor_key
    from stix_indicators as indicators
    inner join indicates on indicators.source_object_id = indicates.source_ref
    left join campaigns on indicates.target_ref = campaigns.stix_id
    left join stix_actor_objects on indicates.target_ref = stix_actor_objects.stix_id
    where
        indicators.source_format = 'stix21'
        and (campaigns.campaign_key is not null or stix_actor_objects.actor_key is not null)
),

misp_links as (
    select
        indicators.indicator_key,
        indicators.file_sha256,
        indicators.record_locator,
        indicators.partner_id,
        indicators.tlp,
        indicators.first_seen_at,
        indicators.last_seen_at,
        indicators.source_format,
        null::varchar as campaign_key,
        actor_mentions.actor_key
    from listed_indicators as indicators
    inner join misp_attributes
        on
            indicators.file_sha256 = misp_attributes.file_sha256
            and indicators.record_locator = misp_attributes.record_locator
    inner join misp_events
        on
            misp_attributes.file_sha256 = misp_events.file_sha256
            and misp_attributes.event_locator = misp_events.record_locator
    inner join actor_mentions
        on
            misp_events.file_sha256 = actor_mentions.file_sha256
            and misp_events.record_locator = actor_mentions.record_locator
    where indicators.source_format = 'misp'
),

ioc_list_links as (
    select
        indicators.indicator_key,
        indicators.file_sha256,
        indicators.record_locator,
        indicators.partner_id,
        indicators.tlp,
        indicators.first_seen_at,
        indicators.last_seen_at,
        indicators.source_format,
        null::varchar as campaign_key,
        actor_mentions.actor_key
    from listed_indicators as indicators
    inner join actor_mentions
        on
            indicators.file_sha256 = actor_mentions.file_sha256
            and indicators.record_locator = actor_mentions.record_locator
    where indicators.source_format = 'ioc_list'
),

final as (
    select * from stix_links
    union
    select * from misp_links
    union
    select * from ioc_list_links
)

select * from final
