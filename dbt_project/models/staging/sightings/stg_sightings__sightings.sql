with

landed as (
    {{ landed_records('jsonl', 'sighting') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.indicator' as indicator_value,
        record_json ->> '$.type' as indicator_type_text,
        record_json ->> '$.first_seen' as first_seen_text,
        record_json ->> '$.last_seen' as last_seen_text,
        record_json ->> '$.count' as sighting_count_text,
        try_cast(record_json ->> '$.count' as integer) as sighting_count,
        record_json ->> '$.sensor_country' as sensor_country_text,
        record_json -> '$.extra' as extra_fields,
        original as original_line
    from landed
)

select * from renamed
