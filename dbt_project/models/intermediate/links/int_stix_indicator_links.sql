{{ config(materialized='view') }}
{#- Every STIX `indicates` link as tonight's files make it: an indicator observation and the
    campaign or actor (intrusion set, threat actor) a relationship points it to. A link may join
    an indicator to a relationship, campaign or actor in another file, so no night can tell
    which links its files change; a view costs nothing to keep, and int_indicator_links
    changes only the rows that differ from it. -#}
with

indicators as (
    select * from {{ ref('int_indicators_normalized') }}
    where source_format = 'stix21'
),

objects as (
    select * from {{ ref('stg_stix__objects') }}
    where parse_error is null
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

final as (
    select distinct
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
    from indicators
    inner join indicates on indicators.source_object_id = indicates.source_ref
    left join campaigns on indicates.target_ref = campaigns.stix_id
    left join stix_actor_objects on indicates.target_ref = stix_actor_objects.stix_id
    where campaigns.campaign_key is not null or stix_actor_objects.actor_key is not null
)

select * from final
