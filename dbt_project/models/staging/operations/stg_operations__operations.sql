with

landed as (
    {{ landed_records('operation_report', 'operation') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.name' as operation_name,
        record_json ->> '$.announced_on' as announced_on_text,
        {{ landed_plausible_date('announced_on') }} as announced_on,
        record_json ->> '$.lead_agency' as lead_agency,
        json_extract_string(record_json, '$.target_actors[*]') as target_actor_names,
        json_extract_string(record_json, '$.participating_partners[*]') as participating_partners,
        record_json ->> '$.tlp' as tlp_text,
        try_cast(record_json ->> '$.metrics.servers_seized' as integer) as servers_seized,
        try_cast(record_json ->> '$.metrics.domains_seized' as integer) as domains_seized,
        try_cast(record_json ->> '$.metrics.arrests' as integer) as arrests,
        try_cast(record_json ->> '$.metrics.decryption_keys' as integer) as decryption_keys,
        try_cast(
            record_json ->> '$.metrics.crypto_accounts_frozen' as integer
        ) as crypto_accounts_frozen,
        try_cast(record_json ->> '$.metrics.funds_frozen_usd' as double) as funds_frozen_usd,
        try_cast(record_json ->> '$.metrics.victims_notified' as integer) as victims_notified,
        record_json -> '$.metrics' as metrics_json,
        record_json::varchar as operation_text
    from landed
)

select * from renamed
