with

landed as (
    {{ landed_records('misp', 'event') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.uuid' as event_uuid,
        record_json ->> '$.info' as event_info,
        record_json ->> '$.date' as event_date_text,
        {{ landed_plausible_date('date') }} as event_date,
        record_json ->> '$.timestamp' as event_timestamp_text,
        record_json ->> '$.publish_timestamp' as publish_timestamp_text,
        record_json ->> '$.threat_level_id' as threat_level_id,
        record_json ->> '$.analysis' as analysis,
        record_json ->> '$.Orgc.name' as creator_org_name,
        json_extract_string(record_json, '$.Tag[*].name') as event_tags,
        record_json::varchar as event_text
    from landed
)

select * from renamed
