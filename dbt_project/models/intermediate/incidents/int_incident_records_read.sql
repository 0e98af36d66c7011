{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Every victim event record as its file delivers it, read once per delivered file: ISAC
    incident reports, insurance claims and leak-site posts. The victim is its keyed hash only
    (victim_key); sector and country are canonical; amounts are USD at the rate of the
    incident date (the latest seed rate on or before it). Values that cannot be normalized are
    listed in value_problems for the quarantine; the event is kept. Times are read as the
    partner writes them (ccw_utc_time; Excel serial days in workbooks, UTC for leak-site
    monitors). An event without a victim name cannot be an event: it is not here, and
    int_record_verdicts quarantines it as missing_victim. Which actor it names and whether a
    later version supersedes it are not its file's alone: int_incidents_normalized adds both. -#}
with

incidents as (
    select * from {{ ref('stg_incident_reports__incidents') }}
    where parse_error is null and {{ only_new_files() }}
),

claims as (
    select * from {{ ref('stg_insurance_claims__claims') }}
    where parse_error is null and {{ only_new_files() }}
),

posts as (
    select * from {{ ref('stg_leak_sites__posts') }}
    where parse_error is null and {{ only_new_files() }}
),

partners as (
    select * from {{ ref('partners') }}
),

country_spellings as (
    select * from {{ ref('int_country_spellings_unioned') }}
),

sector_spellings as (
    select * from {{ ref('sector_spellings') }}
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

exchange_rates as (
    select * from {{ ref('exchange_rates') }}
),

reported as (
    select
        incidents.file_sha256,
        incidents.partner_id,
        incidents.delivered_on,
        incidents.record_locator,
        'incident_report' as source_format,
        incidents.incident_id as source_reference,
        ccw_utc_time(
            incidents.reported_on_text,
            case when incidents.reported_on_is_utc then 'UTC' else partners.timezone end,
            partners.date_order
        ) as occurred_at,
        incidents.reported_on_text as occurred_text,
        incidents.victim_name,
        incidents.victim_sector_text as sector_text,
        incidents.victim_country_text as country_text,
        incidents.ransom_demanded_text,
        incidents.ransom_paid_text,
        null::varchar as total_loss_text,
        incidents.currency_text,
        ccw_amount(incidents.downtime_hours_text) as downtime_hours,
        incidents.downtime_hours_text,
        incidents.tlp_text
    from incidents
    left join partners on incidents.partner_id = partners.partner_id
),

claimed as (
    select
        claims.file_sha256,
        claims.partner_id,
        claims.delivered_on,
        claims.record_locator,
        'insurance_claim' as source_format,
        claims.claim_ref as source_reference,
        ccw_utc_time(
            claims.loss_date_text,
            case when claims.loss_date_is_utc then 'UTC' else partners.timezone end,
            partners.date_order,
            serials := claims.source_format = 'xlsx'
        ) as occurred_at,
        claims.loss_date_text as occurred_text,
        claims.insured_name as victim_name,
        claims.industry_text as sector_text,
        claims.country_text,
        null::varchar as ransom_demanded_text,
        claims.ransom_paid_text,
        claims.total_loss_text,
        claims.currency_text,
        ccw_amount(claims.interruption_days_text) * 24 as downtime_hours,
        claims.interruption_days_text as downtime_hours_text,
        claims.tlp_text
    from claims
    left join partners on claims.partner_id = partners.partner_id
),

posted as (
    select
        posts.file_sha256,
        posts.partner_id,
        posts.delivered_on,
        posts.record_locator,
        'leak_post' as source_format,
        posts.post_url as source_reference,
        coalesce(
            ccw_utc_time(posts.published_text, 'UTC', partners.date_order),
            ccw_utc_time(posts.discovered_text, 'UTC', partners.date_order)
        ) as occurred_at,
        coalesce(posts.published_text, posts.discovered_text) as occurred_text,
        posts.post_title as victim_name,
        null::varchar as sector_text,
        posts.country_text,
        null::varchar as ransom_demanded_text,
        null::varchar as ransom_paid_text,
        null::varchar as total_loss_text,
        null::varchar as currency_text,
        null::double as downtime_hours,
        null::varchar as downtime_hours_text,
        posts.tlp_text
    from posts
    left join partners on posts.partner_id = partners.partner_id
),

unioned as (
    select * from reported
    union all
    select * from claimed
    union all
    select * from posted
),

events as (
    select
        * replace (
            case
                when not ccw_time_is_implausible(occurred_at, delivered_on) then occurred_at
            end as occurred_at
        ),
        case
            when ccw_time_is_implausible(occurred_at, delivered_on) then occurred_text
        end as implausible_time_text,
        {{ victim_name_normalized('victim_name') }} as victim_name_normalized
    from unioned
),

{# the keyed hash, a Python function, once per victim: partners report the same victims
    again and again (20k names among 600k events at 5M) #}
victims as (
    select distinct victim_name_normalized
    from events
    where victim_name_normalized is not null
),

victim_keys as (
    select
        victim_name_normalized,
        ccw_victim_key(victim_name_normalized) as victim_key
    from victims
),

enriched as (
    select
        events.*,
        victim_keys.victim_key,
        sector_spellings.sector_key as sector,
        country_spellings.country_code,
        upper(trim(events.currency_text)) as currency,
        ccw_amount(events.ransom_demanded_text) as ransom_demanded,
        ccw_amount(events.ransom_paid_text) as ransom_paid,
        ccw_amount(events.total_loss_text) as total_loss,
        case
            when nullif(trim(events.tlp_text), '') is not null and tlp_spellings.tlp is null
                then 'red'
            else coalesce(tlp_spellings.tlp, partners.default_tlp)
        end as tlp,
        case
            when nullif(trim(events.tlp_text), '') is not null and tlp_spellings.tlp is null
                then events.tlp_text
        end as unknown_marking
    from events
    inner join victim_keys on events.victim_name_normalized = victim_keys.victim_name_normalized
    left join partners on events.partner_id = partners.partner_id
    left join sector_spellings on lower(trim(events.sector_text)) = sector_spellings.spelling
    left join country_spellings on lower(trim(events.country_text)) = country_spellings.spelling
    left join tlp_spellings on lower(trim(events.tlp_text)) = tlp_spellings.spelling
),

priced as (
    select
        enriched.*,
        exchange_rates.usd_per_unit
    from enriched
    asof left join exchange_rates
        on
            enriched.currency = exchange_rates.currency
            and enriched.occurred_at::date >= exchange_rates.rate_date
),

final as (
    select
        md5(file_sha256 || '|' || record_locator) as incident_key,
        file_sha256,
        partner_id,
        record_locator,
        source_format,
        source_reference,
        occurred_at,
        victim_key,
        sector,
        country_code,
        currency,
        case when ransom_demanded >= 0 then round(ransom_demanded * usd_per_unit, 2) end
            as ransom_demanded_usd,
        case when ransom_paid >= 0 then round(ransom_paid * usd_per_unit, 2) end as ransom_paid_usd,
        case when total_loss >= 0 then round(total_loss * usd_per_unit, 2) end as total_loss_usd,
        case when downtime_hours >= 0 then downtime_hours end as downtime_hours,
        tlp,
        implausible_time_text,
        list_filter(
            [
                case
                    when occurred_at is null and implausible_time_text is null
                        then 'time: ' || coalesce(occurred_text, '(none)')
                end,
                case
                    when nullif(trim(sector_text), '') is not null and sector is null
                        then 'sector: ' || sector_text
                end,
                case
                    when nullif(trim(country_text), '') is not null and country_code is null
                        then 'country: ' || country_text
                end,
                case
                    when currency is not null and currency <> '' and usd_per_unit is null
                        then 'currency: ' || currency
                end,
                case
                    when ransom_demanded < 0 or (
                        nullif(trim(ransom_demanded_text), '') is not null
                        and ransom_demanded is null
                    ) then 'ransom_demanded: ' || ransom_demanded_text
                end,
                case
                    when ransom_paid < 0 or (
                        nullif(trim(ransom_paid_text), '') is not null
                        and ransom_paid is null
                    ) then 'ransom_paid: ' || ransom_paid_text
                end,
                case
                    when total_loss < 0 or (
                        nullif(trim(total_loss_text), '') is not null
                        and total_loss is null
                    ) then 'total_loss: ' || total_loss_text
                end,
                case
                    when downtime_hours < 0 or (
                        nullif(trim(downtime_hours_text), '') is not null
                        and downtime_hours is null
                    ) then 'downtime: ' || downtime_hours_text
                end,
                case when unknown_marking is not null then 'tlp: ' || unknown_marking end
            ],
            problem -> problem is not null
        ) as value_problems
    from priced
)

select * from final
