{#- STIX intrusion sets and threat actors by STIX id, with the canonical actor their name (or
    an alias) resolves to: the endpoints of attributed-to and indicates relationships. An
    object without an id can be no endpoint (its actor is still mentioned). -#}
with

objects as (
    select * from {{ ref('stg_stix__objects') }}
    where
        stix_type in ('intrusion-set', 'threat-actor')
        and parse_error is null
        and is_revoked is not true
        and nullif(trim(stix_id), '') is not null
),

actor_mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
    where source_format = 'stix21' and actor_key is not null
),

final as (
    select
        objects.stix_id,
        min(actor_mentions.actor_key) as actor_key
    from objects
    inner join actor_mentions
        on
            objects.file_sha256 = actor_mentions.file_sha256
            and objects.record_locator = actor_mentions.record_locator
    group by objects.stix_id
)

select * from final
