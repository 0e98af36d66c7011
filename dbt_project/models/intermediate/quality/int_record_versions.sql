{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every readable landed record with what decides which of its versions counts: its natural
    key where the format has one (STIX `id`, MISP `uuid`, incident_id, claim_ref, post_url)
    and its version (STIX `modified`, MISP `timestamp`), else a hash of its content. Read once
    per delivered file (landing is immutable), so that supersession (int_records_superseded)
    ranks narrow rows instead of reading every landed record again each night. Each record is
    parsed once, for every key and version any format has. -#}
{%- set key_fields = {
    'stix_id': '$.id',
    'stix_modified': '$.modified',
    'attribute_uuid': '$.attribute.uuid',
    'attribute_timestamp': '$.attribute.timestamp',
    'misp_uuid': '$.uuid',
    'misp_timestamp': '$.timestamp',
    'incident_id': '$.incident_id',
    'claim_ref': '$.claim_ref',
    'post_url': '$.post_url',
} %}
with

landed as (
    select * from {{ ref('stg_raw__landed_records') }}
    where parse_error is null and record_type is not null and {{ only_new_files() }}
),

fields as (
    {{ with_json_fields('landed', key_fields, document='record_text') }}
),

identified as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        record_type,
        record_locator,
        nullif(trim(
            case
                when source_format = 'stix21' then stix_id
                when source_format = 'misp' and record_type = 'attribute' then attribute_uuid
                when source_format = 'misp' then misp_uuid
                when record_type = 'incident' then incident_id
                when record_type = 'claim' then claim_ref
                when record_type = 'leak_post' then post_url
            end
        ), '') as record_id,
        case
            when source_format = 'stix21' then try_cast(stix_modified as timestamptz)
            when source_format = 'misp' and record_type = 'attribute'
                then to_timestamp(try_cast(attribute_timestamp as bigint))
            when source_format = 'misp'
                then to_timestamp(try_cast(misp_timestamp as bigint))
        end as record_version,
        record_text
    from fields
),

hashed as (
    select
        * exclude (record_text),
        -- once: the version key below reads it too
        case when record_id is null then md5(record_text) end as content_hash
    from identified
),

final as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        record_type,
        record_locator,
        record_id,
        record_version,
        content_hash,
        -- the record whatever its version: a partner, a kind and its key or content
        md5(
            partner_id || '|' || record_type || '|'
            || coalesce('id:' || record_id, 'content:' || content_hash)
        ) as version_key
    from hashed
)

select * from final
