with

landed as (
    {{ landed_records('table', 'sighting') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.indicator' as indicator_value,
        record_json ->> '$.type' as indicator_type_text,
        {{ landed_json_type('indicator', 'indicator_value') }},
        {{ landed_json_type('type', 'indicator_type') }},
        {{ landed_time('first_seen', 'first_seen') }},
        {{ landed_time('last_seen', 'last_seen') }},
        record_json ->> '$.count' as sighting_count_text,
        try_cast(record_json ->> '$.count' as integer) as sighting_count,
        record_json ->> '$.sensor_country' as sensor_country_text,
        record_json ->> '$.tlp' as tlp_text,
        record_json -> '$.extra' as extra_fields,
        original as original_line
    from landed
)

select * from renamed
