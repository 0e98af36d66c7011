{#- Which canonical actors each operation targeted, from every report of it (a report whose
    name has no letter or digit names no operation: it is quarantined). -#}
with

reports as (
    select * from {{ ref('stg_operations__operations') }}
    where parse_error is null
),

actor_mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
    where source_format = 'operation_report' and actor_key is not null
),

final as (
    select distinct
        {{ alias_key('reports.operation_name') }} as operation_key,
        actor_mentions.actor_key
    from reports
    inner join actor_mentions
        on
            reports.file_sha256 = actor_mentions.file_sha256
            and reports.record_locator = actor_mentions.record_locator
    where {{ alias_key('reports.operation_name') }} is not null
)

select * from final
