with

landed as (
    {{ landed_records('misp', 'attribute') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        regexp_extract(record_locator, '^(.*?)\.(?:Attribute|Object)\[', 1) as event_locator,
        record_json ->> '$.event_uuid' as event_uuid,
        record_json ->> '$.object_uuid' as object_uuid,
        record_json ->> '$.object_name' as object_name,
        record_json ->> '$.object_meta_category' as object_meta_category,
        coalesce(try_cast(record_json ->> '$.object_deleted' as boolean), false)
            as is_object_deleted,
        record_json ->> '$.attribute.uuid' as attribute_uuid,
        record_json ->> '$.attribute.type' as attribute_type,
        record_json ->> '$.attribute.category' as attribute_category,
        record_json ->> '$.attribute.object_relation' as object_relation,
        record_json ->> '$.attribute.value' as attribute_value,
        try_cast(record_json ->> '$.attribute.to_ids' as boolean) as to_ids,
        coalesce(try_cast(record_json ->> '$.attribute.deleted' as boolean), false) as is_deleted,
        record_json ->> '$.attribute.comment' as attribute_comment,
        record_json ->> '$.attribute.timestamp' as attribute_timestamp_text,
        record_json ->> '$.attribute.first_seen' as first_seen_text,
        record_json ->> '$.attribute.last_seen' as last_seen_text,
        json_extract_string(record_json, '$.attribute.Tag[*].name') as attribute_tags,
        record_json::varchar as attribute_text
    from landed
)

select * from renamed
