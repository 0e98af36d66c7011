{{ config(
    tags=['integrity'],
    meta={
        'dagster': {'ref': {'name': 'int_record_outcomes'}},
        'description': 'Per loaded file, records received = accepted + context + withdrawn + superseded + quarantined, each record once',
    },
) }}
{#- Gate: per loaded file, records received = accepted + context + withdrawn + superseded +
    quarantined, each landed record counted once (no record without an outcome, none with two).
    In the nightly's build of an ordinary night it reads the files whose outcomes the night
    may change (files_changed_tonight: its own, and those holding a record it supersedes):
    int_record_outcomes keeps every other record's outcome as the night that passed it wrote
    it, and a file landed again, whose count would change, fails
    assert_registry_counts_match_landing, which reads every file. -#}
-- depends_on: {{ ref('int_records_superseded') }}
{%- set tonight = files_changed_tonight('file_sha256') if gates_read_tonight() else 'true' %}
with

registry as (
    select * from {{ ref('stg_raw__drop_files') }}
    where file_status = 'loaded' and {{ tonight }}
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
    where {{ tonight }}
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
