{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every MISP attribute that may be an indicator, with what its event says about it: TLP (the
    most restrictive of the event's and the attribute's tlp tags), confidence (estimative-
    language and admiralty-scale information-credibility tags, the attribute's own before the
    event's), and its times. Deleted attributes (or attributes of deleted objects) are
    withdrawn and context types (text, link, comment, ...) are context: neither is here. -#}
with

context_types as (
    select * from {{ ref('context_types') }}
    where source_format = 'misp'
),

attributes as not materialized (
    select * from {{ ref('stg_misp__attributes') }}
    where
        parse_error is null
        and is_deleted is not true
        and is_object_deleted is not true
        and lower(trim(attribute_type)) not in (select context_types.source_type from context_types)
        and {{ only_new_files() }}
),

events as (
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

confidence_terms as (
    select * from {{ ref('confidence_terms') }}
),

attribute_tags as (
    select
        attributes.file_sha256,
        attributes.record_locator,
        'attribute' as tag_level,
        unnest(attributes.attribute_tags) as tag_name
    from attributes
    union all
    select
        attributes.file_sha256,
        attributes.record_locator,
        'event' as tag_level,
        unnest(events.event_tags) as tag_name
    from attributes
    inner join events
        on
            attributes.file_sha256 = events.file_sha256
            and attributes.event_locator = events.record_locator
),

tlp_tags as (
    select
        attribute_tags.file_sha256,
        attribute_tags.record_locator,
        attribute_tags.tag_name,
        tlp_levels.tlp,
        tlp_levels.restriction_rank
    from attribute_tags
    left join tlp_spellings on lower(trim(attribute_tags.tag_name)) = tlp_spellings.spelling
    left join tlp_levels on tlp_spellings.tlp = tlp_levels.tlp
    where lower(attribute_tags.tag_name) like 'tlp:%'
),

tlp_per_attribute as (
    select
        file_sha256,
        record_locator,
        arg_max(tlp, restriction_rank) filter (where tlp is not null) as marked_tlp,
        string_agg(tag_name, ', ') filter (where tlp is null) as unknown_marking
    from tlp_tags
    group by file_sha256, record_locator
),

confidence_per_attribute as (
    select
        attribute_tags.file_sha256,
        attribute_tags.record_locator,
        coalesce(
            max(confidence_terms.confidence) filter (where attribute_tags.tag_level = 'attribute'),
            max(confidence_terms.confidence) filter (where attribute_tags.tag_level = 'event')
        ) as confidence
    from attribute_tags
    inner join confidence_terms
        on
            lower(split_part(attribute_tags.tag_name, '=', 1)) = confidence_terms.scheme
            and lower(trim(split_part(attribute_tags.tag_name, '=', 2), '"'))
            = confidence_terms.term
    group by attribute_tags.file_sha256, attribute_tags.record_locator
),

{# each of an attribute's times read once: its first and last seen, else its timestamp, else
    its event's date; and whether one was delivered but cannot be read #}
read_times as (
    select
        attributes.*,
        events.event_info,
        timezone(partners.timezone, events.event_date::timestamp) as event_day_start,
        ccw_utc_time(attributes.first_seen_text, partners.timezone, partners.date_order)
            as first_seen_read,
        ccw_utc_time(attributes.last_seen_text, partners.timezone, partners.date_order)
            as last_seen_read,
        ccw_utc_time(attributes.attribute_timestamp_text, partners.timezone, partners.date_order)
            as timestamp_read,
        confidence_per_attribute.confidence,
        tlp_per_attribute.marked_tlp,
        tlp_per_attribute.unknown_marking
    from attributes
    left join events
        on
            attributes.file_sha256 = events.file_sha256
            and attributes.event_locator = events.record_locator
    left join partners on attributes.partner_id = partners.partner_id
    left join tlp_per_attribute
        on
            attributes.file_sha256 = tlp_per_attribute.file_sha256
            and attributes.record_locator = tlp_per_attribute.record_locator
    left join confidence_per_attribute
        on
            attributes.file_sha256 = confidence_per_attribute.file_sha256
            and attributes.record_locator = confidence_per_attribute.record_locator
),

final as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        'misp' as source_format,
        record_locator,
        attribute_uuid as source_object_id,
        'misp' as type_vocabulary,
        lower(trim(attribute_type)) as source_type,
        attribute_value as original_value,
        coalesce(first_seen_read, timestamp_read, event_day_start) as first_seen_at,
        coalesce(last_seen_read, timestamp_read, event_day_start) as last_seen_at,
        case
            when ccw_delivered_but_unread(first_seen_text, first_seen_read) then first_seen_text
            when ccw_delivered_but_unread(last_seen_text, last_seen_read) then last_seen_text
            when ccw_delivered_but_unread(attribute_timestamp_text, timestamp_read)
                then attribute_timestamp_text
        end as unreadable_time,
        confidence,
        marked_tlp,
        unknown_marking,
        event_info as source_context,
        true as is_readable_pattern,
        case
            when attribute_value_json_type in ('OBJECT', 'ARRAY')
                then 'value_not_scalar'
        end as record_problem
    from read_times
)

select * from final
