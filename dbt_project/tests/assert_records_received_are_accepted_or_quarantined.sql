{{ config(meta={'dagster': {'ref': {'name': 'int_record_outcomes'}}}) }}
{#- Gate: per loaded file, records received = records accepted + records quarantined. -#}
with

registry as (
    select * from {{ ref('stg_raw__drop_files') }}
    where file_status = 'loaded'
),

outcomes as (
    select
        file_sha256,
        count(*) filter (where outcome = 'accepted') as records_accepted,
        count(*) filter (where outcome = 'quarantined') as records_quarantined
    from {{ ref('int_record_outcomes') }}
    group by file_sha256
)

select
    registry.file_name,
    registry.records_received,
    coalesce(outcomes.records_accepted, 0) as records_accepted,
    coalesce(outcomes.records_quarantined, 0) as records_quarantined
from registry
left join outcomes on registry.file_sha256 = outcomes.file_sha256
where
    registry.records_received
    <> coalesce(outcomes.records_accepted, 0) + coalesce(outcomes.records_quarantined, 0)
