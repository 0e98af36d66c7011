{#- How often each indicator was seen, per day and reporting partner: one row per indicator x
    UTC day of the sighting (its first_seen) x partner, from member-readable sightings that
    normalized cleanly and that no later version supersedes.
    A night recomputes, whole, the indicators whose sightings its files change
    (sighting_keys_changed_tonight), after deleting what it held for them. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_tonight(
        'target.indicator_key in (' ~ sighting_keys_changed_tonight() ~ ')'
    ) }}"
) }}
with

recomputed as (
    select * from {{ ref('int_sightings_normalized') }}
    {% if is_incremental() -%}
        where indicator_key in ({{ sighting_keys_changed_tonight() }})
    {%- endif %}
),

sightings as (
    select * from recomputed
    where
        rejection_code is null
        and first_seen_at is not null
        and {{ readable_by('members', 'tlp') }}
),

superseded as (
    select * from {{ ref('int_records_superseded') }}
),

current_versions as (
    {{ without_superseded('sightings') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

final as (
    select
        current_versions.indicator_key::varchar as indicator_key,
        any_value(current_versions.indicator_type)::varchar as indicator_type,
        any_value(current_versions.value)::varchar as value,
        (current_versions.first_seen_at at time zone 'UTC')::date as sighted_on,
        current_versions.partner_id::varchar as partner_id,
        count(*)::integer as report_count,
        sum(coalesce(current_versions.sighting_count, 1))::bigint as sighting_count,
        min(current_versions.first_seen_at)::timestamptz as first_seen_at,
        max(coalesce(current_versions.last_seen_at, current_versions.first_seen_at))::timestamptz
            as last_seen_at,
        list_sort(list_distinct(list(current_versions.sensor_country_code)))::varchar []
            as sensor_country_codes,
        arg_max(current_versions.tlp, tlp_levels.restriction_rank)::varchar as tlp
    from current_versions
    inner join tlp_levels on current_versions.tlp = tlp_levels.tlp
    group by
        current_versions.indicator_key,
        (current_versions.first_seen_at at time zone 'UTC')::date,
        current_versions.partner_id
)

select
    indicator_key,
    indicator_type,
    value,
    sighted_on,
    partner_id,
    report_count,
    sighting_count,
    first_seen_at,
    last_seen_at,
    sensor_country_codes,
    tlp
from final
