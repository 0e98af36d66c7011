{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Sightings of indicators by partner sensors (JSON lines, CSV or XLSX), with the indicator in
    canonical form so they join mart_indicators, the sensor country as ISO alpha-2, and times
    in UTC (read as the partner writes them, see ccw_utc_time). A sighting whose indicator
    cannot be read (unknown type, invalid value, a JSON object or list) carries a
    rejection_code; an unreadable time, count or country only costs that field. Each file's
    sightings depend on that file and the reference seeds alone, so a night normalizes only
    its new files (a change of rules rebuilds the table). -#}
with

sightings as (
    select * from {{ ref('stg_sightings__sightings') }}
    where parse_error is null and {{ only_new_files() }}
),

partners as (
    select * from {{ ref('partners') }}
),

indicator_types as (
    select * from {{ ref('int_indicator_types_keyed') }}
    where vocabulary = 'type_word' and component = 0
),

country_spellings as (
    select * from {{ ref('int_country_spellings_unioned') }}
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

typed as (
    select
        sightings.*,
        {#- a marking that is no TLP level is read as the most restrictive one -#}
        case
            when nullif(trim(sightings.tlp_text), '') is null then partners.default_tlp
            else coalesce(tlp_spellings.tlp, 'red')
        end as tlp,
        case
            when nullif(trim(sightings.tlp_text), '') is not null and tlp_spellings.tlp is null
                then sightings.tlp_text
        end as unknown_marking,
        partners.date_order,
        sightings.source_format = 'xlsx' as is_workbook,
        case when sightings.first_seen_is_utc then 'UTC' else partners.timezone end
            as first_seen_zone,
        case when sightings.last_seen_is_utc then 'UTC' else partners.timezone end
            as last_seen_zone,
        indicator_types.type_key is not null as is_known_type,
        ccw_indicator_type(indicator_types.indicator_type, sightings.indicator_value)
            as indicator_type
    from sightings
    left join partners on sightings.partner_id = partners.partner_id
    left join indicator_types
        on ccw_type_key(sightings.indicator_type_text) = indicator_types.type_key
    left join tlp_spellings on lower(trim(sightings.tlp_text)) = tlp_spellings.spelling
),

canonical as (
    select
        *,
        ccw_indicator_value(indicator_type, indicator_value) as value,
        ccw_utc_time(first_seen_text, first_seen_zone, date_order, serials := is_workbook)
            as first_seen_read,
        ccw_utc_time(last_seen_text, last_seen_zone, date_order, serials := is_workbook)
            as last_seen_read
    from typed
),

timed as (
    select
        *,
        case
            when not ccw_time_is_implausible(first_seen_read, delivered_on) then first_seen_read
        end as first_seen_time,
        case
            when not ccw_time_is_implausible(last_seen_read, delivered_on) then last_seen_read
        end as last_seen_time,
        list_filter(
            [
                case
                    when ccw_time_is_implausible(first_seen_read, delivered_on)
                        then 'first_seen: ' || first_seen_text
                end,
                case
                    when ccw_time_is_implausible(last_seen_read, delivered_on)
                        then 'last_seen: ' || last_seen_text
                end
            ],
            problem -> problem is not null
        ) as implausible_times
    from canonical
),

final as (
    select
        timed.file_sha256,
        timed.partner_id,
        timed.record_locator,
        timed.indicator_type,
        timed.value,
        {{ indicator_key('timed.indicator_type', 'timed.value') }} as indicator_key,
        timed.first_seen_time as first_seen_at,
        coalesce(timed.last_seen_time, timed.first_seen_time) as last_seen_at,
        case when timed.sighting_count >= 0 then timed.sighting_count end
            as sighting_count,
        country_spellings.country_code as sensor_country_code,
        timed.tlp,
        case
            when
                timed.indicator_value_json_type in ('OBJECT', 'ARRAY')
                or timed.indicator_type_json_type in ('OBJECT', 'ARRAY')
                then 'value_not_scalar'
            when
                nullif(trim(timed.indicator_type_text), '') is not null
                and not timed.is_known_type
                then 'unknown_type'
            when not ccw_indicator_is_valid(timed.indicator_type, timed.value)
                then 'invalid_value'
        end as rejection_code,
        list_filter(
            [
                case
                    when
                        nullif(trim(timed.first_seen_text), '') is not null
                        and timed.first_seen_read is null
                        then 'first_seen: ' || timed.first_seen_text
                end,
                case
                    when
                        nullif(trim(timed.last_seen_text), '') is not null
                        and timed.last_seen_read is null
                        then 'last_seen: ' || timed.last_seen_text
                end,
                case
                    when
                        nullif(trim(timed.sighting_count_text), '') is not null
                        and coalesce(timed.sighting_count, -1) < 0
                        then 'count: ' || timed.sighting_count_text
                end,
                case
                    when
                        nullif(trim(timed.sensor_country_text), '') is not null
                        and country_spellings.country_code is null
                        then 'country: ' || timed.sensor_country_text
                end,
                case
                    when timed.unknown_marking is not null then 'tlp: ' || timed.unknown_marking
                end
            ],
            problem -> problem is not null
        ) as value_problems,
        timed.implausible_times,
        coalesce(timed.indicator_value, timed.original_line) as raw_value
    from timed
    left join country_spellings
        on lower(trim(timed.sensor_country_text)) = country_spellings.spelling
)

select * from final
