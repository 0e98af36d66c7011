{{ config(materialized='incremental', incremental_strategy='append') }}
{#- One row per object of every STIX 2.1 bundle delivered, damaged objects included. Typed and
    renamed only: the rules live in intermediate. Each object is parsed once: its text fields
    in one list, the fields read further (lists, extensions) in another. -#}
{%- set text_fields = {
    'stix_id': '$.id',
    'spec_version': '$.spec_version',
    'created_text': '$.created',
    'modified_text': '$.modified',
    'created_by_ref': '$.created_by_ref',
    'revoked_text': '$.revoked',
    'object_name': '$.name',
    'object_description': '$.description',
    'pattern': '$.pattern',
    'pattern_type': '$.pattern_type',
    'valid_from_text': '$.valid_from',
    'valid_until_text': '$.valid_until',
    'first_seen_text': '$.first_seen',
    'last_seen_text': '$.last_seen',
    'confidence_text': '$.confidence',
    'indicator_types_json': '$.indicator_types',
    'relationship_type': '$.relationship_type',
    'source_ref': '$.source_ref',
    'target_ref': '$.target_ref',
    'sighting_of_ref': '$.sighting_of_ref',
    'count_text': '$.count',
    'marking_definition_type': '$.definition_type',
    'definition_tlp': '$.definition.tlp',
    'marking_statement': '$.definition.statement',
} -%}
{%- set json_fields = {
    'object_marking_refs_json': '$.object_marking_refs',
    'granular_markings_json': '$.granular_markings',
    'aliases_json': '$.aliases',
    'extensions_json': '$.extensions',
} %}
with

landed as (
    select * from {{ source('raw', 'stix21_records') }}
    where {{ only_new_files() }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields, readable='parse_error is null') }}
),

renamed as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        record_locator,
        parse_error,
        record_type as stix_type,
        stix_id,
        spec_version,
        try_cast(created_text as timestamptz) as created_at,
        try_cast(modified_text as timestamptz) as modified_at,
        created_by_ref,
        coalesce(try_cast(revoked_text as boolean), false) as is_revoked,
        object_name,
        object_description,
        pattern,
        pattern_type,
        valid_from_text,
        try_cast(valid_from_text as timestamptz) as valid_from_at,
        try_cast(valid_until_text as timestamptz) as valid_until_at,
        try_cast(first_seen_text as timestamptz) as first_seen_at,
        try_cast(last_seen_text as timestamptz) as last_seen_at,
        confidence_text,
        indicator_types_json,
        case
            when parse_error is null
                then {{ json_list_strings('object_marking_refs_json', '$[*]') }}
        end as object_marking_refs,
        case
            when parse_error is null
                then {{ json_list_strings('granular_markings_json', '$[*].marking_ref') }}
        end as granular_marking_refs,
        case
            when parse_error is null then {{ json_list_strings('aliases_json', '$[*]') }}
        end as aliases,
        relationship_type,
        source_ref,
        target_ref,
        sighting_of_ref,
        try_cast(count_text as integer) as sighting_count,
        marking_definition_type,
        coalesce(
            definition_tlp,
            {{ json_list_strings('extensions_json', '$.*.tlp_2_0') }}[1],
            object_name
        ) as marking_tlp_text,
        marking_statement
    from fields
)

select * from renamed
