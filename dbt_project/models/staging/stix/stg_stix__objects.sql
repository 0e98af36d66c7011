{#- One row per object of every STIX 2.1 bundle delivered, damaged objects included. Typed and
    renamed only: the rules live in intermediate. -#}
with

landed as (
    select * from {{ source('raw', 'stix21_records') }}
),

parsed as (
    select
        *,
        case when parse_error is null then record::json end as object_json
    from landed
),

renamed as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        record_locator,
        parse_error,
        record_type as stix_type,
        object_json ->> '$.id' as stix_id,
        object_json ->> '$.spec_version' as spec_version,
        try_cast(object_json ->> '$.created' as timestamptz) as created_at,
        try_cast(object_json ->> '$.modified' as timestamptz) as modified_at,
        object_json ->> '$.created_by_ref' as created_by_ref,
        coalesce(try_cast(object_json ->> '$.revoked' as boolean), false) as is_revoked,
        object_json ->> '$.name' as object_name,
        object_json ->> '$.description' as object_description,
        object_json ->> '$.pattern' as pattern,
        object_json ->> '$.pattern_type' as pattern_type,
        object_json ->> '$.valid_from' as valid_from_text,
        try_cast(object_json ->> '$.valid_from' as timestamptz) as valid_from_at,
        try_cast(object_json ->> '$.valid_until' as timestamptz) as valid_until_at,
        try_cast(object_json ->> '$.first_seen' as timestamptz) as first_seen_at,
        try_cast(object_json ->> '$.last_seen' as timestamptz) as last_seen_at,
        object_json ->> '$.confidence' as confidence_text,
        object_json ->> '$.indicator_types' as indicator_types_json,
        json_extract_string(object_json, '$.object_marking_refs[*]') as object_marking_refs,
        json_extract_string(object_json, '$.granular_markings[*].marking_ref')
            as granular_marking_refs,
        json_extract_string(object_json, '$.aliases[*]') as aliases,
        object_json ->> '$.relationship_type' as relationship_type,
        object_json ->> '$.source_ref' as source_ref,
        object_json ->> '$.target_ref' as target_ref,
        object_json ->> '$.sighting_of_ref' as sighting_of_ref,
        try_cast(object_json ->> '$.count' as integer) as sighting_count,
        object_json ->> '$.definition_type' as marking_definition_type,
        coalesce(
            object_json ->> '$.definition.tlp',
            json_extract_string(object_json, '$.extensions.*.tlp_2_0')[1],
            object_json ->> '$.name'
        ) as marking_tlp_text,
        object_json ->> '$.definition.statement' as marking_statement,
        record as object_text
    from parsed
)

select * from renamed
