{#- In an incremental run, keep only rows of delivered files the model has not processed yet:
    landing is immutable and keyed by file, so a file once normalized never changes. A change
    of reference data or model code triggers a full refresh (see orchestration/defs/assets_dbt.py). -#}
{% macro only_new_files(column='file_sha256') -%}
    {%- if is_incremental() -%}
        {{ column }} not in (select distinct file_sha256 from {{ this }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
