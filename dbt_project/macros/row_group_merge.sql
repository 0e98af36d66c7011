{#- DuckDB's row-group merge off for the build (the project's on-run-start hook). At every
    checkpoint DuckDB merges the row groups of every table that fit in fewer (a night's
    partial row group of appended rows, the rows deletes left), and dbt's build checkpoints
    every 16 MB of its log, many times a night. The night's connections to the build file
    leave it off and the build file is compacted in one checkpoint after the build, weekly
    and after a whole build (orchestration/defs/build_compaction.py). The setting is the
    database's: every cursor of the build, and the checkpoint when dbt closes the file,
    share it. -#}
{% macro duckdb_row_group_merge_off() -%}
    set global max_vacuum_tasks = 0
{%- endmacro %}
