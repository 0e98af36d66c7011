{{ config(
    tags=['integrity'],
    meta={
        'dagster': {'ref': {'name': 'int_record_outcomes'}},
        'description': 'Per loaded file, records received = accepted + context + withdrawn + superseded + quarantined, each record once',
    },
) }}
{#- Gate: per loaded file, records received = accepted + context + withdrawn + superseded +
    quarantined,
    each landed record counted once (no record without an outcome, none with two). -#}
with

registry as (
    select * from {{ ref('stg_raw__drop_files') }}
    where file_status = 'loaded'
),

outcomes as (
    select
        file_sha256,
        count(*) filter (where outcome = 'accepted') as records_accepted,
        count(*) filter (where outcome = 'context') as records_context,
        count(*) filter (where outcome = 'withdrawn') as records_withdrawn,
        count(*) filter (where outcome = 'superseded') as records_superseded,
        count(*) filter (where outcome = 'quarantined') as records_quarantined,
        count(distinct record_locator) as records_with_an_outcome
    from {{ ref('int_record_outcomes') }}
    group by file_sha256
),

compared as (
    select
        registry.file_name,
        registry.records_received,
        coalesce(outcomes.records_accepted, 0) as records_accepted,
        coalesce(outcomes.records_context, 0) as records_context,
        coalesce(outcomes.records_withdrawn, 0) as records_withdrawn,
        coalesce(outcomes.records_superseded, 0) as records_superseded,
        coalesce(outcomes.records_quarantined, 0) as records_quarantined,
        coalesce(outcomes.records_with_an_outcome, 0) as records_with_an_outcome
    from registry
    left join outcomes on registry.file_sha256 = outcomes.file_sha256
)

select * from compared
where
    records_received
    <> records_accepted + records_context + records_withdrawn + records_superseded
    + records_quarantined
    or records_received <> records_with_an_outcome
