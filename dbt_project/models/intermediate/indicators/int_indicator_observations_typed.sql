{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every indicator observation of every format (one row per source record x observable),
    mapped to a canonical type and value, with its TLP (the record's own marking or the
    partner's default) and confidence. Observations that cannot be normalized carry a
    rejection code and reason: int_indicators_normalized keeps the others, the quarantine
    keeps these. -#}
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
    select * from {{ ref('indicator_types') }}
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
        {{ numeric_confidence('stix_observables.confidence_text', "'0-100'") }} as confidence,
        case
            when
                stix_observables.confidence_text is not null
                and {{ numeric_confidence('stix_observables.confidence_text', "'0-100'") }}
                is null
                then stix_observables.confidence_text
        end as unreadable_confidence,
        stix_markings.tlp as marked_tlp,
        null::varchar as unknown_marking,
        stix_observables.pattern as source_context,
        stix_observables.pattern_type = 'stix' as is_readable_pattern,
        stix_observables.pattern_type as pattern_language
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
        null::varchar as pattern_language
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
        null::varchar as pattern_language
    from ioc_list_observables
),

observations as (
    select * from stix_observations
    union all
    select * from misp_observations
    union all
    select * from ioc_list_observations
),

mapped as (
    select
        observations.*,
        indicator_types.source_type is not null as is_known_type,
        case
            when observations.source_type is null or indicator_types.source_type is not null
                then {{ resolve_indicator_type(
                    'indicator_types.indicator_type',
                    "case when coalesce(indicator_types.component, 0) = 0 "
                    ~ "then observations.original_value "
                    ~ "else split_part(observations.original_value, '|', indicator_types.component) end"
                ) }}
        end as indicator_type,
        case
            when coalesce(indicator_types.component, 0) = 0 then observations.original_value
            else split_part(observations.original_value, '|', indicator_types.component)
        end as observable_value,
        coalesce(observations.marked_tlp, partners.default_tlp) as tlp
    from observations
    left join indicator_types
        on
            observations.type_vocabulary = indicator_types.source_format
            and observations.source_type = indicator_types.source_type
    left join partners on observations.partner_id = partners.partner_id
),

typed as (
    select
        *,
        {{ canonical_indicator_value('indicator_type', 'observable_value') }} as canonical_value,
        current_timestamp as normalized_at
    from mapped
),

final as (
    select
        *,
        case
            when not is_readable_pattern then 'unsupported_pattern'
            when type_vocabulary = 'stix21' and source_type is null then 'invalid_pattern'
            when source_type is not null and not is_known_type then 'unknown_type'
            when indicator_type is null then 'unknown_type'
            when unknown_marking is not null then 'unknown_marking'
            when unreadable_time is not null then 'invalid_timestamp'
            when not {{ indicator_value_is_valid('indicator_type', 'canonical_value') }}
                then 'invalid_value'
        end as rejection_code,
        case
            when not is_readable_pattern
                then 'pattern language ' || pattern_language || ' is not read'
            when type_vocabulary = 'stix21' and source_type is null
                then 'no observable comparison could be read from the pattern'
            when source_type is not null and not is_known_type
                then 'type ' || source_type || ' has no canonical indicator type'
            when indicator_type is null
                then 'no type given and none can be inferred from the value'
            when unknown_marking is not null
                then 'marking ' || unknown_marking || ' is not a TLP level'
            when unreadable_time is not null
                then 'time ' || unreadable_time || ' is not a readable date and time'
            when not {{ indicator_value_is_valid('indicator_type', 'canonical_value') }}
                then 'value is not a valid ' || indicator_type
        end as rejection_reason
    from typed
)

select * from final
