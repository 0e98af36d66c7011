{{ config(materialized='incremental', incremental_strategy='append') }}
{#- What the rules say of every landed record, one verdict each, read once per delivered file
    (landing is immutable, and a verdict does not depend on later files, except through
    supersession, which int_record_outcomes applies on top):
    - `accepted`: it feeds the canonical model (an indicator observation, an actor, campaign,
      incident, operation or sighting);
    - `context`: real, but none of those (STIX attack patterns, identities, reports,
      relationships, ...; MISP events that name no actor, objects, and context attributes such
      as text, link or comment);
    - `withdrawn`: deleted (MISP) or revoked (STIX) at the source: kept, never published;
    - `quarantined`: with the record-level reason (reason_code, reason) of the rule that could
      not read it.
    Each rule below gives its verdict on the records it reads; a record no rule reads is
    quarantined as `unhandled_record` naming its format and kind, so a new shape cannot fall
    through. When rules disagree the verdict is the first of withdrawn, accepted, context,
    quarantined. Whether a later version supersedes the record is not a verdict of its own
    file: int_record_outcomes adds it every night. -#}
with

landed as not materialized (
    select * from {{ ref('stg_raw__landed_records') }}
    where {{ only_new_files() }}
),

stix_objects as (
    select * from {{ ref('stg_stix__objects') }}
    where parse_error is null and {{ only_new_files() }}
),

misp_attributes as (
    select * from {{ ref('stg_misp__attributes') }}
    where parse_error is null and {{ only_new_files() }}
),

misp_context_types as (
    select * from {{ ref('context_types') }}
    where source_format = 'misp'
),

observations as (
    select * from {{ ref('int_indicator_observations_typed') }}
    where {{ only_new_files() }}
),

actor_mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
    where {{ only_new_files() }}
),

incidents as (
    select * from {{ ref('int_incident_records_read') }}
    where {{ only_new_files() }}
),

sightings as (
    select * from {{ ref('int_sightings_normalized') }}
    where {{ only_new_files() }}
),

operations as (
    select * from {{ ref('int_operations_normalized') }}
),

operation_reports as (
    select * from {{ ref('stg_operations__operations') }}
    where parse_error is null and {{ only_new_files() }}
),

campaigns as (
    select * from {{ ref('int_campaigns_resolved') }}
    where {{ only_new_files() }}
),

damaged as (
    select
        file_sha256,
        record_locator,
        'quarantined' as outcome,
        'damaged_record' as reason_code,
        parse_error as reason,
        null::varchar as raw_value
    from landed
    where parse_error is not null
),

stix_verdicts as (
    select
        file_sha256,
        record_locator,
        case
            when is_revoked then 'withdrawn'
            when stix_type in ('indicator', 'intrusion-set', 'threat-actor', 'campaign')
                then 'quarantined'
            else 'context'
        end as outcome,
        case when stix_type in ('intrusion-set', 'threat-actor', 'campaign') then 'missing_name' end
            as reason_code,
        case
            when stix_type in ('intrusion-set', 'threat-actor')
                then stix_type || ' has neither a name nor an alias'
            when stix_type = 'campaign' then 'campaign has no name of letters or digits'
        end as reason,
        null::varchar as raw_value
    from stix_objects
    where
        is_revoked
        or stix_type <> 'indicator'
),

misp_attribute_verdicts as (
    select
        misp_attributes.file_sha256,
        misp_attributes.record_locator,
        case
            when misp_attributes.is_deleted or misp_attributes.is_object_deleted
                then 'withdrawn'
            else 'context'
        end as outcome,
        null::varchar as reason_code,
        null::varchar as reason,
        null::varchar as raw_value
    from misp_attributes
    where
        misp_attributes.is_deleted
        or misp_attributes.is_object_deleted
        or lower(trim(misp_attributes.attribute_type)) in (
            select misp_context_types.source_type from misp_context_types
        )
),

misp_envelopes as (
    select
        file_sha256,
        record_locator,
        case
            when coalesce(try_cast(record_text::json ->> '$.deleted' as boolean), false)
                then 'withdrawn'
            else 'context'
        end as outcome,
        null::varchar as reason_code,
        null::varchar as reason,
        null::varchar as raw_value
    from landed
    where source_format = 'misp' and record_type in ('event', 'object') and parse_error is null
),

indicator_verdicts as (
    select
        file_sha256,
        record_locator,
        case when rejection_code is null then 'accepted' else 'quarantined' end as outcome,
        rejection_code as reason_code,
        rejection_reason as reason,
        -- only a quarantined record shows its value: the others' would only fill the ranking
        case when rejection_code is not null then coalesce(original_value, source_context) end
            as raw_value
    from observations
),

