{#- What became of every landed record, exactly one outcome each: its file's verdict
    (int_record_verdicts: accepted, context, withdrawn or quarantined with the reason), unless
    the partner's later version of the same record counts instead (int_records_superseded):
    then it is `superseded`. A record withdrawn at the source stays withdrawn. -#}
with

verdicts as (
    select * from {{ ref('int_record_verdicts') }}
),

superseded as (
    select * from {{ ref('int_records_superseded') }}
),

final as (
    select
        verdicts.file_sha256,
        verdicts.partner_id,
        verdicts.source_format,
        verdicts.record_type,
        verdicts.record_locator,
        case
            when verdicts.outcome <> 'withdrawn' and superseded.file_sha256 is not null
                then 'superseded'
            else verdicts.outcome
        end as outcome,
        case
            when verdicts.outcome = 'withdrawn' or superseded.file_sha256 is null
                then verdicts.reason_code
        end as reason_code,
        case
            when verdicts.outcome = 'withdrawn' or superseded.file_sha256 is null
                then verdicts.reason
        end as reason,
        case
            when verdicts.outcome = 'withdrawn' or superseded.file_sha256 is null
                then verdicts.raw_value
        end as raw_value
    from verdicts
    left join superseded
        on
            verdicts.file_sha256 = superseded.file_sha256
            and verdicts.record_locator = superseded.record_locator
)

select * from final
