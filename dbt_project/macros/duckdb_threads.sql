{#- DuckDB's threads for one dbt build (the project's on-run-start hook). A whole build
    (`--full-refresh`: the first night, changed rules, a build holding files back) runs one
    model at a time, each reading millions of rows: every core. An ordinary night runs dbt's
    two threads over models and gates that read a night's files: one DuckDB thread each, so
    two queries at once do not share two cores four ways (a 5M delta night's dbt step, five
    alternating pairs: median 32.2 s against 38.2 s). The setting is the database's: every
    cursor of the build shares it. -#}
{% macro duckdb_threads_for_the_build() -%}
    {%- if flags.FULL_REFRESH -%}
        reset global threads
    {%- else -%}
        set global threads = 1
    {%- endif -%}
{%- endmacro %}
