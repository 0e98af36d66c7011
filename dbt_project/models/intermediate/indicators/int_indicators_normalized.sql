{#- The canonical indicators: one row per source record x observable that normalized cleanly,
    leaving out records the partner's later version supersedes. -#}
with

observations as (
    select * from {{ ref('int_indicator_observations_typed') }}
),

superseded as (
    select * from {{ ref('int_records_superseded') }}
),

current_versions as (
    {{ without_superseded('observations') }}
),

final as (
    select
        md5(indicator_type || '|' || canonical_value) as indicator_key,
        indicator_type,
        canonical_value as value,
        original_value,
        partner_id,
        file_sha256,
        delivered_on,
        source_format,
        record_locator,
        source_object_id,
        first_seen_at,
        last_seen_at,
        confidence,
        tlp
    from current_versions
    where rejection_code is null
)

select * from final
