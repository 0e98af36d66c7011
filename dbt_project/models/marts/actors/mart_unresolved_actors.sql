{#- Actor names awaiting curation, one row per unresolved actor. A mention counts only when
    the evidence it belongs to has a TLP other than RED (int_actor_activity_unioned); a
    mention whose TLP is not known there is left out (fail closed). -#}
with

mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
    where resolution <> 'seed'
),

actor_names as (
    select * from {{ ref('int_actor_names') }}
),

{# the evidence of unresolved actors alone: the TLP of a record is worked out only where a
    mention of one of them may need it #}
activity as (
    select * from {{ ref('int_actor_activity_unioned') }}
    where
        {{ readable_by('members', 'tlp') }}
        and file_sha256 is not null
        and actor_key in (select mentions.actor_key from mentions)
),

drop_files as (
    select * from {{ ref('stg_raw__drop_files') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

record_tlp as (
    select
        activity.actor_key,
        activity.file_sha256,
        activity.record_locator,
        arg_max(activity.tlp, tlp_levels.restriction_rank) as tlp,
        max(tlp_levels.restriction_rank) as restriction_rank
    from activity
    inner join tlp_levels on activity.tlp = tlp_levels.tlp
    group by activity.actor_key, activity.file_sha256, activity.record_locator
),

shareable as (
    select
        mentions.*,
        record_tlp.tlp,
        record_tlp.restriction_rank,
        drop_files.delivered_on,
        actor_names.actor_name
    from mentions
    inner join record_tlp
        on
            mentions.actor_key = record_tlp.actor_key
            and mentions.file_sha256 = record_tlp.file_sha256
            and mentions.record_locator = record_tlp.record_locator
    left join drop_files on mentions.file_sha256 = drop_files.file_sha256
    left join actor_names on mentions.actor_key = actor_names.actor_key
),

final as (
    select
        actor_key::varchar as actor_key,
        min(actor_name)::varchar as actor_name,
        max(resolution)::varchar as resolution,
        max(candidate_actor_names)::varchar as candidate_actor_names,
        list_sort(list_distinct(list(actor_text)))::varchar [] as spellings,
        list_sort(list_distinct(list(source_format)))::varchar [] as source_formats,
        list_sort(list_distinct(list(partner_id)))::varchar [] as partner_ids,
        count(distinct file_sha256 || '|' || record_locator)::integer as record_count,
        min(delivered_on)::date as first_delivered_on,
        max(delivered_on)::date as last_delivered_on,
        arg_max(tlp, restriction_rank)::varchar as tlp
    from shareable
    group by actor_key
)

select
    actor_key,
    actor_name,
    resolution,
    candidate_actor_names,
    spellings,
    source_formats,
    partner_ids,
    record_count,
    first_delivered_on,
    last_delivered_on,
    tlp
from final
