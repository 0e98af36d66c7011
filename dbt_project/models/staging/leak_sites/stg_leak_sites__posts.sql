with

landed as (
    {{ landed_records('table', 'leak_post') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.post_title' as post_title,
        record_json ->> '$.group_name' as group_name,
        {{ landed_time('discovered', 'discovered') }},
        record_json ->> '$.description' as post_description,
        record_json ->> '$.website' as victim_website,
        {{ landed_time('published', 'published') }},
        record_json ->> '$.post_url' as post_url,
        record_json ->> '$.country' as country_text,
        record_json ->> '$.tlp' as tlp_text,
        record_json -> '$.extra' as extra_columns,
        original as original_line
    from landed
)

select * from renamed
