{#- Quarantine reasons per partner and file: one row per file x reason code, with how many
    records it touched and up to three example values (only those mart_quarantine shows). -#}
with

quarantine as (
    select * from {{ ref('mart_quarantine') }}
),

final as (
    select
        partner_id::varchar as partner_id,
        file_sha256::varchar as file_sha256,
        any_value(file_name)::varchar as file_name,
        any_value(delivered_on)::date as delivered_on,
        reason_code::varchar as reason_code,
        count(distinct record_locator)::integer as record_count,
        sum(quarantine_count)::integer as quarantine_count,
        list_sort(list_distinct(list(example_value)))[1:3]::varchar [] as example_values
    from quarantine
    group by partner_id, file_sha256, reason_code
)

select
    partner_id,
    file_sha256,
    file_name,
    delivered_on,
    reason_code,
    record_count,
    quarantine_count,
    example_values
from final
