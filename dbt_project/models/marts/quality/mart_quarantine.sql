{{ per_record_incremental() }}
{#- Every quarantined record or field (one row per record, field and reason), as members may
    see it: the place (partner, file, record, field), the reason code and, only where it is
    safe, the value and the reason in words. The value is shown when its reason code says the value is the one bad field (never a
    raw record, a JSON object or a row that may name a victim) and the record's TLP is one every
    member may read; a record whose TLP is not known (a record quarantined whole) shows none.
    Otherwise reason is the code's meaning from the reason_codes seed. A night recomputes the
    records it changes: those of its files and those its files supersede. -#}
-- depends_on: {{ ref('int_records_superseded') }}
with

quarantine_rows as (
    select * from {{ ref('int_quarantine') }}
),

{# the records the night changes (all of them in a full build) #}
quarantine as (
    select * from quarantine_rows
    {{ records_changed_tonight('quarantine_rows') }}
),

reason_codes as (
    select * from {{ ref('reason_codes') }}
),

{# the delivery that was loaded: a later re-send of the same bytes (a duplicate) is another
    row of the same file, which would count each of its records twice #}
drop_files as (
    select * from {{ ref('stg_raw__drop_files') }}
    where file_status = 'loaded'
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

record_markings as (
    select
        file_sha256,
        record_locator,
        tlp
    from {{ ref('int_indicator_observations_typed') }}
    union all
    select
        file_sha256,
        record_locator,
        tlp
    from {{ ref('int_incidents_normalized') }}
    union all
    select
        file_sha256,
        record_locator,
        tlp
    from {{ ref('int_sightings_normalized') }}
    union all
    select
        file_sha256,
        record_locator,
        tlp
    from {{ ref('int_actor_activity_unioned') }}
    where file_sha256 is not null
),

quarantined_records as (
    select distinct
        file_sha256,
        record_locator
    from quarantine
),

{# the markings of those records only, not of every record #}
record_tlp as (
    select
        record_markings.file_sha256,
        record_markings.record_locator,
        {#- a marking the seed does not know ranks above red -#}
        max(coalesce(tlp_levels.restriction_rank, 99)) as restriction_rank
    from record_markings
    inner join quarantined_records
        on
            record_markings.file_sha256 = quarantined_records.file_sha256
            and record_markings.record_locator = quarantined_records.record_locator
    left join tlp_levels on record_markings.tlp = tlp_levels.tlp
    group by record_markings.file_sha256, record_markings.record_locator
),

shown as (
    select
        quarantine.*,
        drop_files.file_name,
        drop_files.delivered_on,
        coalesce(
            reason_codes.example_is_shareable
            and tlp_levels.members_may_read,
            false
        ) as value_is_shown
    from quarantine
    left join reason_codes on quarantine.reason_code = reason_codes.reason_code
    left join drop_files on quarantine.file_sha256 = drop_files.file_sha256
    left join record_tlp
        on
            quarantine.file_sha256 = record_tlp.file_sha256
            and quarantine.record_locator = record_tlp.record_locator
    left join tlp_levels on record_tlp.restriction_rank = tlp_levels.restriction_rank
),

final as (
    select
        shown.partner_id::varchar as partner_id,
        shown.file_sha256::varchar as file_sha256,
        any_value(shown.file_name)::varchar as file_name,
        any_value(shown.delivered_on)::date as delivered_on,
        any_value(shown.source_format)::varchar as source_format,
        shown.record_locator::varchar as record_locator,
        shown.field_name::varchar as field_name,
        shown.reason_code::varchar as reason_code,
        count(*)::integer as quarantine_count,
        coalesce(
            min(shown.reason) filter (where shown.value_is_shown), any_value(reason_codes.meaning)
        )::varchar as reason,
        min(left(shown.raw_value, 200)) filter (where shown.value_is_shown)::varchar
            as example_value
    from shown
    left join reason_codes on shown.reason_code = reason_codes.reason_code
    group by
        shown.partner_id,
        shown.file_sha256,
        shown.record_locator,
        shown.field_name,
        shown.reason_code
)

select
    partner_id,
    file_sha256,
    file_name,
    delivered_on,
    source_format,
    record_locator,
    field_name,
    reason_code,
    quarantine_count,
    reason,
    example_value
from final
