{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set text_fields = {
    'event_uuid': '$.uuid',
    'event_info': '$.info',
    'event_date_text': '$.date',
    'event_timestamp_text': '$.timestamp',
    'publish_timestamp_text': '$.publish_timestamp',
    'threat_level_id': '$.threat_level_id',
    'analysis': '$.analysis',
    'creator_org_name': '$.Orgc.name',
} -%}
{%- set json_fields = {
    'tags_json': '$.Tag',
} %}
with

landed as (
    {{ landed_records('misp', 'event') }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields) }}
),

renamed as (
    select
        {{ lineage_columns() }},
        event_uuid,
        event_info,
        event_date_text,
        {{ landed_plausible_date('event_date_text') }} as event_date,
        event_timestamp_text,
        publish_timestamp_text,
        threat_level_id,
        analysis,
        creator_org_name,
        {{ json_list_strings('tags_json', '$[*].name') }} as event_tags,
        record as event_text
    from fields
)

select * from renamed
