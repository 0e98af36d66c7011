{#- Every partner as the public may see it: named only when its agreement allows. An anonymous
    partner's label gives its kind only when at least var('public_min_count') anonymous
    partners share that kind, else it reads "Anonymous partner N", so no label stands for the
    one partner of a kind; numbers follow a hash of the partner id, not the joining order. An
    anonymous partner's counts are suppressed like every small public count. Counts come from
    the marts: TLP:CLEAR reports (mart_indicator_reports) and TLP:CLEAR operations
    (mart_operation_impact). -#}
with

partners as (
    select * from {{ ref('partners') }}
),

indicator_reports as (
    select * from {{ ref('mart_indicator_reports') }}
    where public_report_count > 0
),

operations as (
    select * from {{ ref('mart_operation_impact') }}
    where {{ readable_by('public', 'tlp') }}
),

anonymous_kinds as (
    select
        partner_kind,
        count(*) >= {{ var('public_min_count') }} as is_shown
    from partners
    where not public_attribution
    group by partner_kind
),

anonymous as (
    select
        partners.partner_id,
        case when anonymous_kinds.is_shown then partners.partner_kind end as shown_kind
    from partners
    inner join anonymous_kinds on partners.partner_kind = anonymous_kinds.partner_kind
    where not partners.public_attribution
),

labelled as (
    select
        partners.partner_id,
        partners.public_attribution,
        case
            when partners.public_attribution then partners.partner_kind
            else anonymous.shown_kind
        end as partner_kind,
        case
            when partners.public_attribution then partners.partner_name
            else
                'Anonymous ' || coalesce(anonymous.shown_kind, 'partner') || ' '
                || row_number() over (
                    partition by partners.public_attribution, anonymous.shown_kind
                    order by md5(partners.partner_id)
                )
        end as partner_label,
        case when partners.public_attribution then partners.country_code end as country_code
    from partners
    left join anonymous on partners.partner_id = anonymous.partner_id
),

shared as (
    select
        partner_id,
        count(distinct indicator_key) as indicators_shared
    from indicator_reports
    group by partner_id
),

supported as (
    select
        participants.partner_id,
        count(distinct operations.operation_key) as operations_supported
    from operations
    cross join unnest(operations.partner_ids) as participants (partner_id)
    group by participants.partner_id
),

counted as (
    select
        labelled.*,
        coalesce(shared.indicators_shared, 0) as indicators_shared,
        coalesce(supported.operations_supported, 0) as operations_supported
    from labelled
    left join shared on labelled.partner_id = shared.partner_id
    left join supported on labelled.partner_id = supported.partner_id
),

final as (
    select
        partner_label::varchar as partner_label,
        partner_kind::varchar as partner_kind,
        country_code::varchar as country_code,
        public_attribution::boolean as is_named,
        case
            when public_attribution then indicators_shared
            else {{ suppress_small('indicators_shared') }}
        end::integer as indicators_shared,
        case
            when public_attribution then operations_supported
            else {{ suppress_small('operations_supported') }}
        end::integer as operations_supported
    from counted
)

select
    partner_label,
    partner_kind,
    country_code,
    is_named,
    indicators_shared,
    operations_supported
from final
