with

landed as (
    {{ landed_records('table', 'claim') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.claim_ref' as claim_ref,
        {{ landed_time('loss_date', 'loss_date') }},
        record_json ->> '$.insured' as insured_name,
        record_json ->> '$.industry' as industry_text,
        record_json ->> '$.country' as country_text,
        record_json ->> '$.actor' as actor_name,
        record_json ->> '$.ransom_paid' as ransom_paid_text,
        record_json ->> '$.currency' as currency_text,
        record_json ->> '$.interruption_days' as interruption_days_text,
        record_json ->> '$.total_loss' as total_loss_text,
        record_json ->> '$.tlp' as tlp_text,
        record_json -> '$.extra' as extra_columns,
        original as original_row
    from landed
)

select * from renamed
