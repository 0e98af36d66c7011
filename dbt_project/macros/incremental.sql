{#- In an incremental run, keep only rows of delivered files the model has not processed yet:
    landing is immutable and keyed by file, so a file once normalized never changes. A change
    of reference data or model code triggers a full refresh (see orchestration/defs/assets_dbt.py).
    Of the files the night brings (files_since_last_build), a file this model already holds
    (a night that failed after building it) is not processed twice. -#}
{% macro only_new_files(column='file_sha256') -%}
    {%- if is_incremental() -%}
        {{ in_files_since_last_build(column) }}
        and {{ column }} not in (select distinct file_sha256 from {{ this }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Whether `column` names a file the night may bring: one of the loaded files the last
    successful build was not made of, spelled out as a list so that DuckDB filters the landed
    records while it reads them (a night reads what it brings, not everything landed before).
    `true` when that is not known yet (no build has succeeded on this file), so that every
    file is considered. -#}
{% macro in_files_since_last_build(column='file_sha256') -%}
    {{ in_files(column, files_since_last_build()) }}
{%- endmacro %}

{#- Whether `column` is one of `files` (sha256 hashes), as `list_contains` of a constant list:
    DuckDB evaluates it in the scan, first and on each dictionary value, so a night reads only
    the rows of its files before any other condition runs. (`column in (...)` is not the same
    to DuckDB: past a few values it becomes a join above the scan, and a rule's filter pushed
    into the scan, a Python UDF among them, then runs on every row of the table.) `true` for
    none (not known), `false` for no file. -#}
{% macro in_files(column, files) -%}
    {%- if files is none -%}
        true
    {%- elif files | length == 0 -%}
        false
    {%- else -%}
        list_contains([
            {%- for file_sha256 in files -%}
                '{{ file_sha256 }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        ], {{ column }})
    {%- endif -%}
{%- endmacro %}

{#- The loaded files that no successful build was made of yet; none when that is not known
    (no build has succeeded on this file yet, or dbt is only parsing). Landing writes both
    tables (raw.drop_files before every build, raw.built_files after each successful one);
    they are read here, not declared, as the files' list is part of compiling the model. -#}
{% macro files_since_last_build() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set drop_files = adapter.get_relation(
        database=target.database, schema='raw', identifier='drop_files'
    ) -%}
    {%- set built_files = adapter.get_relation(
        database=target.database, schema='raw', identifier='built_files'
    ) -%}
    {%- if drop_files is none or built_files is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set new_files = run_query(
        "select file_sha256 from " ~ drop_files ~ " where status = 'loaded' "
        ~ "and regexp_full_match(file_sha256, '[0-9a-f]{64}') "
        ~ "and file_sha256 not in (select file_sha256 from " ~ built_files ~ ") "
        ~ "order by file_sha256"
    ) -%}
    {{ return(new_files.columns[0].values()) }}
{%- endmacro %}

{#- Whether a record (by its file and locator columns) may read differently tonight than at the
    last successful build: its file is one the night brings, or a later version of it in such
    a file supersedes it (a record's versions only ever grow, so nothing else moves it). The
    model must ref int_records_superseded itself, unless it names that relation (`superseded`).
    `true` when the night's files are not known. Both kinds of file are spelled out first
    (files_superseded_tonight), so that DuckDB reads only their row groups and looks for
    superseded records among those alone. -#}
{% macro changed_tonight(
    file_column='file_sha256', locator_column='record_locator', superseded=none
) -%}
    {%- set new_files = files_since_last_build() -%}
    {%- set superseded = superseded or ref('int_records_superseded') -%}
    {%- set old_files = files_superseded_tonight(superseded, new_files) -%}
    {%- if old_files | length == 0 -%}
        {{ in_files(file_column, new_files) }}
    {%- else -%}
        (
            {{ in_files(file_column, files_touched(new_files, old_files)) }}
            and (
                {{ in_files(file_column, new_files) }}
                or exists (
                    select 1 from {{ superseded }} as superseded_tonight
                    where
                        superseded_tonight.file_sha256 = {{ file_column }}
                        and superseded_tonight.record_locator = {{ locator_column }}
                        and {{ in_files('superseded_tonight.superseded_by_file_sha256', new_files) }}
                )
            )
        )
    {%- endif -%}
{%- endmacro %}

{#- Whether `column` names a file whose records may read differently tonight: a file the night
    brings, or one holding a record it supersedes (files_superseded_tonight). For a model with
    rows per file; it must ref int_records_superseded itself. -#}
{% macro files_changed_tonight(column='file_sha256') -%}
    {%- set new_files = files_since_last_build() -%}
    {%- set old_files = files_superseded_tonight(ref('int_records_superseded'), new_files) -%}
    {{ in_files(column, files_touched(new_files, old_files)) }}
{%- endmacro %}

{#- `new_files` (the files the night brings; none when not known) and `old_files` (those holding
    a record a later version in one of them supersedes) as one sorted list of distinct files. -#}
{% macro files_touched(new_files, old_files) -%}
    {%- if old_files | length == 0 -%}
        {{ return(new_files) }}
    {%- endif -%}
    {{ return((new_files | list + old_files | list) | unique | sort) }}
{%- endmacro %}

{#- The files that hold a record a later version in one of `new_files` supersedes (according to
    `superseded`, int_records_superseded, built tonight before any model that asks); none when
    the night's files or that table are not known yet. -#}
{% macro files_superseded_tonight(superseded, new_files) -%}
    {%- if not execute or not new_files -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(
        database=superseded.database, schema=superseded.schema, identifier=superseded.identifier
    ) -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set old_files = run_query(
        "select distinct file_sha256 from " ~ relation ~ " where "
        ~ in_files('superseded_by_file_sha256', new_files) ~ " order by file_sha256"
    ) -%}
    {{ return(old_files.columns[0].values()) }}
{%- endmacro %}

{#- The pre_hook of an incremental model (incremental_strategy='append') that recomputes
    tonight everything a night may change: before tonight's rows are appended, the rows it holds
    where `condition` holds of them (alias `target`) are deleted, so a row whose record or key
    no longer yields one (every record of it superseded) leaves too. -#}
{% macro delete_changed_tonight(condition) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as target where {{ condition }}
    {%- endif -%}
{%- endmacro %}

{#- The keys of the canonical indicators whose reports may differ tonight: every indicator a
    record changed tonight (changed_tonight) yields, before supersession is applied. A model
    using it depends on int_indicator_observations_typed and int_records_superseded. -#}
{% macro indicator_keys_changed_tonight() -%}
    select {{ indicator_key('observation.indicator_type', 'observation.canonical_value') }}
    from {{ ref('int_indicator_observations_typed') }} as observation
    where
        observation.rejection_code is null
        and {{ changed_tonight('observation.file_sha256', 'observation.record_locator') }}
{%- endmacro %}

{#- The keys of the indicators mart_indicators holds with other actor or campaign names than
    int_indicator_link_names now gives them (a link, an actor's name or a campaign may come
    from a file other than the indicator's). For mart_indicators's pre_hook. -#}
{% macro indicator_keys_relinked_tonight() -%}
    select held.indicator_key
    from {{ this }} as held
    left join {{ ref('int_indicator_link_names') }} as linked
        on held.indicator_key = linked.indicator_key
    where
        held.actor_names is distinct from coalesce(linked.actor_names, [])
        or held.campaign_names is distinct from coalesce(linked.campaign_names, [])
{%- endmacro %}

{#- The keys of the indicators whose sightings may count differently tonight: every indicator
    a sighting changed tonight (changed_tonight) names. A model using it depends on
    int_sightings_normalized and int_records_superseded. -#}
{% macro sighting_keys_changed_tonight() -%}
    select sighting.indicator_key
    from {{ ref('int_sightings_normalized') }} as sighting
    where {{ changed_tonight('sighting.file_sha256', 'sighting.record_locator') }}
{%- endmacro %}

{#- The config of a model with one or more rows per landed record whose rows for a record
    depend on that record alone (and whether a later version supersedes it): a night deletes
    and recomputes the records it changes (changed_tonight), reading only those from the
    relation its rows come from (records_changed_tonight). A change of columns comes with a
    change of code, which rebuilds it whole (the rules fingerprint). -#}
{% macro per_record_incremental() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_tonight(
            changed_tonight('target.file_sha256', 'target.record_locator')
        ) }}"
    ) }}
{%- endmacro %}

{#- The config of a model with rows per delivered file whose rows for a file depend on that
    file's records (and whether later versions supersede them): a night deletes and recomputes
    the files it changes (files_changed_tonight), reading only those. -#}
{% macro per_file_incremental() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_tonight(files_changed_tonight('target.file_sha256')) }}"
    ) }}
{%- endmacro %}

{#- The condition, on `relation` (with file_sha256 and record_locator), that keeps in an
    incremental run only the records changed tonight (per_record_incremental). -#}
{% macro records_changed_tonight(relation) -%}
    {%- if is_incremental() -%}
        where {{ changed_tonight(relation ~ '.file_sha256', relation ~ '.record_locator') }}
    {%- endif -%}
{%- endmacro %}

{#- A gate reads what its model's night wrote, where the rows it passed on earlier nights are
    as they were then. Two placeholders of a data test's `where`, for a model whose rows are
    per landed record (file_sha256, record_locator):
    - `__files_tonight__`: a per-file incremental model (rows appended for the files a night
      brings, never rewritten): the rows of the files the night may bring;
    - `__changed_tonight__`: a per-record incremental model (per_record_incremental): the rows
      of the records the night changed (changed_tonight).
    Only in the nightly's build (it sets the var `ccw_gates_read_tonight`): a `dbt test` by
    hand, after the night, reads every row. A full refresh (the rules changed) rewrote every
    row, and a first build knows no earlier night, so then the gate reads the whole model too.
    (A model rebuilt whole on an ordinary night, because its table was dropped by hand, is
    gated as if incremental: a new or changed model comes with a code change, a full
    refresh.) Any other `where` is dbt's own (dbt.default__get_where_subquery). -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where not in ('__files_tonight__', '__changed_tonight__') -%}
        {%- do return(dbt.default__get_where_subquery(relation)) -%}
    {%- elif not gates_read_tonight() -%}
        {%- do return(relation) -%}
    {%- elif where == '__files_tonight__' -%}
        {%- set condition = in_files_since_last_build('tested.file_sha256') -%}
    {%- else -%}
        {#- a test declares no ref of its own: the relation is looked up in dbt's graph (the
            tested model refs int_records_superseded, so it is built before the test runs) -#}
        {%- set superseded = graph.nodes['model.' ~ project_name ~ '.int_records_superseded'] -%}
        {%- set condition = changed_tonight(
            'tested.file_sha256',
            'tested.record_locator',
            superseded=api.Relation.create(
                database=superseded.database,
                schema=superseded.schema,
                identifier=superseded.alias
            )
        ) -%}
    {%- endif -%}
    {#- a row without a file is no earlier night's: the gate that looks for one must see it -#}
    {%- do return(
        '(select * from ' ~ relation ~ ' as tested where ' ~ condition
        ~ ' or tested.file_sha256 is null) as dbt_subquery'
    ) -%}
{%- endmacro %}

{#- Whether the gates read only what the night wrote (see default__get_where_subquery): in the
    nightly's build of an ordinary night, not in a full refresh, nor in a `dbt test` by hand. -#}
{% macro gates_read_tonight() -%}
    {{ return(execute and not flags.FULL_REFRESH and var('ccw_gates_read_tonight', false)) }}
{%- endmacro %}
