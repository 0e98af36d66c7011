{#- The landed records of one format and record kind, damaged ones included (records too damaged
    to have a kind are in stg_raw__landed_records and the quarantine). -#}
{% macro landed_records(source_format, record_kind) -%}
    select
        file_sha256,
        partner_id,
        delivered_on,
        record_locator,
        parse_error,
        record::json as record_json,
        original
    from {{ source('raw', 'landed_records') }}
    where
        source_format = '{{ source_format }}'
        and record_type = '{{ record_kind }}'
{%- endmacro %}

{#- The lineage columns every staging model starts with. -#}
{% macro lineage_columns() -%}
    file_sha256,
    partner_id,
    delivered_on,
    record_locator,
    parse_error
{%- endmacro %}
