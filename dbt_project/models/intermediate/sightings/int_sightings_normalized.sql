{#- Sightings of indicators by partner sensors, with the indicator in canonical form so they
    join mart_indicators, the sensor country as ISO alpha-2, and times in UTC. -#}
with

sightings as (
    select * from {{ ref('stg_sightings__sightings') }}
    where parse_error is null
),

partners as (
    select * from {{ ref('partners') }}
),

indicator_types as (
    select * from {{ ref('indicator_types') }}
    where source_format = 'type_word'
),

country_spellings as (
    select * from {{ ref('int_country_spellings_unioned') }}
),

typed as (
    select
        sightings.*,
        partners.default_tlp as tlp,
        partners.timezone,
        indicator_types.source_type is not null as is_known_type,
        {{ resolve_indicator_type('indicator_types.indicator_type', 'sightings.indicator_value') }}
            as indicator_type
    from sightings
    left join partners on sightings.partner_id = partners.partner_id
    left join indicator_types
        on lower(trim(sightings.indicator_type_text)) = indicator_types.source_type
),

final as (
    select
        typed.file_sha256,
        typed.partner_id,
        typed.record_locator,
        typed.indicator_type,
        {{ canonical_indicator_value('typed.indicator_type', 'typed.indicator_value') }} as value,
        md5(
            typed.indicator_type || '|'
            || {{ canonical_indicator_value('typed.indicator_type', 'typed.indicator_value') }}
        ) as indicator_key,
        {{ to_utc_timestamp('typed.first_seen_text', 'typed.timezone') }} as first_seen_at,
        coalesce(
            {{ to_utc_timestamp('typed.last_seen_text', 'typed.timezone') }},
            {{ to_utc_timestamp('typed.first_seen_text', 'typed.timezone') }}
        ) as last_seen_at,
        typed.sighting_count,
        country_spellings.country_code as sensor_country_code,
        typed.tlp,
        case
            when nullif(trim(typed.indicator_type_text), '') is not null and not typed.is_known_type
                then 'unknown_type'
            when not {{ indicator_value_is_valid(
                'typed.indicator_type',
                canonical_indicator_value('typed.indicator_type', 'typed.indicator_value')
            ) }}
                then 'invalid_value'
            when
                {{ timestamp_is_unreadable('typed.first_seen_text', 'typed.timezone') }}
                or {{ timestamp_is_unreadable('typed.last_seen_text', 'typed.timezone') }}
                then 'invalid_timestamp'
            when typed.sighting_count is null or typed.sighting_count < 0 then 'invalid_count'
        end as rejection_code,
        coalesce(typed.indicator_value, typed.original_line) as raw_value
    from typed
    left join country_spellings
        on lower(trim(typed.sensor_country_text)) = country_spellings.spelling
)

select * from final
