{#- Every record or value that could not be normalized, with the reason. Nothing is dropped
    silently: what is not in the canonical model is here. -#}
with

landed as (
    select * from {{ ref('stg_raw__landed_records') }}
),

indicator_observations as (
    select * from {{ ref('int_indicator_observations_typed') }}
),

damaged_records as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        'damaged_record' as reason_code,
        parse_error as reason,
        record_text as raw_value
    from landed
    where parse_error is not null
),

rejected_indicators as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_locator,
        rejection_code as reason_code,
        rejection_reason as reason,
        coalesce(original_value, source_context) as raw_value
    from indicator_observations
    where rejection_code is not null
),

final as (
    select * from damaged_records
    union all
    select * from rejected_indicators
)

select * from final
