-- The reference the night benchmark measures the nightly against: one plain DuckDB script, no
-- Dagster, no dbt, that reads the synthetic drops (orchestration/tools/synthetic_drops.py)
-- with DuckDB's own readers and writes the canonical, de-duplicated indicators.
--
-- bench/night_benchmark.py runs it after creating the project's rule macros
-- (orchestration/sql/duckdb_macros.sql: refang, canonical values, type inference, validity)
-- and setting two variables: `drops` (the drops folder) and `seeds` (seeds/reference).
-- It reads the record kinds that carry indicators: STIX indicators (the pattern's one
-- equality), MISP attributes (event level and inside objects) and IOC list rows; ragged rows
-- and damaged objects are skipped, as the nightly quarantines them. It knows the generator's
-- layout (which partner sends which file); the nightly knows no such thing.

-- a type word as any format spells it -> its canonical type (the generator sends no
-- composite types, so the component column is not needed)
create temp table type_words as
select
    ccw_type_key(source_type) as type_key,
    min(indicator_type) as indicator_type
from read_csv(getvariable('seeds') || '/indicator_types.csv', all_varchar = true)
group by all;

create temp table observations (source_type varchar, original_value varchar);

-- STIX 2.1 bundles: one document per file
insert into observations
with

bundles as (
    select from_json(content, '{"objects": ["JSON"]}').objects as objects
    from read_text(getvariable('drops') || '/aegis-labs/*/*.json')
    where json_valid(content)  -- a cut file is rejected whole, as the nightly does
),

objects as (
    select unnest(objects) as object from bundles
),

patterns as (
    select
        regexp_extract(
            object ->> '$.pattern', '^\[\s*([^\s=]+)\s*=\s*''((?:[^''\\]|\\.)*)''\s*\]$', [
                'path', 'value'
            ]
        ) as comparison
    from objects
    where (object ->> '$.type') = 'indicator' and (object ->> '$.pattern_type') = 'stix'
)

select
    ccw_type_key(comparison.path),
    replace(comparison.value, '\''', '''')
from patterns;

-- MISP: `{"Event": ...}` or `{"response": [{"Event": ...}, ...]}`
insert into observations
with

documents as (
    select from_json(content, '{"Event": "JSON", "response": [{"Event": "JSON"}]}') as document
    from read_text(getvariable('drops') || '/nordic-cert/*/*.json')
    where json_valid(content)
),

events as (
    select document."Event" as event from documents where document."Event" is not null
    union all
    select unnest(document.response)."Event" from documents
),

shaped as (
    select
        from_json(
            event,
            '{"Attribute": ["JSON"], "Object": [{"Attribute": ["JSON"]}]}'
        ) as event
    from events
),

objects as (
    select unnest(event."Object") as object from shaped
),

attributes as (
    select unnest(event."Attribute") as attribute from shaped
    union all
    select unnest(object."Attribute") from objects
)

select
    ccw_type_key(attribute ->> '$.type'),
    attribute ->> '$.value'
from attributes
where json_type(attribute) = 'OBJECT' and (attribute ->> '$.value') is not null;

-- IOC lists: harbor-isp's comma-separated UTF-8 through read_csv. finsec-isac's
-- semicolon-separated cp1252 (a euro sign in some URLs) is not UTF-8, and DuckDB reads no
-- cp1252 without an extension: its bytes are cast to text (bytes past ASCII and some
-- control bytes shown as \xNN), the generator's only such bytes mapped back and the
-- unquoted cells split; a row of another width is skipped, as read_csv's ignore_errors does.
insert into observations
select
    ccw_type_key(type),
    value
from read_csv(
    getvariable('drops') || '/harbor-isp/*/*.csv',
    header = true, all_varchar = true, ignore_errors = true, delim = ',', quote = '"'
);

insert into observations
with

files as (
    select
        replace(
            replace(replace(replace(content::varchar, '\x0D', ''), '\x0A', chr(10)), '\x80', '€'),
            chr(13),
            ''
        ) as text
    from read_blob(getvariable('drops') || '/finsec-isac/*/FinSec_IOC_Export_*.csv')
),

rows as (
    select string_split(unnest(string_split(text, chr(10))), ';') as cells from files
)

select
    ccw_type_key(cells[2]),
    cells[1]
from rows
where len(cells) = 6 and cells[1] <> 'IOC';

create or replace table indicators as
with

typed as (
    select
        ccw_indicator_type(type_words.indicator_type, observations.original_value)
            as indicator_type,
        observations.original_value
    from observations
    inner join type_words on observations.source_type = type_words.type_key
),

canonical as (
    select
        indicator_type,
        ccw_indicator_value(indicator_type, original_value) as value
    from typed
)

select
    indicator_type,
    value,
    count(*) as observations
from canonical
where ccw_indicator_is_valid(indicator_type, value)
group by indicator_type, value;
