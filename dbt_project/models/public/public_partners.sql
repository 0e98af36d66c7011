{#- Every partner as the public may see it: named only when its agreement allows, otherwise a
    stable anonymous label; what it contributed in TLP:CLEAR data. -#}
with

partners as (
    select * from {{ ref('partners') }}
),

indicators as (
    select * from {{ ref('int_indicators_normalized') }}
    where tlp = 'clear'
),

operations as (
    select * from {{ ref('int_operations_normalized') }}
    where tlp = 'clear'
),

labelled as (
    select
        partner_id,
        partner_kind,
        public_attribution,
        case
            when public_attribution then partner_name
            else
                'Anonymous ' || partner_kind || ' '
                || row_number() over (partition by partner_kind order by joined_on, partner_id)
        end as partner_label,
        case when public_attribution then country_code end as country_code
    from partners
),

shared as (
    select
        partner_id,
        count(distinct indicator_key) as indicators_shared
    from indicators
    group by partner_id
),

supported as (
    select
        participants.partner_id,
        count(distinct operations.operation_key) as operations_supported
    from operations
    cross join unnest(operations.participating_partners) as participants (partner_id)
    group by participants.partner_id
),

final as (
    select
        labelled.partner_label::varchar as partner_label,
        labelled.partner_kind::varchar as partner_kind,
        labelled.country_code::varchar as country_code,
        labelled.public_attribution::boolean as is_named,
        coalesce(shared.indicators_shared, 0)::integer as indicators_shared,
        coalesce(supported.operations_supported, 0)::integer as operations_supported
    from labelled
    left join shared on labelled.partner_id = shared.partner_id
    left join supported on labelled.partner_id = supported.partner_id
)

select
    partner_label,
    partner_kind,
    country_code,
    is_named,
    indicators_shared,
    operations_supported
from final
