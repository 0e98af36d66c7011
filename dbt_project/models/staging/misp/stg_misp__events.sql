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
} %}
with

landed as (
    {{ landed_records('misp', 'event') }}
),

parsed as (
    select
        *,
        {{ json_field_values('record', text_fields) }} as text_values,
        record -> '$.Tag' as tags_json
    from landed
),

fields as (
    select
        *,
        {{ json_field_columns('text_values', text_fields) }}
    from parsed
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
