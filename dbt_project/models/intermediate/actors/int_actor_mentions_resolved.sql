{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every mention of a threat actor in any delivery (STIX intrusion sets and threat actors with
    their aliases, MISP galaxy tags, IOC list and incident actor columns, insurance claims,
    leak-site group names, operation targets), resolved through the alias seed to one canonical
    actor. A STIX object is one actor: its name's, else the one actor its aliases agree on.
    A name the seed does not know, or that the galaxies give to several actors (a collision,
    never resolved at random), becomes an actor of its own: key `unresolved-<alias key>`,
    resolution `unknown` or `ambiguous`, listed for curation (mart_unresolved_actors).
    A mention depends on its own record and the seeds alone, so a night appends the files it
    brings; the name every mention of an actor shares is int_actor_names's. -#}
with

stix_objects as (
    select * from {{ ref('stg_stix__objects') }}
    where
        stix_type in ('intrusion-set', 'threat-actor')
        and parse_error is null
        and is_revoked is not true
        and {{ only_new_files() }}
),

misp_events as (
    select * from {{ ref('stg_misp__events') }}
    where {{ only_new_files() }}
),

iocs as (
    select * from {{ ref('stg_ioc_lists__iocs') }}
    where parse_error is null and {{ only_new_files() }}
),

incidents as (
    select * from {{ ref('stg_incident_reports__incidents') }}
    where parse_error is null and {{ only_new_files() }}
),

claims as (
    select * from {{ ref('stg_insurance_claims__claims') }}
    where parse_error is null and {{ only_new_files() }}
),

posts as (
    select * from {{ ref('stg_leak_sites__posts') }}
    where parse_error is null and {{ only_new_files() }}
),

operations as (
    select * from {{ ref('stg_operations__operations') }}
    where parse_error is null and {{ only_new_files() }}
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
        object_name as actor_text,
        true as is_own_name
    from stix_objects
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'stix21' as source_format,
        unnest(aliases) as actor_text,
        false as is_own_name
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
        ) as actor_text,
        true as is_own_name
    from misp_events
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'ioc_list' as source_format,
        actor_name as actor_text,
        true as is_own_name
    from iocs
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'incident_report' as source_format,
        actor_name as actor_text,
        true as is_own_name
    from incidents
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'insurance_claim' as source_format,
        actor_name as actor_text,
        true as is_own_name
    from claims
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'leak_post' as source_format,
        group_name as actor_text,
        true as is_own_name
    from posts
    union all
    select
        file_sha256,
        partner_id,
        record_locator,
        'operation_report' as source_format,
        unnest(target_actor_names) as actor_text,
        true as is_own_name
    from operations
),

keyed as (
    select
        *,
        {{ alias_key('actor_text') }} as actor_alias_key
    from mentions
    where {{ alias_key('actor_text') }} not in ('unknown', 'na', 'none', 'unattributed')
),

looked_up as (
    select
        keyed.*,
        actor_aliases.actor_key as seed_actor_key,
        actor_aliases.actor_name as seed_actor_name,
        collisions.actor_names as candidate_actor_names
    from keyed
    left join actor_aliases on keyed.actor_alias_key = actor_aliases.alias_key
    left join collisions on keyed.actor_alias_key = collisions.alias_key
),

stix_actors as (
    select
        file_sha256,
        record_locator,
        coalesce(
            max(seed_actor_key) filter (where is_own_name),
            case
                when count(distinct seed_actor_key) filter (where not is_own_name) = 1
                    then max(seed_actor_key) filter (where not is_own_name)
            end
        ) as seed_actor_key,
        coalesce(
            max(actor_alias_key) filter (where is_own_name), min(actor_alias_key)
        ) as actor_alias_key,
        coalesce(max(actor_text) filter (where is_own_name), min(actor_text)) as actor_text,
        max(candidate_actor_names) filter (where is_own_name) as candidate_actor_names
    from looked_up
    where source_format = 'stix21'
    group by file_sha256, record_locator
),

resolved as (
    select
        looked_up.file_sha256,
        looked_up.partner_id,
        looked_up.record_locator,
        looked_up.source_format,
        looked_up.actor_text,
        looked_up.actor_alias_key,
        coalesce(stix_actors.seed_actor_key, looked_up.seed_actor_key) as seed_actor_key,
        coalesce(stix_actors.actor_alias_key, looked_up.actor_alias_key) as own_alias_key,
        coalesce(stix_actors.actor_text, looked_up.actor_text) as own_text,
        case
            when looked_up.source_format = 'stix21' then stix_actors.candidate_actor_names
            else looked_up.candidate_actor_names
        end as candidate_actor_names
    from looked_up
    left join stix_actors
        on
            looked_up.source_format = 'stix21'
            and looked_up.file_sha256 = stix_actors.file_sha256
            and looked_up.record_locator = stix_actors.record_locator
),

final as (
    select
        resolved.file_sha256,
        resolved.partner_id,
        resolved.record_locator,
        resolved.source_format,
        resolved.actor_text,
        resolved.actor_alias_key,
        coalesce(resolved.seed_actor_key, 'unresolved-' || resolved.own_alias_key) as actor_key,
        resolved.own_text as actor_own_name,
        case
            when resolved.seed_actor_key is not null then 'seed'
            when resolved.candidate_actor_names is not null then 'ambiguous'
            else 'unknown'
        end as resolution,
        case when resolved.seed_actor_key is null then resolved.candidate_actor_names end
            as candidate_actor_names
    from resolved
)

select * from final
