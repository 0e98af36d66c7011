{#- DuckDB's threads for one dbt build (the project's on-run-start hook), from dbt's own: when
    dbt runs several nodes at once (an ordinary night's two threads), one DuckDB thread each,
    so two queries do not share two cores four ways (a 5M delta night's dbt step, five
    alternating pairs: median 32.2 s against 38.2 s); when it runs one at a time (a whole
    build, `--threads 1`: see WHOLE_BUILD in orchestration/defs/assets_dbt.py), every core.
    The setting is the database's: every cursor of the build shares it. -#}
{% macro duckdb_threads_for_the_build() -%}
    {%- if target.threads > 1 -%}
        set global threads = 1
    {%- else -%}
        reset global threads
    {%- endif -%}
{%- endmacro %}
