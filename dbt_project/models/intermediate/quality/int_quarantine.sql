{#- Every record or value that could not be normalized, with the file, partner and place it
    came from and the reason. field_name is null when the whole record (or observable) is out;
    otherwise only that field was dropped and the record itself is in the canonical model. -#}
with

landed as (
    select * from {{ ref('stg_raw__landed_records') }}
),

indicator_observations as (
    select * from {{ ref('int_indicator_observations_typed') }}
),

actor_mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
),

incidents as (
    select * from {{ ref('int_incidents_normalized') }}
),

sightings as (
    select * from {{ ref('int_sightings_normalized') }}
),

operations as (
    select * from {{ ref('stg_operations__operations') }}
    where parse_error is null
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

damaged_records as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        null::varchar as field_name,
        'damaged_record' as reason_code,
        parse_error as reason,
        case
            when record_type in ('incident', 'claim', 'leak_post')
                then '(withheld: the record may name a victim; see raw.landed_records)'
            else coalesce(original_text, record_text)
        end as raw_value
    from landed
    where parse_error is not null
),

rejected_indicators as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        null::varchar as field_name,
        rejection_code as reason_code,
        rejection_reason as reason,
        coalesce(original_value, source_context) as raw_value
    from indicator_observations
    where rejection_code is not null
),

unreadable_confidences as (
    select distinct
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        'confidence' as field_name,
        'invalid_confidence' as reason_code,
        'confidence ' || unreadable_confidence || ' is not on the partner''s scale' as reason,
        unreadable_confidence as raw_value
    from indicator_observations
    where unreadable_confidence is not null and rejection_code is null
),

unresolved_actors as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        'actor' as field_name,
        rejection_code as reason_code,
        rejection_reason as reason,
        actor_text as raw_value
    from actor_mentions
    where rejection_code is not null
),

incident_values as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        split_part(problem, ':', 1) as field_name,
        'invalid_' || split_part(problem, ':', 1) as reason_code,
        split_part(problem, ':', 1) || ' cannot be normalized: '
        || trim(split_part(problem, ':', 2)) as reason,
        trim(substr(problem, strpos(problem, ':') + 1)) as raw_value
    from (
        select
            file_sha256,
            partner_id,
            source_format,
            record_locator,
            unnest(value_problems) as problem
        from incidents
    )
),

rejected_sightings as (
    select
        file_sha256,
        partner_id,
        'sighting' as source_format,
        record_locator,
        null::varchar as field_name,
        rejection_code as reason_code,
        case rejection_code
            when 'unknown_type' then 'the type word has no canonical indicator type'
            when
                'invalid_value'
                then 'value is not a valid ' || coalesce(indicator_type, 'indicator')
            when 'invalid_timestamp' then 'a time is not a readable date and time'
            else 'count is not a non-negative number'
        end as reason,
        raw_value
    from sightings
    where rejection_code is not null
),

rejected_operations as (
    select
        operations.file_sha256,
        operations.partner_id,
        'operation_report' as source_format,
        operations.record_locator,
        null::varchar as field_name,
        case when operations.operation_name is null then 'missing_name' else 'unknown_marking' end
            as reason_code,
        case
            when operations.operation_name is null then 'operation has no name'
            else 'marking ' || operations.tlp_text || ' is not a TLP level'
        end as reason,
        operations.operation_text as raw_value
    from operations
    left join tlp_spellings on lower(trim(operations.tlp_text)) = tlp_spellings.spelling
    where
        operations.operation_name is null
        or (nullif(trim(operations.tlp_text), '') is not null and tlp_spellings.tlp is null)
),

final as (
    select * from damaged_records
    union all
    select * from rejected_indicators
    union all
    select * from unreadable_confidences
    union all
    select * from unresolved_actors
    union all
    select * from incident_values
    union all
    select * from rejected_sightings
    union all
    select * from rejected_operations
)

select * from final
