{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set text_fields = {
    'event_uuid': '$.event_uuid',
    'object_uuid': '$.object_uuid',
    'object_name': '$.object_name',
    'object_meta_category': '$.object_meta_category',
    'object_deleted_text': '$.object_deleted',
    'attribute_uuid': '$.attribute.uuid',
    'attribute_type': '$.attribute.type',
    'attribute_category': '$.attribute.category',
    'object_relation': '$.attribute.object_relation',
    'attribute_value': '$.attribute.value',
    'to_ids_text': '$.attribute.to_ids',
    'deleted_text': '$.attribute.deleted',
    'attribute_comment': '$.attribute.comment',
    'attribute_timestamp_text': '$.attribute.timestamp',
    'first_seen_text': '$.attribute.first_seen',
    'last_seen_text': '$.attribute.last_seen',
} -%}
{%- set json_fields = {
    'tags_json': '$.attribute.Tag',
    'value_json': '$.attribute.value',
} %}
with

landed as (
    {{ landed_records('misp', 'attribute') }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields) }}
),

renamed as (
    select
        {{ lineage_columns() }},
        regexp_extract(record_locator, '^(.*?)\.(?:Attribute|Object)\[', 1) as event_locator,
        event_uuid,
        object_uuid,
        object_name,
        object_meta_category,
        coalesce(try_cast(object_deleted_text as boolean), false) as is_object_deleted,
        attribute_uuid,
        attribute_type,
        attribute_category,
        object_relation,
        attribute_value,
        try_cast(to_ids_text as boolean) as to_ids,
        coalesce(try_cast(deleted_text as boolean), false) as is_deleted,
        attribute_comment,
        attribute_timestamp_text,
        first_seen_text,
        last_seen_text,
        {{ json_list_strings('tags_json', '$[*].name') }} as attribute_tags,
        json_type(value_json) as attribute_value_json_type
    from fields
)

select * from renamed
