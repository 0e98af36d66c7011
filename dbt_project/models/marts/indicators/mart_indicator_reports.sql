{#- Who reported which indicator on which delivery day: one row per indicator x partner x
    delivery date, from member-readable (clear, green, amber) reports only. A partner is the indicator's first
    reporter on a day when its earliest report that day (its first_seen, else the delivery
    date) is earlier than every other partner's earliest report of it: the rule the
    scorecard counts and the feedback reports list.
    A night recomputes the indicators its files change (indicator_keys_changed_tonight), whole,
    after deleting what it held for them. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_tonight(
        'target.indicator_key in (' ~ indicator_keys_changed_tonight() ~ ')'
    ) }}"
) }}
-- depends_on: {{ ref('int_indicator_observations_typed') }}
-- depends_on: {{ ref('int_records_superseded') }}
with

indicators as (
    select * from {{ ref('int_indicators_normalized') }}
    {% if is_incremental() -%}
        where indicator_key in ({{ indicator_keys_changed_tonight() }})
    {%- endif %}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

shareable as (
    select
        indicators.*,
        coalesce(indicators.first_seen_at, indicators.delivered_on::timestamptz)
            as reported_at,
        tlp_levels.restriction_rank,
        {{ readable_by('public', 'indicators.tlp') }} as is_public
    from indicators
    inner join tlp_levels on indicators.tlp = tlp_levels.tlp
    where {{ readable_by('members', 'indicators.tlp') }}
),

per_day as (
    select
        indicator_key,
        partner_id,
        delivered_on,
        any_value(indicator_type) as indicator_type,
        any_value(value) as value,
        count(distinct file_sha256 || '|' || record_locator) as report_count,
        min(reported_at) as first_reported_at,
        min(first_seen_at) as first_seen_at,
        max(coalesce(last_seen_at, first_seen_at)) as last_seen_at,
        max(confidence) as max_confidence,
        arg_max(tlp, restriction_rank) as tlp,
        count(distinct file_sha256 || '|' || record_locator) filter (where is_public)
            as public_report_count
    from shareable
    group by indicator_key, partner_id, delivered_on
),

per_partner as (
    select
        indicator_key,
        partner_id,
        min(first_reported_at) as first_reported_at
    from per_day
    group by indicator_key, partner_id
),

final as (
    select
        per_day.indicator_key::varchar as indicator_key,
        per_day.indicator_type::varchar as indicator_type,
        per_day.value::varchar as value,
        per_day.partner_id::varchar as partner_id,
        per_day.delivered_on::date as delivered_on,
        per_day.report_count::integer as report_count,
        per_day.first_seen_at::timestamptz as first_seen_at,
        per_day.last_seen_at::timestamptz as last_seen_at,
        per_day.first_reported_at::timestamptz as first_reported_at,
        per_day.max_confidence::integer as max_confidence,
        per_day.tlp::varchar as tlp,
        per_day.public_report_count::integer as public_report_count,
        (
            select count(*) from per_partner as everyone
            where everyone.indicator_key = per_day.indicator_key
        )::integer as partner_count,
        not exists (
            select 1 from per_partner as other_partners
            where
                other_partners.indicator_key = per_day.indicator_key
                and other_partners.partner_id <> per_day.partner_id
                and other_partners.first_reported_at <= per_day.first_reported_at
        ) as is_first_report
    from per_day
)

select
    indicator_key,
    indicator_type,
    value,
    partner_id,
    delivered_on,
    report_count,
    first_seen_at,
    last_seen_at,
    first_reported_at,
    max_confidence,
    tlp,
    public_report_count,
    partner_count,
    is_first_report
from final
