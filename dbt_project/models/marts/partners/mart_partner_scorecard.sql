{#- Partner x delivery month: what the partner delivered, what became of it, and what its
    indicators contributed. Indicator figures come from mart_indicator_reports (shareable,
    member-readable reports only, and its first-report rule), so no figure reveals restricted data;
    file and record counts describe deliveries as registered. -#}
with

drop_files as (
    select * from {{ ref('mart_drop_files') }}
    where partner_id is not null and delivered_on is not null
),

indicator_reports as (
    select * from {{ ref('mart_indicator_reports') }}
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

contributions as (
    select
        partner_id,
        date_trunc('month', delivered_on)::date as month,
        count(distinct indicator_key) as unique_indicators,
        count(distinct indicator_key) filter (where is_first_report)
            as first_reported_indicators,
        count(distinct indicator_key) filter (where partner_count > 1)
            as corroborated_indicators
    from indicator_reports
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
