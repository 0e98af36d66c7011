{#- Partner x delivery month: what the partner delivered, what became of it, and what its
    indicators contributed. Indicator figures count shareable (non-RED) reports only, so no
    figure reveals restricted data; file and record counts describe deliveries as registered. -#}
with

drop_files as (
    select * from {{ ref('mart_drop_files') }}
    where partner_id is not null and delivered_on is not null
),

indicators as (
    select * from {{ ref('int_indicators_normalized') }}
    where tlp <> 'red'
),

partners as (
    select * from {{ ref('partners') }}
),

files_per_month as (
    select
        partner_id,
        date_trunc('month', delivered_on)::date as month,
        count(*) as files_received,
        count(*) filter (where file_status = 'rejected') as files_rejected,
        sum(records_received) as records_received,
        sum(records_accepted) as records_accepted,
        sum(records_quarantined) as records_quarantined
    from drop_files
    group by all
),

own_indicators as (
    select
        partner_id,
        date_trunc('month', delivered_on)::date as month,
        indicator_key,
        min(coalesce(first_seen_at, delivered_on::timestamptz)) as first_reported_at
    from indicators
    group by all
),

others_shareable as (
    select
        indicator_key,
        partner_id,
        min(coalesce(first_seen_at, delivered_on::timestamptz)) as first_reported_at
    from indicators
    group by all
),

contributions as (
    select
        own_indicators.partner_id,
        own_indicators.month,
        count(distinct own_indicators.indicator_key) as unique_indicators,
        count(distinct own_indicators.indicator_key) filter (
            where not exists (
                select 1 from others_shareable
                where
                    others_shareable.indicator_key = own_indicators.indicator_key
                    and others_shareable.partner_id <> own_indicators.partner_id
                    and others_shareable.first_reported_at <= own_indicators.first_reported_at
            )
        ) as first_reported_indicators,
        count(distinct own_indicators.indicator_key) filter (
            where exists (
                select 1 from others_shareable
                where
                    others_shareable.indicator_key = own_indicators.indicator_key
                    and others_shareable.partner_id <> own_indicators.partner_id
            )
        ) as corroborated_indicators
    from own_indicators
    group by all
),

final as (
    select
        files_per_month.partner_id::varchar as partner_id,
        files_per_month.month::date as month,
        files_per_month.files_received::integer as files_received,
        files_per_month.files_rejected::integer as files_rejected,
        files_per_month.records_received::bigint as records_received,
        files_per_month.records_accepted::bigint as records_accepted,
        files_per_month.records_quarantined::bigint as records_quarantined,
        coalesce(contributions.unique_indicators, 0)::integer as unique_indicators,
        coalesce(contributions.first_reported_indicators, 0)::integer as first_reported_indicators,
        coalesce(contributions.corroborated_indicators, 0)::integer as corroborated_indicators
    from files_per_month
    inner join partners on files_per_month.partner_id = partners.partner_id
    left join contributions
        on
            files_per_month.partner_id = contributions.partner_id
            and files_per_month.month = contributions.month
)

select
    partner_id,
    month,
    files_received,
    files_rejected,
    records_received,
    records_accepted,
    records_quarantined,
    unique_indicators,
    first_reported_indicators,
    corroborated_indicators
from final
