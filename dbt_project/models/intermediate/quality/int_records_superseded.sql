{#- Landed records that a partner's own later version of the same record replaces: kept in
    landing, never counted. A record's natural key is its identifier where the format has one
    (STIX `id`, MISP `uuid`, incident_id, claim_ref, post_url): the latest version wins (STIX
    `modified`, MISP `timestamp`), then the latest delivery, then file and locator. A record
    without one is known by its content: an identical record delivered again adds nothing, so
    the earliest delivery keeps it (and the credit for it). -#}
with

landed as (
    select * from {{ ref('stg_raw__landed_records') }}
    where parse_error is null and record_type is not null
),

identified as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        record_type,
        record_locator,
        record_text,
        nullif(trim(
            case
                when source_format = 'stix21' then record_text::json ->> '$.id'
                when source_format = 'misp' and record_type = 'attribute'
                    then record_text::json ->> '$.attribute.uuid'
                when source_format = 'misp' then record_text::json ->> '$.uuid'
                when record_type = 'incident' then record_text::json ->> '$.incident_id'
                when record_type = 'claim' then record_text::json ->> '$.claim_ref'
                when record_type = 'leak_post' then record_text::json ->> '$.post_url'
            end
        ), '') as record_id,
        case
            when source_format = 'stix21'
                then try_cast(record_text::json ->> '$.modified' as timestamptz)
            when source_format = 'misp' and record_type = 'attribute'
                then to_timestamp(try_cast(record_text::json ->> '$.attribute.timestamp' as bigint))
            when source_format = 'misp'
                then to_timestamp(try_cast(record_text::json ->> '$.timestamp' as bigint))
        end as record_version
    from landed
),

by_identifier as (
    select
        file_sha256,
        record_locator,
        first_value(file_sha256) over latest_first as by_file_sha256,
        first_value(record_locator) over latest_first as by_record_locator,
        row_number() over latest_first as version_rank
    from identified
    where record_id is not null
    window latest_first as (
        partition by partner_id, record_type, record_id
        order by
            record_version desc nulls last,
            delivered_on desc,
            file_sha256 desc,
            record_locator desc
    )
),

by_content as (
    select
        file_sha256,
        record_locator,
        first_value(file_sha256) over earliest_first as by_file_sha256,
        first_value(record_locator) over earliest_first as by_record_locator,
        row_number() over earliest_first as version_rank
    from identified
    where record_id is null
    window earliest_first as (
        partition by partner_id, record_type, md5(record_text)
        order by delivered_on asc, file_sha256 asc, record_locator asc
    )
),

ranked as (
    select * from by_identifier
    union all
    select * from by_content
),

final as (
    select
        file_sha256,
        record_locator,
        by_file_sha256 as superseded_by_file_sha256,
        by_record_locator as superseded_by_record_locator
    from ranked
    where version_rank > 1
)

select * from final
