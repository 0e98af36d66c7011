{#- Every mention of a threat actor in any delivery (STIX intrusion sets and threat actors with
    their aliases, MISP galaxy tags, IOC list and incident actor columns, insurance claims,
    leak-site group names, operation targets), resolved through the alias seed to one canonical
    actor. A name the seed does not know, or that the galaxies give to several actors, keeps a
    null actor_key and a reason, for the quarantine. -#}
with

stix_objects as (
    select * from {{ ref('stg_stix__objects') }}
    where stix_type in ('intrusion-set', 'threat-actor') and parse_error is null
),

misp_events as (
    select * from {{ ref('stg_misp__events') }}
),

iocs as (
    select * from {{ ref('stg_ioc_lists__iocs') }}
    where parse_error is null
),

incidents as (
    select * from {{ ref('stg_incident_reports__incidents') }}
    where parse_error is null
),

claims as (
    select * from {{ ref('stg_insurance_claims__claims') }}
    where parse_error is null
),

posts as (
    select * from {{ ref('stg_leak_sites__posts') }}
    where parse_error is null
),

operations as (
    select * from {{ ref('stg_operations__operations') }}
    where parse_error is null
),

actor_aliases as (
    select * from {{ ref('actor_aliases') }}
),

collisions as (
    select * from {{ ref('actor_alias_collisions') }}
),

mentions as (
    select
        file_sha256,
        partner_id,
        record_locator,
        'stix21' as source_format,
        object_name as actor_text
    from stix_objects
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'stix21' as source_format,
        unnest(aliases) as actor_text
    from stix_objects
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'misp' as source_format,
        trim(
            split_part(
                unnest(
                    list_filter(
                        event_tags,
                        tag -> lower(tag) like 'misp-galaxy:threat-actor=%'
                        or lower(tag) like 'misp-galaxy:ransomware=%'
                    )
                ),
                '=',
                2
            ),
            '"'
        ) as actor_text
    from misp_events
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'ioc_list' as source_format,
        actor_name as actor_text
    from iocs
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'incident_report' as source_format,
        actor_name as actor_text
    from incidents
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'insurance_claim' as source_format,
        actor_name as actor_text
    from claims
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'leak_post' as source_format,
        group_name as actor_text
    from posts
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'operation_report' as source_format,
        unnest(target_actor_names) as actor_text
    from operations
),

keyed as (
    select
        *,
        {{ alias_key('actor_text') }} as actor_alias_key
    from mentions
    where {{ alias_key('actor_text') }} not in ('unknown', 'na', 'none', 'unattributed')
),

final as (
    select
        keyed.file_sha256,
        keyed.partner_id,
        keyed.record_locator,
        keyed.source_format,
        keyed.actor_text,
        keyed.actor_alias_key,
        actor_aliases.actor_key,
        actor_aliases.actor_name,
        case
            when actor_aliases.actor_key is not null then null
            when collisions.alias_key is not null then 'ambiguous_actor'
            else 'unknown_actor'
        end as rejection_code,
        case
            when actor_aliases.actor_key is not null then null
            when collisions.alias_key is not null
                then
                    'actor name ' || keyed.actor_text || ' names several actors ('
                    || collisions.actor_names || '): add a curated alias'
            else 'actor name ' || keyed.actor_text || ' is not in the actor alias seed'
        end as rejection_reason
    from keyed
    left join actor_aliases on keyed.actor_alias_key = actor_aliases.alias_key
    left join collisions on keyed.actor_alias_key = collisions.alias_key
)

select * from final
