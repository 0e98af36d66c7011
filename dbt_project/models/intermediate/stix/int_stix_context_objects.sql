{{ config(materialized='incremental', incremental_strategy='append') }}
{#- STIX objects kept as context rather than turned into canonical entities: malware, tools,
    attack patterns, vulnerabilities, identities, reports, courses of action, marking
    definitions, relationships, sightings and custom (x-) objects. Their records end as
    `context`; the links built from relationships live in int_indicator_links and
    int_campaigns_resolved. Revoked objects are withdrawn, not here. A night appends the
    files it brings: an object's row depends on its own record alone. -#}
with

objects as (
    select * from {{ ref('stg_stix__objects') }}
    where
        parse_error is null
        and is_revoked is not true
        and stix_type not in ('indicator', 'intrusion-set', 'threat-actor', 'campaign')
        and {{ only_new_files() }}
),

final as (
    select
        file_sha256,
        partner_id,
        record_locator,
        stix_type,
        stix_id,
        object_name,
        relationship_type,
        source_ref,
        target_ref
    from objects
)

select * from final
