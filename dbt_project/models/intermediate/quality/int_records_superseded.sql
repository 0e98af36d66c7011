{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='version_key'
) }}
{#- Landed records that a partner's own later version of the same record replaces: kept in
    landing, never counted. A record's natural key is its identifier where the format has one
    (int_record_versions): the latest version wins (STIX `modified`, MISP `timestamp`), then
    the latest delivery, then file and locator. A record without one is known by its content:
    an identical record delivered again adds nothing, so the earliest delivery keeps it (and
    the credit for it).
    A night ranks again the records whose versions its files bring (their version_key), and
    replaces what it held for them: a later file can only add versions, so a record once
    superseded stays superseded, and a record it does not touch keeps its rank.
    The two CTEs of versions are each read twice, so DuckDB would copy them whole (every
    version: 5 million rows at 5M) before ranking a few thousand, and spill the copy while
    another model runs (4.4 s in a 5M delta night); `not materialized` reads the table twice
    instead (run alone: 0.6 s copied, 0.2 s read twice). -#}
with

all_versions as not materialized (
    select * from {{ ref('int_record_versions') }}
),

versions as not materialized (
    select * from all_versions
    {% if is_incremental() -%}
        where version_key in (
            select touched.version_key from all_versions as touched
            where {{ in_files_since_last_build('touched.file_sha256') }}
        )
    {%- endif %}
),

{# a record with one version supersedes nothing and is superseded by nothing: only the
    records with more than one are ranked (3,202 rows of 5 million in a 5M build) #}
repeated_versions as (
    select * from versions
    where version_key in (
        select counted.version_key from versions as counted
        group by counted.version_key
        having count(*) > 1
    )
),

by_identifier as (
    select
        version_key,
        file_sha256,
        record_locator,
        first_value(file_sha256) over latest_first as by_file_sha256,
        first_value(record_locator) over latest_first as by_record_locator,
        row_number() over latest_first as version_rank
    from repeated_versions
    where record_id is not null
    window latest_first as (
        partition by version_key
        order by
            record_version desc nulls last,
            delivered_on desc,
            file_sha256 desc,
            record_locator desc
    )
),

by_content as (
    select
        version_key,
        file_sha256,
        record_locator,
        first_value(file_sha256) over earliest_first as by_file_sha256,
        first_value(record_locator) over earliest_first as by_record_locator,
        row_number() over earliest_first as version_rank
    from repeated_versions
    where record_id is null
    window earliest_first as (
        partition by version_key
        order by delivered_on asc, file_sha256 asc, record_locator asc
    )
),

ranked as (
    select * from by_identifier
    union all
    select * from by_content
),

final as (
    select
        file_sha256,
        record_locator,
        version_key,
        by_file_sha256 as superseded_by_file_sha256,
        by_record_locator as superseded_by_record_locator
    from ranked
    where version_rank > 1
)

select * from final
