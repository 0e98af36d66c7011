{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every observable of every STIX indicator pattern, read by the STIX 2.1 pattern grammar
    (ccw_stix_pattern, see orchestration/sql/stix_patterns.py): each equality or ISSUBSET
    comparison `[object-type:path = 'value']`, whether joined by OR or AND. A pattern that is
    not valid syntax keeps one row with its pattern_error; a valid one with no such comparison
    (MATCHES, LIKE, ...) keeps one row without a source_type. Qualified patterns (WITHIN,
    REPEATS, START/STOP) are flagged. Revoked indicators are withdrawn, not here. -#}
with

indicators as not materialized (
    select
        *,
        {# the pattern the STIX grammar reads: none in another language (sigma, yara, ...) #}
        case when coalesce(pattern_type, 'stix') = 'stix' then pattern end as stix_pattern
    from {{ ref('stg_stix__objects') }}
    where
        stix_type = 'indicator'
        and parse_error is null
        and is_revoked is not true
        and {{ only_new_files() }}
),

{# each distinct pattern is read once: partners repeat the same indicator #}
stix_patterns as (
    select distinct stix_pattern as pattern
    from indicators
    where stix_pattern is not null
),

parsed_patterns as (
    select
        pattern,
        from_json(
            ccw_stix_pattern(pattern),
            '{"error": "VARCHAR", "qualified": "BOOLEAN", "comparisons": "VARCHAR[][]"}'
        ) as pattern_read
    from stix_patterns
),

read_patterns as (
    select
        pattern,
        struct_extract(pattern_read, 'error') as pattern_error,
        struct_extract(pattern_read, 'qualified') as has_qualifier,
        struct_extract(pattern_read, 'comparisons') as comparisons
    from parsed_patterns
),

comparisons as (
    select
        pattern,
        unnest(comparisons) as comparison
    from read_patterns
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
        read_patterns.pattern_error,
        coalesce(read_patterns.has_qualifier, false) as has_qualifier,
        comparisons.comparison[1] || ':' || comparisons.comparison[2] as source_type,
        lower(comparisons.comparison[3]) as comparison_operator,
        comparisons.comparison[4] as original_value,
        coalesce(indicators.valid_from_at, indicators.created_at) as first_seen_at,
        greatest(indicators.valid_from_at, indicators.modified_at, indicators.created_at)
            as last_seen_at,
        indicators.confidence_text
    from indicators
    left join read_patterns on indicators.stix_pattern = read_patterns.pattern
    left join comparisons on read_patterns.pattern = comparisons.pattern
)

select * from final
