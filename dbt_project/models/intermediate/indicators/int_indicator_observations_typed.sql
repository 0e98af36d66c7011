{#- Every indicator observation of every format (one row per source record x observable), mapped
    to a canonical type and value, with its TLP and confidence. Rows that cannot be normalized
    carry a rejection code and reason: int_indicators_normalized keeps the others, quarantine
    keeps these. -#}
with

stix_observables as (
    select * from {{ ref('int_stix_observables_extracted') }}
),

stix_markings as (
    select * from {{ ref('int_stix_markings_resolved') }}
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
        stix_observables.source_type,
        stix_observables.original_value,
        stix_observables.first_seen_at,
        stix_observables.last_seen_at,
        stix_observables.confidence_text,
        stix_markings.tlp as marked_tlp,
        stix_observables.pattern as source_context,
        stix_observables.pattern_type = 'stix' as is_readable_pattern,
        stix_observables.pattern_type as pattern_language
    from stix_observables
    left join stix_markings
        on
            stix_observables.file_sha256 = stix_markings.file_sha256
            and stix_observables.record_locator = stix_markings.record_locator
),

observations as (
    select * from stix_observations
),

typed as (
    select
        observations.*,
        indicator_types.indicator_type,
        {{ canonical_indicator_value(
            'indicator_types.indicator_type', 'observations.original_value'
        ) }} as canonical_value,
        coalesce(observations.marked_tlp, partners.default_tlp) as tlp,
        case
            when try_cast(observations.confidence_text as integer) between 0 and 100
                then try_cast(observations.confidence_text as integer)
        end as confidence
    from observations
    left join indicator_types
        on
            observations.source_format = indicator_types.source_format
            and observations.source_type = indicator_types.source_type
    left join partners on observations.partner_id = partners.partner_id
),

final as (
    select
        *,
        case
            when not is_readable_pattern then 'unsupported_pattern'
            when source_type is null then 'invalid_pattern'
            when indicator_type is null then 'unknown_type'
            when not {{ indicator_value_is_valid('indicator_type', 'canonical_value') }}
                then 'invalid_value'
        end as rejection_code,
        case
            when not is_readable_pattern
                then 'pattern language ' || pattern_language || ' is not read'
            when source_type is null
                then 'no observable comparison could be read from the pattern'
            when indicator_type is null
                then 'observable type ' || source_type || ' has no canonical indicator type'
            when not {{ indicator_value_is_valid('indicator_type', 'canonical_value') }}
                then 'value is not a valid ' || indicator_type
        end as rejection_reason
    from typed
)

select * from final
