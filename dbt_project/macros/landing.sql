{#- The landed records of one record kind, damaged ones included (records too damaged to have
    a kind are in stg_raw__landed_records and the quarantine), read from the source of each
    format that carries them. Table-shaped kinds (ioc, sighting, incident, claim, leak_post)
    come in every format that can carry a table: CSV, XLSX and JSON lines, whichever the
    partner chose. -#}
{% macro landed_records(source_format, record_kind) -%}
    {%- set formats = ['csv', 'xlsx', 'jsonl'] if source_format == 'table' else [source_format] -%}
    {%- for format in formats %}
        select
            {{ lineage_columns() }},
            record::json as record_json,
            original
        from {{ source('raw', format ~ '_records') }}
        where record_type = '{{ record_kind }}'
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The lineage columns every staging model starts with. -#}
{% macro lineage_columns() -%}
    file_sha256,
    partner_id,
    delivered_on,
    source_format,
    record_locator,
    parse_error
{%- endmacro %}

{#- A time field of a table record as two columns: `<alias>_text`, the time as delivered, and
    `<alias>_is_utc`, true when its column's header said UTC (the loader then wrote the field
    as `<field>_utc`, see orchestration/landing/formats/fields.py). -#}
{% macro landed_time(field, alias) -%}
    coalesce(
        record_json ->> '$.{{ field }}_utc', record_json ->> '$.{{ field }}'
    ) as {{ alias }}_text,
    coalesce(record_json ->> '$.{{ field }}_utc' is not null, false) as {{ alias }}_is_utc
{%- endmacro %}

{#- The JSON type of a field that must be a scalar (OBJECT or ARRAY mean it is not). -#}
{% macro landed_json_type(field, alias) -%}
    json_type(record_json, '$.{{ field }}') as {{ alias }}_json_type
{%- endmacro %}

{#- A date field of a landed record, NULL when unreadable or implausible: before 1990 or after
    the day after delivery (int_quarantine lists both). -#}
{% macro landed_plausible_date(field) -%}
    case
        when
            try_cast(record_json ->> '$.{{ field }}' as date) >= date '1990-01-01'
            and try_cast(record_json ->> '$.{{ field }}' as date) < delivered_on + 2
            then try_cast(record_json ->> '$.{{ field }}' as date)
    end
{%- endmacro %}
