{{ per_record_incremental() }}
{#- What became of every landed record, exactly one outcome each: its file's verdict
    (int_record_verdicts: accepted, context, withdrawn or quarantined with the reason), unless
    the partner's later version of the same record counts instead (int_records_superseded):
    then it is `superseded`. A record withdrawn at the source stays withdrawn. A night recomputes
    the records it changes: those of its files and those its files supersede. -#}
with

verdicts as (
    select * from {{ ref('int_record_verdicts') }}
),

superseded as (
    select * from {{ ref('int_records_superseded') }}
),

decided as (
    select
        verdicts.*,
        verdicts.outcome <> 'withdrawn' and superseded.file_sha256 is not null
            as is_superseded
    from verdicts
    left join superseded
        on
            verdicts.file_sha256 = superseded.file_sha256
            and verdicts.record_locator = superseded.record_locator
    {{ records_changed_tonight('verdicts') }}
),

final as (
    select
        file_sha256,
        partner_id,
        source_format,
        record_type,
        record_locator,
        case when is_superseded then 'superseded' else outcome end as outcome,
        case when not is_superseded then reason_code end as reason_code,
        case when not is_superseded then reason end as reason,
        case when not is_superseded then raw_value end as raw_value
    from decided
)

select * from final
