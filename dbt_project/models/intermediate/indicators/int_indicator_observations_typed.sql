{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every indicator observation of every format (one row per source record x observable),
    mapped to a canonical type and value, with its TLP (the record's own marking, the
    partner's default when unmarked, TLP:RED when the marking cannot be read) and confidence.
    An observation whose identity cannot be read (no pattern, no known type, no valid value)
    carries a rejection code and reason: int_indicators_normalized keeps the others, the
    quarantine keeps these. An unreadable or implausible time (before 1990, or after the day
    after delivery), an unreadable confidence or marking only costs its field (null, or red
    for a marking) and a field-level quarantine row. -#}
with

stix_observables as (
    select * from {{ ref('int_stix_observables_extracted') }}
    where {{ only_new_files() }}
),

stix_markings as (
    select * from {{ ref('int_stix_markings_resolved') }}
),

misp_observables as (
    select * from {{ ref('int_misp_observables_extracted') }}
    where {{ only_new_files() }}
),

ioc_list_observables as (
    select * from {{ ref('int_ioc_list_observables_extracted') }}
    where {{ only_new_files() }}
),

indicator_types as (
    select * from {{ ref('int_indicator_types_keyed') }}
),

partners as (
    select * from {{ ref('partners') }}
),

stix_observations as (
    select
        stix_observables.file_sha256,
        stix_observables.partner_id,
        stix_observables.delivered_on,
        'stix21' as source_format,
        stix_observables.record_locator,
        stix_observables.stix_id as source_object_id,
        'stix21' as type_vocabulary,
        stix_observables.source_type,
        stix_observables.original_value,
        stix_observables.first_seen_at,
        stix_observables.last_seen_at,
        null::varchar as unreadable_time,
        ccw_numeric_confidence(stix_observables.confidence_text, '0-100') as confidence,
        case
            when
                stix_observables.confidence_text is not null
                and ccw_numeric_confidence(stix_observables.confidence_text, '0-100') is null
                then stix_observables.confidence_text
        end as unreadable_confidence,
        stix_markings.tlp as marked_tlp,
        stix_markings.unknown_marking,
        stix_observables.pattern as source_context,
        stix_observables.pattern_type = 'stix' as is_readable_pattern,
        stix_observables.pattern_type as pattern_language,
        case
            when stix_observables.pattern_error is not null then 'invalid_pattern'
        end as record_problem,
        stix_observables.pattern_error as record_problem_reason
    from stix_observables
    left join stix_markings
        on
            stix_observables.file_sha256 = stix_markings.file_sha256
            and stix_observables.record_locator = stix_markings.record_locator
),

misp_observations as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        source_format,
        record_locator,
        source_object_id,
        type_vocabulary,
        source_type,
        original_value,
        first_seen_at,
        last_seen_at,
        unreadable_time,
        confidence,
        null::varchar as unreadable_confidence,
        marked_tlp,
        unknown_marking,
        source_context,
        is_readable_pattern,
        null::varchar as pattern_language,
        record_problem,
        null::varchar as record_problem_reason
    from misp_observables
),

ioc_list_observations as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        source_format,
        record_locator,
        source_object_id,
        type_vocabulary,
        source_type,
        original_value,
        first_seen_at,
        last_seen_at,
        unreadable_time,
        confidence,
        unreadable_confidence,
        marked_tlp,
        unknown_marking,
        source_context,
        is_readable_pattern,
        null::varchar as pattern_language,
        record_problem,
        null::varchar as record_problem_reason
    from ioc_list_observables
),

unioned as (
    select * from stix_observations
    union all
    select * from misp_observations
    union all
    select * from ioc_list_observations
),

observations as (
    select
        * replace (
            case
                when not ccw_time_is_implausible(first_seen_at, delivered_on) then first_seen_at
            end as first_seen_at,
            case
                when not ccw_time_is_implausible(last_seen_at, delivered_on) then last_seen_at
            end as last_seen_at
        ),
        case
            when ccw_time_is_implausible(first_seen_at, delivered_on)
                then strftime(first_seen_at, '%Y-%m-%dT%H:%M:%SZ')
            when ccw_time_is_implausible(last_seen_at, delivered_on)
                then strftime(last_seen_at, '%Y-%m-%dT%H:%M:%SZ')
        end as implausible_time
    from unioned
),

components as (
    select
        observations.*,
        indicator_types.type_key is not null as is_known_type,
        indicator_types.indicator_type as mapped_type,
        case
            when coalesce(indicator_types.component, 0) = 0 then observations.original_value
            when indicator_types.part_separator = ':'
                then trim(
                    case indicator_types.component
                        when 1 then regexp_extract(observations.original_value, '^(.*):[^:]*$', 1)
                        else regexp_extract(observations.original_value, ':([^:]*)$', 1)
                    end,
                    '[] '
                )
            else split_part(observations.original_value, '|', indicator_types.component)
        end as observable_value,
        case
            when observations.unknown_marking is not null then 'red'
            else coalesce(observations.marked_tlp, partners.default_tlp)
        end as tlp
    from observations
    left join indicator_types
        on
            observations.type_vocabulary = indicator_types.vocabulary
            and observations.source_type = indicator_types.type_key
    left join partners on observations.partner_id = partners.partner_id
),

mapped as (
    select
        *,
        case
            when source_type is null or is_known_type
                then ccw_indicator_type(mapped_type, observable_value)
        end as indicator_type
    from components
),

typed as (
    select
        *,
        ccw_indicator_value(indicator_type, observable_value) as canonical_value,
        current_timestamp as normalized_at
    from mapped
),

{# One rule per reason: the first that holds gives the code and the words together. #}
rejected as (
    select
        *,
        case
            when not is_readable_pattern
                then [
                    'unsupported_pattern',
                    'pattern language ' || pattern_language || ' is not read'
                ]
            when record_problem = 'value_not_scalar'
                then [
                    record_problem,
                    'the value or type is a JSON object or list, not one value'
                ]
            when record_problem is not null
                then [record_problem, record_problem_reason]
            when type_vocabulary = 'stix21' and source_type is null
                then [
                    'unsupported_pattern',
                    'the pattern has no equality comparison to read an indicator from'
                ]
            when source_type is not null and not is_known_type
                then [
                    'unknown_type',
                    'type ' || source_type || ' has no canonical indicator type'
                ]
            when indicator_type is null
                then [
                    'unknown_type',
                    'no type given and none can be inferred from the value'
                ]
            when not ccw_indicator_is_valid(indicator_type, canonical_value)
                then ['invalid_value', 'value is not a valid ' || indicator_type]
        end as rejection
    from typed
),

final as (
    select
        * exclude (rejection),
        rejection[1] as rejection_code,
        rejection[2] as rejection_reason
    from rejected
)

select * from final
