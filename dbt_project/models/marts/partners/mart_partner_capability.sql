{#- One row per partner: its capability on four measured dimensions and the tier each reaches
    under the thresholds in the capability_thresholds seed (below bronze: developing). -#}
with

partners as (
    select * from {{ ref('partners') }}
),

scorecard as (
    select * from {{ ref('mart_partner_scorecard') }}
),

file_measures as (
    select * from {{ ref('int_partner_file_measures') }}
),

thresholds as (
    select * from {{ ref('capability_thresholds') }}
),

delivery as (
    select
        partner_id,
        sum(records_received) as records_received,
        sum(records_quarantined) as records_quarantined,
        avg(records_received) as records_per_month
    from scorecard
    group by partner_id
),

timeliness as (
    select
        partner_id,
        100.0 * sum(timely_count)::bigint / nullif(sum(dated_count)::bigint, 0)
            as timely_percent
    from file_measures
    group by partner_id
),

coverage as (
    select
        file_measures.partner_id,
        count(distinct delivered.kind) as kinds_delivered
    from file_measures
    cross join unnest(file_measures.kinds) as delivered (kind)
    group by file_measures.partner_id
),

measures as (
    select
        partners.partner_id,
        timeliness.timely_percent as timeliness,
        100.0 * (delivery.records_received - delivery.records_quarantined)
        / nullif(delivery.records_received, 0) as data_quality,
        delivery.records_per_month as volume,
        coalesce(coverage.kinds_delivered, 0) as coverage
    from partners
    left join delivery on partners.partner_id = delivery.partner_id
    left join timeliness on partners.partner_id = timeliness.partner_id
    left join coverage on partners.partner_id = coverage.partner_id
),

long_measures as (
    select
        partner_id,
        'timeliness' as dimension,
        timeliness as measure
    from measures
    union all
    select
        partner_id,
        'data_quality' as dimension,
        data_quality as measure
    from measures
    union all
    select
        partner_id,
        'volume' as dimension,
        volume as measure
    from measures
    union all
    select
        partner_id,
        'coverage' as dimension,
        coverage as measure
    from measures
),

tiers as (
    select
        long_measures.partner_id,
        long_measures.dimension,
        coalesce(
            arg_max(thresholds.tier, thresholds.min_value)
            filter (where long_measures.measure >= thresholds.min_value),
            'developing'
        ) as tier
    from long_measures
    left join thresholds on long_measures.dimension = thresholds.dimension
    group by long_measures.partner_id, long_measures.dimension
),

final as (
    select
        measures.partner_id::varchar as partner_id,
        partners.partner_name::varchar as partner_name,
        partners.partner_kind::varchar as partner_kind,
        round(measures.timeliness, 1)::double as timeliness_percent,
        round(measures.data_quality, 1)::double as acceptance_percent,
        round(measures.volume, 1)::double as records_per_month,
        measures.coverage::integer as kinds_delivered,
        coalesce(
            max(tiers.tier) filter (where tiers.dimension = 'timeliness'), 'developing'
        )::varchar
            as timeliness_tier,
        coalesce(
            max(tiers.tier) filter (where tiers.dimension = 'data_quality'), 'developing'
        )::varchar
            as data_quality_tier,
        coalesce(max(tiers.tier) filter (where tiers.dimension = 'volume'), 'developing')::varchar
            as volume_tier,
        coalesce(max(tiers.tier) filter (where tiers.dimension = 'coverage'), 'developing')::varchar
            as coverage_tier
    from measures
    inner join partners on measures.partner_id = partners.partner_id
    left join tiers on measures.partner_id = tiers.partner_id
    group by all
)

select
    partner_id,
    partner_name,
    partner_kind,
    timeliness_percent,
    acceptance_percent,
    records_per_month,
    kinds_delivered,
    timeliness_tier,
    data_quality_tier,
    volume_tier,
    coverage_tier
from final
