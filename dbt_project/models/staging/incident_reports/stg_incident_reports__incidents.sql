with

landed as (
    {{ landed_records('table', 'incident') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.incident_id' as incident_id,
        {{ landed_time('reported_on', 'reported_on') }},
        record_json ->> '$.victim_name' as victim_name,
        record_json ->> '$.victim_sector' as victim_sector_text,
        record_json ->> '$.victim_country' as victim_country_text,
        record_json ->> '$.actor' as actor_name,
        record_json ->> '$.ransom_demanded' as ransom_demanded_text,
        record_json ->> '$.ransom_paid' as ransom_paid_text,
        record_json ->> '$.currency' as currency_text,
        record_json ->> '$.downtime_hours' as downtime_hours_text,
        record_json ->> '$.tlp' as tlp_text,
        record_json -> '$.extra' as extra_columns,
        original as original_line
    from landed
)

select * from renamed