actor_verdicts as (
    select distinct
        file_sha256,
        record_locator,
        'accepted' as outcome,
        null::varchar as reason_code,
        null::varchar as reason,
        null::varchar as raw_value
    from actor_mentions
    where source_format in ('stix21', 'misp')
),

campaign_verdicts as (
    select
        file_sha256,
        record_locator,
        'accepted' as outcome,
        null::varchar as reason_code,
        null::varchar as reason,
        null::varchar as raw_value
    from campaigns
),

incident_verdicts as (
    select
        landed.file_sha256,
        landed.record_locator,
        case when incidents.file_sha256 is null then 'quarantined' else 'accepted' end
            as outcome,
        case when incidents.file_sha256 is null then 'missing_victim' end as reason_code,
        case
            when incidents.file_sha256 is null then 'the record names no victim organisation'
        end as reason,
        null::varchar as raw_value
    from landed
    left join incidents
        on
            landed.file_sha256 = incidents.file_sha256
            and landed.record_locator = incidents.record_locator
    where
        landed.record_type in ('incident', 'claim', 'leak_post')
        and landed.parse_error is null
),

sighting_verdicts as (
    select
        file_sha256,
        record_locator,
        case when rejection_code is null then 'accepted' else 'quarantined' end as outcome,
        rejection_code as reason_code,
        case rejection_code
            when 'value_not_scalar'
                then 'the indicator or type is a JSON object or list, not one value'
            when 'unknown_type' then 'the type word has no canonical indicator type'
            when 'invalid_value'
                then 'value is not a valid ' || coalesce(indicator_type, 'indicator')
        end as reason,
        case when rejection_code is not null then raw_value end as raw_value
    from sightings
),

operation_verdicts as (
    select
        operation_reports.file_sha256,
        operation_reports.record_locator,
        case when merged.source_record is null then 'quarantined' else 'accepted' end
            as outcome,
        case when merged.source_record is null then 'missing_name' end as reason_code,
        case
            when merged.source_record is null then 'operation has no name'
        end as reason,
        null::varchar as raw_value
    from operation_reports
    left join (
        select unnest(source_records) as source_record from operations
    ) as merged
        on
            operation_reports.file_sha256 || '|' || operation_reports.record_locator
            = merged.source_record
),

verdicts as (
    select * from damaged
    union all
    select * from stix_verdicts
    union all
    select * from misp_attribute_verdicts
    union all
    select * from misp_envelopes
    union all
    select * from indicator_verdicts
    union all
    select * from actor_verdicts
    union all
    select * from campaign_verdicts
    union all
    select * from incident_verdicts
    union all
    select * from sighting_verdicts
    union all
    select * from operation_verdicts
),

ranked as (
    select
        file_sha256,
        record_locator,
        arg_min(
            {
                'outcome': outcome,
                'reason_code': reason_code,
                'reason': reason,
                'raw_value': raw_value
            },
            {
                'rank': case outcome
                    when 'withdrawn' then 0
                    when 'accepted' then 1
                    when 'context' then 2
                    else 3
                end,
                'reason_code': coalesce(reason_code, ''),
                'reason': coalesce(reason, '')
            }
        ) as verdict
    from verdicts
    group by file_sha256, record_locator
),

decided as (
    select
        file_sha256,
        record_locator,
        struct_extract(verdict, 'outcome') as outcome,
        struct_extract(verdict, 'reason_code') as reason_code,
        struct_extract(verdict, 'reason') as reason,
        struct_extract(verdict, 'raw_value') as raw_value
    from ranked
),

final as (
    select
        landed.file_sha256,
        landed.partner_id,
        landed.source_format,
        landed.record_type,
        landed.record_locator,
        coalesce(decided.outcome, 'quarantined') as outcome,
        case
            when decided.outcome = 'quarantined' then decided.reason_code
            when decided.outcome is null then 'unhandled_record'
        end as reason_code,
        case
            when decided.outcome = 'quarantined' then decided.reason
            when decided.outcome is null
                then
                    'no rule reads ' || landed.source_format || ' records of kind '
                    || coalesce(landed.record_type, '(none)')
        end as reason,
        case
            when decided.outcome <> 'quarantined' then null
            when landed.record_type in ('incident', 'claim', 'leak_post')
                then '(withheld: the record may name a victim; see raw.landed_records)'
            else coalesce(decided.raw_value, landed.original_text, landed.record_text)
        end as raw_value
    from landed
    left join decided
        on
            landed.file_sha256 = decided.file_sha256
            and landed.record_locator = decided.record_locator
)

select * from final
