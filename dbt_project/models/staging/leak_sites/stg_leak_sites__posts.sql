{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set text_fields = {
    'post_title': '$.post_title',
    'group_name': '$.group_name',
    'discovered_utc_field': '$.discovered_utc',
    'discovered_field': '$.discovered',
    'post_description': '$.description',
    'victim_website': '$.website',
    'published_utc_field': '$.published_utc',
    'published_field': '$.published',
    'post_url': '$.post_url',
    'country_text': '$.country',
    'tlp_text': '$.tlp',
} -%}
{%- set json_fields = {
    'extra_columns': '$.extra',
} %}
with

landed as (
    {{ landed_records('table', 'leak_post') }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields) }}
),

renamed as (
    select
        {{ lineage_columns() }},
        post_title,
        group_name,
        {{ landed_time('discovered') }},
        post_description,
        victim_website,
        {{ landed_time('published') }},
        post_url,
        country_text,
        tlp_text,
        extra_columns,
        original as original_line
    from fields
)

select * from renamed
