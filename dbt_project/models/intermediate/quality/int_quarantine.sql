{{ per_record_incremental() }}
{#- Every record or value that could not be normalized, with the file, partner and place it
    came from and the reason. field_name is null when the whole record is out (its outcome in
    int_record_outcomes is `quarantined`, with that reason); otherwise only that field (or one
    observable of a record with several) was dropped or read fail-closed, and the record
    itself went on. A night recomputes the records it changes: those of its files and those its
    files supersede. -#}
-- depends_on: {{ ref('int_records_superseded') }}
with

outcomes as not materialized (
    select * from {{ ref('int_record_outcomes') }}
),

indicator_observations as (
    select * from {{ ref('int_indicator_observations_typed') }}
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

misp_events as (
    select * from {{ ref('stg_misp__events') }}
    where parse_error is null
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

quarantined_records as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        null::varchar as field_name,
        reason_code,
        reason,
        raw_value
    from outcomes
    where outcome = 'quarantined'
),

rejected_observables as (
    select
        indicator_observations.file_sha256,
        indicator_observations.partner_id,
        indicator_observations.source_format,
        indicator_observations.record_locator,
        'value' as field_name,
        indicator_observations.rejection_code as reason_code,
        indicator_observations.rejection_reason as reason,
        coalesce(
            indicator_observations.original_value, indicator_observations.source_context
        ) as raw_value
    from indicator_observations
    inner join outcomes
        on
            indicator_observations.file_sha256 = outcomes.file_sha256
            and indicator_observations.record_locator = outcomes.record_locator
    where indicator_observations.rejection_code is not null and outcomes.outcome = 'accepted'
),

indicator_fields as (
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
    union all
    select distinct
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        'time' as field_name,
        'invalid_time' as reason_code,
        'time ' || unreadable_time || ' is not a readable date and time' as reason,
        unreadable_time as raw_value
    from indicator_observations
    where unreadable_time is not null and rejection_code is null
    union all
    select distinct
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        'time' as field_name,
        'implausible_time' as reason_code,
        'time ' || implausible_time || ' is before 1990 or after the day after delivery'
            as reason,
        implausible_time as raw_value
    from indicator_observations
    where implausible_time is not null and unreadable_time is null and rejection_code is null
    union all
    select distinct
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        'tlp' as field_name,
        'unknown_marking' as reason_code,
        'marking ' || unknown_marking || ' is not a TLP level: read as TLP:RED' as reason,
        unknown_marking as raw_value
    from indicator_observations
    where unknown_marking is not null and rejection_code is null
),

incident_values as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        field_name,
        case
            when field_name = 'tlp' then 'unknown_marking'
            when field_name = 'time' and raw_value is null then 'missing_time'
            else 'invalid_' || field_name
        end as reason_code,
        case
            when field_name = 'tlp'
                then 'marking ' || raw_value || ' is not a TLP level: read as TLP:RED'
            when field_name = 'time' and raw_value is null then 'the record carries no date'
            else field_name || ' cannot be normalized: ' || raw_value
        end as reason,
        raw_value
    from (
        select
            file_sha256,
            partner_id,
            source_format,
            record_locator,
            split_part(problem, ':', 1) as field_name,
            nullif(trim(substr(problem, strpos(problem, ':') + 1)), '(none)') as raw_value
        from (
            select
                file_sha256,
                partner_id,
                source_format,
                record_locator,
                unnest(value_problems) as problem
            from incidents
        )
    )
),

sighting_values as (
    select
        file_sha256,
        partner_id,
        'sighting' as source_format,
        record_locator,
        split_part(problem, ':', 1) as field_name,
        case split_part(problem, ':', 1)
            when 'first_seen' then 'invalid_time'
            when 'last_seen' then 'invalid_time'
            when 'tlp' then 'unknown_marking'
            else 'invalid_' || split_part(problem, ':', 1)
        end as reason_code,
        case
            when split_part(problem, ':', 1) = 'tlp'
                then
                    'marking ' || trim(substr(problem, strpos(problem, ':') + 1))
                    || ' is not a TLP level: read as TLP:RED'
            else
                split_part(problem, ':', 1) || ' cannot be normalized: '
                || trim(substr(problem, strpos(problem, ':') + 1))
        end as reason,
        trim(substr(problem, strpos(problem, ':') + 1)) as raw_value
    from (
        select
            file_sha256,
            partner_id,
            record_locator,
            unnest(value_problems) as problem
        from sightings
        where rejection_code is null
    )
),

operation_markings as (
    select
        operations.file_sha256,
        operations.partner_id,
        'operation_report' as source_format,
        operations.record_locator,
        'tlp' as field_name,
        'unknown_marking' as reason_code,
        'marking ' || operations.tlp_text || ' is not a TLP level: read as TLP:RED' as reason,
        operations.tlp_text as raw_value
    from operations
    left join tlp_spellings on lower(trim(operations.tlp_text)) = tlp_spellings.spelling
    where
        operations.operation_name is not null
        and nullif(trim(operations.tlp_text), '') is not null
        and tlp_spellings.tlp is null
),

implausible_times as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        'time' as field_name,
        'implausible_time' as reason_code,
        'time ' || implausible_time_text || ' is before 1990 or after the day after delivery'
            as reason,
        implausible_time_text as raw_value
    from incidents
    where implausible_time_text is not null
    union all
    select
        file_sha256,
        partner_id,
        'sighting' as source_format,
        record_locator,
        split_part(problem, ':', 1) as field_name,
        'implausible_time' as reason_code,
        split_part(problem, ':', 1) || ' '
        || trim(substr(problem, strpos(problem, ':') + 1))
        || ' is before 1990 or after the day after delivery' as reason,
        trim(substr(problem, strpos(problem, ':') + 1)) as raw_value
    from (
        select
            file_sha256,
            partner_id,
            record_locator,
            unnest(implausible_times) as problem
        from sightings
        where rejection_code is null
    )
),

event_dates as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        field_name,
        case
            when try_cast(date_text as date) is null then 'invalid_time' else 'implausible_time'
        end as reason_code,
        case
            when try_cast(date_text as date) is null
                then field_name || ' ' || date_text || ' is not a readable date'
            else field_name || ' ' || date_text || ' is before 1990 or after the day after delivery'
        end as reason,
        date_text as raw_value
    from (
        select
            file_sha256,
            partner_id,
            'operation_report' as source_format,
            record_locator,
            'announced_on' as field_name,
            announced_on_text as date_text,
            announced_on as date_value
        from operations
        where operation_name is not null
        union all
        select
            file_sha256,
            partner_id,
            'misp' as source_format,
            record_locator,
            'date' as field_name,
            event_date_text as date_text,
            event_date as date_value
        from misp_events
    )
    where nullif(trim(date_text), '') is not null and date_value is null
),

final as (
    select * from quarantined_records
    union all
    select * from rejected_observables
    union all
    select * from indicator_fields
    union all
    select * from incident_values
    union all
    select * from sighting_values
    union all
    select * from operation_markings
    union all
    select * from event_dates
    union all
    select * from implausible_times
)

select * from final
{{ records_changed_tonight('final') }}
