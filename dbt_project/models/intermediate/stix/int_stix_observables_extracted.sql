{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every observable of every STIX indicator pattern: each simple comparison
    `[object-type:path = 'value']` (or ISSUBSET for CIDR ranges), whether joined by OR or AND.
    Patterns with qualifiers (WITHIN, REPEATS, START/STOP) are kept whole and flagged. -#}
{%- set object_path = "([a-z0-9_-]+):((?:[a-z0-9_-]|\\.|'[^']*')+)" -%}
{%- set quoted_value = "'((?:[^'\\\\]|\\\\.)*)'" -%}
{%- set comparison = object_path ~ "\\s*(=|issubset)\\s*" ~ quoted_value -%}
{%- set comparison_sql = comparison | replace("'", "''") %}

with

indicators as (
    select * from {{ ref('stg_stix__objects') }}
    where stix_type = 'indicator' and parse_error is null and {{ only_new_files() }}
),

comparisons as (
    select
        file_sha256,
        record_locator,
        unnest(regexp_extract_all(pattern, '{{ comparison_sql }}', 0, 'i')) as comparison_text
    from indicators
    where coalesce(pattern_type, 'stix') = 'stix'
),

parsed as (
    select
        file_sha256,
        record_locator,
        unnest(
            regexp_extract(
                comparison_text,
                '{{ comparison_sql }}',
                ['object_type', 'object_path', 'operator', 'quoted_value'],
                'i'
            )
        )
    from comparisons
),

final as (
    select
        indicators.file_sha256,
        indicators.partner_id,
        indicators.delivered_on,
        indicators.record_locator,
        indicators.stix_id,
        indicators.pattern,
        coalesce(indicators.pattern_type, 'stix') as pattern_type,
        regexp_matches(indicators.pattern, '\]\s*(within|repeats|start)\s', 'i') as has_qualifier,
        lower(parsed.object_type || ':' || replace(parsed.object_path, '''', '')) as source_type,
        lower(parsed.operator) as comparison_operator,
        replace(replace(parsed.quoted_value, '\''', ''''), '\\', '\') as original_value,
        coalesce(indicators.valid_from_at, indicators.created_at) as first_seen_at,
        greatest(indicators.valid_from_at, indicators.modified_at, indicators.created_at)
            as last_seen_at,
        indicators.confidence_text
    from indicators
    left join parsed
        on
            indicators.file_sha256 = parsed.file_sha256
            and indicators.record_locator = parsed.record_locator
)

select * from final
