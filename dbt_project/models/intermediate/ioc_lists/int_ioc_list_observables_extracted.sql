{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every IOC list row with its times read in the partner's time zone, its confidence on the
    0-100 scale (numbers in the partner's scale, words through confidence_terms) and its TLP
    spelling resolved. What cannot be read is kept beside, for the quarantine. -#}
with

iocs as (
    select * from {{ ref('stg_ioc_lists__iocs') }}
    where parse_error is null and {{ only_new_files() }}
),

partners as (
    select * from {{ ref('partners') }}
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

confidence_words as (
    select * from {{ ref('confidence_terms') }}
    where scheme = 'words'
),

final as (
    select
        iocs.file_sha256,
        iocs.partner_id,
        iocs.delivered_on,
        'ioc_list' as source_format,
        iocs.record_locator,
        null::varchar as source_object_id,
        'type_word' as type_vocabulary,
        nullif(lower(trim(iocs.ioc_type)), '') as source_type,
        iocs.ioc_value as original_value,
        {{ to_utc_timestamp('iocs.first_seen_text', 'partners.timezone') }} as first_seen_at,
        coalesce(
            {{ to_utc_timestamp('iocs.last_seen_text', 'partners.timezone') }},
            {{ to_utc_timestamp('iocs.first_seen_text', 'partners.timezone') }}
        ) as last_seen_at,
        case
            when {{ timestamp_is_unreadable('iocs.first_seen_text', 'partners.timezone') }}
                then iocs.first_seen_text
            when {{ timestamp_is_unreadable('iocs.last_seen_text', 'partners.timezone') }}
                then iocs.last_seen_text
        end as unreadable_time,
        coalesce(
            {{ numeric_confidence('iocs.confidence_text', 'partners.confidence_scale') }},
            confidence_words.confidence
        ) as confidence,
        case
            when
                nullif(trim(iocs.confidence_text), '') is not null
                and {{ numeric_confidence('iocs.confidence_text', 'partners.confidence_scale') }}
                is null
                and confidence_words.confidence is null
                then iocs.confidence_text
        end as unreadable_confidence,
        tlp_spellings.tlp as marked_tlp,
        case
            when nullif(trim(iocs.tlp_text), '') is not null and tlp_spellings.tlp is null
                then iocs.tlp_text
        end as unknown_marking,
        coalesce(iocs.actor_name, iocs.malware_name, iocs.ioc_comment) as source_context,
        true as is_readable_pattern
    from iocs
    left join partners on iocs.partner_id = partners.partner_id
    left join tlp_spellings on lower(trim(iocs.tlp_text)) = tlp_spellings.spelling
    left join confidence_words on lower(trim(iocs.confidence_text)) = confidence_words.term
)

select * from final
