{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set text_fields = {
    'incident_id': '$.incident_id',
    'reported_on_utc_field': '$.reported_on_utc',
    'reported_on_field': '$.reported_on',
    'victim_name': '$.victim_name',
    'victim_sector_text': '$.victim_sector',
    'victim_country_text': '$.victim_country',
    'actor_name': '$.actor',
    'ransom_demanded_text': '$.ransom_demanded',
    'ransom_paid_text': '$.ransom_paid',
    'currency_text': '$.currency',
    'downtime_hours_text': '$.downtime_hours',
    'tlp_text': '$.tlp',
} -%}
{%- set json_fields = {
    'extra_columns': '$.extra',
} %}
with

landed as (
    {{ landed_records('table', 'incident') }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields) }}
),

renamed as (
    select
        {{ lineage_columns() }},
        incident_id,
        {{ landed_time('reported_on') }},
        victim_name,
        victim_sector_text,
        victim_country_text,
        actor_name,
        ransom_demanded_text,
        ransom_paid_text,
        currency_text,
        downtime_hours_text,
        tlp_text,
        extra_columns,
        original as original_line
    from fields
)

select * from renamed
