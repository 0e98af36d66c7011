{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every IOC list row (CSV, XLSX or JSON lines) with its times read as the partner writes
    them (in the column's zone: UTC when its header says so, else the partner's; Excel serial
    days in workbooks), its
    confidence on the 0-100 scale (percentages, numbers on the partner's scale, words and
    admiralty codes through confidence_terms) and its TLP spelling resolved. What cannot be
    read is kept beside, for a field-level quarantine row; a value or type that is a JSON
    object or list is a record-level problem (value_not_scalar). -#}
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

confidence_terms as (
    select * from {{ ref('confidence_terms') }}
    where scheme in ('words', 'admiralty-code')
),

timed as (
    select
        iocs.*,
        partners.confidence_scale,
        ccw_utc_time(
            iocs.first_seen_text,
            case when iocs.first_seen_is_utc then 'UTC' else partners.timezone end,
            partners.date_order,
            serials := iocs.source_format = 'xlsx'
        ) as first_seen_time,
        ccw_utc_time(
            iocs.last_seen_text,
            case when iocs.last_seen_is_utc then 'UTC' else partners.timezone end,
            partners.date_order,
            serials := iocs.source_format = 'xlsx'
        ) as last_seen_time
    from iocs
    left join partners on iocs.partner_id = partners.partner_id
),

final as (
    select
        timed.file_sha256,
        timed.partner_id,
        timed.delivered_on,
        'ioc_list' as source_format,
        timed.record_locator,
        null::varchar as source_object_id,
        'type_word' as type_vocabulary,
        ccw_type_key(timed.ioc_type) as source_type,
        timed.ioc_value as original_value,
        timed.first_seen_time as first_seen_at,
        coalesce(timed.last_seen_time, timed.first_seen_time) as last_seen_at,
        case
            when
                nullif(trim(timed.first_seen_text), '') is not null
                and timed.first_seen_time is null
                then timed.first_seen_text
            when
                nullif(trim(timed.last_seen_text), '') is not null
                and timed.last_seen_time is null
                then timed.last_seen_text
        end as unreadable_time,
        coalesce(
            ccw_numeric_confidence(timed.confidence_text, timed.confidence_scale),
            confidence_terms.confidence
        ) as confidence,
        case
            when
                nullif(trim(timed.confidence_text), '') is not null
                and ccw_numeric_confidence(timed.confidence_text, timed.confidence_scale) is null
                and confidence_terms.confidence is null
                then timed.confidence_text
        end as unreadable_confidence,
        tlp_spellings.tlp as marked_tlp,
        case
            when nullif(trim(timed.tlp_text), '') is not null and tlp_spellings.tlp is null
                then timed.tlp_text
        end as unknown_marking,
        coalesce(timed.actor_name, timed.malware_name, timed.ioc_comment) as source_context,
        true as is_readable_pattern,
        case
            when
                timed.ioc_value_json_type in ('OBJECT', 'ARRAY')
                or timed.ioc_type_json_type in ('OBJECT', 'ARRAY')
                then 'value_not_scalar'
        end as record_problem
    from timed
    left join tlp_spellings on lower(trim(timed.tlp_text)) = tlp_spellings.spelling
    left join confidence_terms on lower(trim(timed.confidence_text)) = confidence_terms.term
)

select * from final
