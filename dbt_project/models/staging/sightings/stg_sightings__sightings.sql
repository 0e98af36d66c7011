{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set text_fields = {
    'indicator_value': '$.indicator',
    'indicator_type_text': '$.type',
    'first_seen_utc_field': '$.first_seen_utc',
    'first_seen_field': '$.first_seen',
    'last_seen_utc_field': '$.last_seen_utc',
    'last_seen_field': '$.last_seen',
    'sighting_count_text': '$.count',
    'sensor_country_text': '$.sensor_country',
    'tlp_text': '$.tlp',
} -%}
{%- set json_fields = {
    'indicator_value_json': '$.indicator',
    'indicator_type_json': '$.type',
    'extra_fields': '$.extra',
} %}
with

landed as (
    {{ landed_records('table', 'sighting') }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields) }}
),

renamed as (
    select
        {{ lineage_columns() }},
        indicator_value,
        indicator_type_text,
        json_type(indicator_value_json) as indicator_value_json_type,
        json_type(indicator_type_json) as indicator_type_json_type,
        {{ landed_time('first_seen') }},
        {{ landed_time('last_seen') }},
        sighting_count_text,
        try_cast(sighting_count_text as integer) as sighting_count,
        sensor_country_text,
        tlp_text,
        extra_fields,
        original as original_line
    from fields
)

select * from renamed
