{{ config(materialized='incremental', incremental_strategy='append') }}
{#- IOC list rows of every partner (CSV, XLSX or JSON lines), columns already renamed to
    canonical fields by the header-synonym seed at landing. Times, confidences and TLPs stay
    as spelled: reading them (partner time zones, scales, spellings) is normalization. -#}
{%- set text_fields = {
    'ioc_value': '$.value',
    'ioc_type': '$.type',
    'first_seen_utc_field': '$.first_seen_utc',
    'first_seen_field': '$.first_seen',
    'last_seen_utc_field': '$.last_seen_utc',
    'last_seen_field': '$.last_seen',
    'confidence_text': '$.confidence',
    'tlp_text': '$.tlp',
    'ioc_comment': '$.comment',
    'actor_name': '$.actor',
    'malware_name': '$.malware',
    'port_text': '$.port',
    'source_status': '$.status',
} -%}
{%- set json_fields = {
    'ioc_value_json': '$.value',
    'ioc_type_json': '$.type',
    'extra_columns': '$.extra',
} %}
with

landed as (
    {{ landed_records('table', 'ioc') }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields) }}
),

renamed as (
    select
        {{ lineage_columns() }},
        ioc_value,
        ioc_type,
        json_type(ioc_value_json) as ioc_value_json_type,
        json_type(ioc_type_json) as ioc_type_json_type,
        {{ landed_time('first_seen') }},
        {{ landed_time('last_seen') }},
        confidence_text,
        tlp_text,
        ioc_comment,
        actor_name,
        malware_name,
        port_text,
        source_status,
        extra_columns,
        original as original_line
    from fields
)

select * from renamed
