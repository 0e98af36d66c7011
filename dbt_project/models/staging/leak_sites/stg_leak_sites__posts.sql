with

landed as (
    {{ landed_records('csv', 'leak_post') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.post_title' as post_title,
        record_json ->> '$.group_name' as group_name,
        record_json ->> '$.discovered' as discovered_text,
        try_cast(record_json ->> '$.discovered' as timestamp) at time zone 'UTC' as discovered_at,
        record_json ->> '$.description' as post_description,
        record_json ->> '$.website' as victim_website,
        record_json ->> '$.published' as published_text,
        try_cast(record_json ->> '$.published' as timestamp) at time zone 'UTC' as published_at,
        record_json ->> '$.post_url' as post_url,
        record_json ->> '$.country' as country_text,
        record_json -> '$.extra' as extra_columns,
        original as original_line
    from landed
)

select * from renamed
