{#- The rows of `relation` (a CTE with file_sha256 and record_locator) whose record no later
    version of the same record supersedes (int_records_superseded, CTE `superseded`). -#}
{% macro without_superseded(relation) -%}
    select {{ relation }}.*
    from {{ relation }}
    anti join superseded
        on
            {{ relation }}.file_sha256 = superseded.file_sha256
            and {{ relation }}.record_locator = superseded.record_locator
{%- endmacro %}
