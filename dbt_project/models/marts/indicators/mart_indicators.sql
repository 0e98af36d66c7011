{#- One row per canonical indicator, corroborated across partners. Observations members may
    not read (AMBER+STRICT, RED) are removed before anything is joined or counted, so nothing
    here reveals that they exist.
    A night recomputes, whole, the indicators a record changed tonight yields
    (indicator_keys_changed_tonight) and those whose linked names are no longer what it holds
    (indicator_keys_relinked_tonight: a link, an actor's name or a campaign can come from
    another file), after deleting what it held for them: the indicators it no longer holds. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_tonight(
        'target.indicator_key in (' ~ indicator_keys_changed_tonight() ~ ')'
        ~ ' or target.indicator_key in (' ~ indicator_keys_relinked_tonight() ~ ')'
    ) }}"
) }}
-- depends_on: {{ ref('int_indicator_observations_typed') }}
-- depends_on: {{ ref('int_records_superseded') }}
with

indicators as (
    select every_report.*
    from {{ ref('int_indicators_normalized') }} as every_report
    {% if is_incremental() -%}
        anti join {{ this }} as held on every_report.indicator_key = held.indicator_key
    {%- endif %}
),

linked_names as (
    select * from {{ ref('int_indicator_link_names') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

shareable as (
    select
        indicators.*,
        tlp_levels.restriction_rank,
        {{ readable_by('public', 'indicators.tlp') }} as is_public
    from indicators
    inner join tlp_levels on indicators.tlp = tlp_levels.tlp
    where {{ readable_by('members', 'indicators.tlp') }}
),

aggregated as (
    select
        indicator_key,
        any_value(indicator_type) as indicator_type,
        any_value(value) as value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(distinct partner_id) as source_count,
        count(distinct file_sha256 || '|' || record_locator) as report_count,
        max(confidence) as max_confidence,
        arg_max(tlp, restriction_rank) as tlp,
        count(distinct partner_id) filter (where is_public) as public_source_count,
        count(distinct file_sha256 || '|' || record_locator) filter (where is_public)
            as public_report_count,
        min(first_seen_at) filter (where is_public) as public_first_seen_at,
        max(last_seen_at) filter (where is_public) as public_last_seen_at
    from shareable
    group by indicator_key
),

final as (
    select
        aggregated.indicator_key::varchar as indicator_key,
        aggregated.indicator_type::varchar as indicator_type,
        aggregated.value::varchar as value,
        aggregated.first_seen_at::timestamptz as first_seen_at,
        aggregated.last_seen_at::timestamptz as last_seen_at,
        aggregated.source_count::integer as source_count,
        aggregated.report_count::integer as report_count,
        aggregated.max_confidence::integer as max_confidence,
        aggregated.tlp::varchar as tlp,
        coalesce(linked_names.actor_names, [])::varchar [] as actor_names,
        coalesce(linked_names.campaign_names, [])::varchar [] as campaign_names,
        aggregated.public_source_count::integer as public_source_count,
        aggregated.public_report_count::integer as public_report_count,
        aggregated.public_first_seen_at::timestamptz as public_first_seen_at,
        aggregated.public_last_seen_at::timestamptz as public_last_seen_at
    from aggregated
    left join linked_names on aggregated.indicator_key = linked_names.indicator_key
)

select
    indicator_key,
    indicator_type,
    value,
    first_seen_at,
    last_seen_at,
    source_count,
    report_count,
    max_confidence,
    tlp,
    actor_names,
    campaign_names,
    public_source_count,
    public_report_count,
    public_first_seen_at,
    public_last_seen_at
from final
