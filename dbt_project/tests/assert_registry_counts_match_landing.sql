{{ config(
    tags=['integrity'],
    meta={
        'dagster': {'ref': {'name': 'stg_raw__drop_files'}},
        'description': 'Every loaded file has as many landed records as the registry says, and no landed record belongs to a file not registered as loaded',
    },
) }}
{#- Gate: every loaded file's records_received equals the records present in landing, and no
    landed record belongs to a file the registry does not list as loaded. -#}
with

registry as (
    select * from {{ ref('stg_raw__drop_files') }}
    where file_status = 'loaded'
),

landed as (
    select
        file_sha256,
        count(*) as landed_records
    from {{ ref('stg_raw__landed_records') }}
    group by file_sha256
),

compared as (
    select
        coalesce(registry.file_sha256, landed.file_sha256) as file_sha256,
        registry.file_name,
        registry.records_received,
        coalesce(landed.landed_records, 0) as landed_records
    from registry
    full outer join landed on registry.file_sha256 = landed.file_sha256
)

select * from compared
where records_received is distinct from landed_records
