{#- What became of every landed record: `accepted` when it feeds the canonical model (an
    indicator, actor, campaign, incident, operation, sighting, or a STIX/MISP context object),
    otherwise `quarantined`. Gates check that every quarantined record has a reason in the
    quarantine and that, per file, received = accepted + quarantined. -#}
with

landed as (
    select * from {{ ref('stg_raw__landed_records') }}
),

accepted_records as (
    select
        file_sha256,
        record_locator
    from {{ ref('int_indicators_normalized') }}
    union
    select
        file_sha256,
        record_locator
    from {{ ref('int_stix_context_objects') }}
    union
    select
        file_sha256,
        record_locator
    from {{ ref('int_campaigns_resolved') }}
    union
    select
        file_sha256,
        record_locator
    from {{ ref('int_actor_mentions_resolved') }}
    where source_format = 'stix21' and actor_key is not null
    union
    select
        file_sha256,
        record_locator
    from {{ ref('int_incidents_normalized') }}
    union
    select
        file_sha256,
        record_locator
    from {{ ref('int_sightings_normalized') }}
    where rejection_code is null
    union
    select
        split_part(source_record, '|', 1) as file_sha256,
        split_part(source_record, '|', 2) as record_locator
    from
        (select unnest(source_records) as source_record from {{ ref('int_operations_normalized') }})
    union
    select
        file_sha256,
        record_locator
    from {{ ref('stg_misp__events') }}
    where parse_error is null
    union
    select
        file_sha256,
        record_locator
    from {{ ref('stg_raw__landed_records') }}
    where source_format = 'misp' and record_type = 'object' and parse_error is null
),

final as (
    select
        landed.file_sha256,
        landed.partner_id,
        landed.source_format,
        landed.record_type,
        landed.record_locator,
        case when accepted_records.file_sha256 is null then 'quarantined' else 'accepted' end
            as outcome
    from landed
    left join accepted_records
        on
            landed.file_sha256 = accepted_records.file_sha256
            and landed.record_locator = accepted_records.record_locator
)

select * from final
