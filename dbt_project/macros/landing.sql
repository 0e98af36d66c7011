{#- The landed records of one record kind, damaged ones included (records too damaged to have
    a kind are in stg_raw__landed_records and the quarantine), read from the source of each
    format that carries them. Table-shaped kinds (ioc, sighting, incident, claim, leak_post)
    come in every format that can carry a table: CSV, XLSX and JSON lines, whichever the
    partner chose. In an incremental run, only the files the model has not read yet. -#}
{% macro landed_records(source_format, record_kind) -%}
    {%- set formats = ['csv', 'xlsx', 'jsonl'] if source_format == 'table' else [source_format] -%}
    {%- for format in formats %}
        select
            {{ lineage_columns() }},
            record,
            original
        from {{ source('raw', format ~ '_records') }}
        where record_type = '{{ record_kind }}' and {{ only_new_files() }}
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
    as `<field>_utc`, see orchestration/landing/formats/fields.py). Reads the two fields
    `<alias>_utc_field` and `<alias>_field` (see json_field_values). -#}
{% macro landed_time(alias) -%}
    coalesce({{ alias }}_utc_field, {{ alias }}_field) as {{ alias }}_text,
    coalesce({{ alias }}_utc_field is not null, false) as {{ alias }}_is_utc
{%- endmacro %}

{#- A date as delivered (text), NULL when unreadable or implausible: before 1990 or after the
    day after delivery (int_quarantine lists both). -#}
{% macro landed_plausible_date(date_text) -%}
    case
        when
            try_cast({{ date_text }} as date) >= date '1990-01-01'
            and try_cast({{ date_text }} as date) < delivered_on + 2
            then try_cast({{ date_text }} as date)
    end
{%- endmacro %}

{#- The rows of `relation` with several fields of their JSON `document` as columns, each
    document parsed once (a document read field by field is parsed again for every field).
    `text_fields` and `json_fields` map each column alias to its JSON path: a text field is
    read as `->>` reads it (NULL when absent, a nested object or list as its JSON text), a
    JSON field as `->` does (for json_type, or a list read further). Documents of rows where
    `readable` does not hold are not read (their fields are NULL). -#}
{% macro with_json_fields(relation, text_fields, json_fields={}, document='record', readable='true') -%}
    select
        *,
        {{ json_field_columns('text_values', text_fields) }}
        {%- if json_fields %},
        {{ json_field_columns('json_values', json_fields) }}
        {%- endif %}
    from (
        select
            *,
            case
                when {{ readable }} then {{ json_field_values(document, text_fields) }}
            end as text_values
            {%- if json_fields %},
            case
                when {{ readable }} then {{ json_field_values(document, json_fields, true) }}
            end as json_values
            {%- endif %}
        from {{ relation }}
    )
{%- endmacro %}

{% macro json_field_values(json_column, fields, as_json=false) -%}
    {{ 'json_extract' if as_json else 'json_extract_string' }}({{ json_column }}, [
        {%- for path in fields.values() -%}
            '{{ path }}'{% if not loop.last %}, {% endif %}
        {%- endfor -%}
    ])
{%- endmacro %}

{% macro json_field_columns(values_column, fields) -%}
    {%- for alias in fields -%}
        {{ values_column }}[{{ loop.index }}] as {{ alias }}{% if not loop.last %},
        {% endif %}
    {%- endfor -%}
{%- endmacro %}

{#- The strings a wildcard path finds in a JSON field read by json_field_values(as_json):
    an empty list when the field is absent, as the same path read on the whole document. -#}
{% macro json_list_strings(json_field, path) -%}
    coalesce(json_extract_string({{ json_field }}, '{{ path }}'), [])
{%- endmacro %}
