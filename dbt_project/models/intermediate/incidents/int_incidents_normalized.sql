{#- One row per victim event: ISAC incident reports, insurance claims and leak-site posts, as
    int_incident_records_read reads them (pseudonymous victim, canonical sector and country,
    amounts in USD), with the canonical actor the record names. An event the partner's later
    version supersedes (int_records_superseded) is not here: a corrected re-delivery replaces
    it, never adds to it. A night deletes the events its files change (changed_tonight) and
    appends those of the files it brings: a record it supersedes yields no row. -#}
{{ per_record_incremental() }}
with

records as (
    select * from {{ ref('int_incident_records_read') }}
    {% if is_incremental() -%}
        where {{ in_files_since_last_build('file_sha256') }}
    {%- endif %}
),

actor_mentions as (
    select * from {{ ref('int_actor_mentions_resolved') }}
    {% if is_incremental() -%}
        where {{ in_files_since_last_build('file_sha256') }}
    {%- endif %}
),

superseded as (
    select * from {{ ref('int_records_superseded') }}
),

current_versions as (
    {{ without_superseded('records') }}
),

actors as (
    select
        file_sha256,
        record_locator,
        min(actor_key) as actor_key
    from actor_mentions
    where actor_key is not null
    group by file_sha256, record_locator
),

final as (
    select
        current_versions.incident_key,
        current_versions.file_sha256,
        current_versions.partner_id,
        current_versions.record_locator,
        current_versions.source_format,
        current_versions.source_reference,
        current_versions.occurred_at,
        current_versions.victim_key,
        actors.actor_key,
        current_versions.sector,
        current_versions.country_code,
        current_versions.currency,
        current_versions.ransom_demanded_usd,
        current_versions.ransom_paid_usd,
        current_versions.total_loss_usd,
        current_versions.downtime_hours,
        current_versions.tlp,
        current_versions.implausible_time_text,
        current_versions.value_problems
    from current_versions
    left join actors
        on
            current_versions.file_sha256 = actors.file_sha256
            and current_versions.record_locator = actors.record_locator
)

select * from final
