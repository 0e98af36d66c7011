{#- Campaigns from STIX campaign objects: a canonical key and name through the campaign alias
    seed (else a key from the name itself), the actor a campaign
    is attributed to (attributed-to relationships to an intrusion set or threat actor, resolved
    through the actor alias seed), first and last seen, and TLP. A campaign whose name has no
    letter or digit is not here: int_record_outcomes quarantines it as missing_name. -#}
with

objects as not materialized (
    select * from {{ ref('stg_stix__objects') }}
    where parse_error is null
),

markings as (
    select * from {{ ref('int_stix_markings_resolved') }}
),

partners as (
    select * from {{ ref('partners') }}
),

campaign_aliases as (
    select * from {{ ref('campaign_aliases') }}
),

campaigns as (
    select * from objects
    where
        stix_type = 'campaign'
        and is_revoked is not true
        and {{ alias_key('object_name') }} is not null
),

actor_objects as (
    select * from {{ ref('int_stix_actor_objects_resolved') }}
),

attributions as (
    select
        relationships.source_ref as campaign_stix_id,
        min(actor_objects.actor_key) as actor_key
    from objects as relationships
    inner join actor_objects on relationships.target_ref = actor_objects.stix_id
    where
        relationships.stix_type = 'relationship'
        and relationships.relationship_type = 'attributed-to'
    group by relationships.source_ref
),

final as (
    select
        campaigns.file_sha256,
        campaigns.partner_id,
        campaigns.record_locator,
        campaigns.stix_id,
        coalesce(campaign_aliases.campaign_key, {{ alias_key('campaigns.object_name') }})
            as campaign_key,
        coalesce(campaign_aliases.campaign_name, campaigns.object_name) as campaign_name,
        attributions.actor_key,
        coalesce(campaigns.first_seen_at, campaigns.created_at) as first_seen_at,
        coalesce(campaigns.last_seen_at, campaigns.modified_at, campaigns.created_at)
            as last_seen_at,
        coalesce(markings.tlp, partners.default_tlp) as tlp
    from campaigns
    left join campaign_aliases
        on {{ alias_key('campaigns.object_name') }} = {{ alias_key('campaign_aliases.alias') }}
    left join attributions on campaigns.stix_id = attributions.campaign_stix_id
    left join markings
        on
            campaigns.file_sha256 = markings.file_sha256
            and campaigns.record_locator = markings.record_locator
    left join partners on campaigns.partner_id = partners.partner_id
)

select * from final
