{#- One row per delivered file: the registry, with what became of its records (accepted +
    context + withdrawn + superseded + quarantined = received for a loaded file). -#}
with

registry as (
    select * from {{ ref('stg_raw__drop_files') }}
),

outcomes as (
    select
        file_sha256,
        count(*) filter (where outcome = 'accepted') as records_accepted,
        count(*) filter (where outcome = 'context') as records_context,
        count(*) filter (where outcome = 'withdrawn') as records_withdrawn,
        count(*) filter (where outcome = 'superseded') as records_superseded,
        count(*) filter (where outcome = 'quarantined') as records_quarantined
    from {{ ref('int_record_outcomes') }}
    group by file_sha256
),

final as (
    select
        registry.drop_file_key::varchar as drop_file_key,
        registry.file_sha256::varchar as file_sha256,
        registry.partner_id::varchar as partner_id,
        registry.delivered_on::date as delivered_on,
        registry.file_name::varchar as file_name,
        registry.file_format::varchar as file_format,
        registry.file_status::varchar as file_status,
        registry.error_message::varchar as error_message,
        registry.records_received::bigint as records_received,
        case
            when registry.file_status = 'loaded' then coalesce(outcomes.records_accepted, 0)
            else 0
        end::bigint as records_accepted,
        case
            when registry.file_status = 'loaded' then coalesce(outcomes.records_context, 0)
            else 0
        end::bigint as records_context,
        case
            when registry.file_status = 'loaded' then coalesce(outcomes.records_withdrawn, 0)
            else 0
        end::bigint as records_withdrawn,
        case
            when registry.file_status = 'loaded' then coalesce(outcomes.records_superseded, 0)
            else 0
        end::bigint as records_superseded,
        case
            when registry.file_status = 'loaded' then coalesce(outcomes.records_quarantined, 0)
            else 0
        end::bigint as records_quarantined,
        registry.registered_at::timestamptz as registered_at
    from registry
    left join outcomes on registry.file_sha256 = outcomes.file_sha256
)

select
    drop_file_key,
    file_sha256,
    partner_id,
    delivered_on,
    file_name,
    file_format,
    file_status,
    error_message,
    records_received,
    records_accepted,
    records_context,
    records_withdrawn,
    records_superseded,
    records_quarantined,
    registered_at
from final
