{{ config(
    tags=['integrity'],
    meta={
        'dagster': {'ref': {'name': 'int_record_outcomes'}},
        'description': 'Nothing is dropped silently: a record that feeds nothing has a record-level reason in the quarantine',
    },
) }}
{#- Gate: nothing is dropped silently. A record that feeds nothing in the canonical model must
    have a record-level reason in the quarantine. -#}
with

outcomes as (
    select * from {{ ref('int_record_outcomes') }}
    where outcome = 'quarantined'
),

reasons as (
    select distinct
        file_sha256,
        record_locator
    from {{ ref('int_quarantine') }}
    where field_name is null
)

select outcomes.*
from outcomes
left join reasons
    on
        outcomes.file_sha256 = reasons.file_sha256
        and outcomes.record_locator = reasons.record_locator
where reasons.file_sha256 is null
