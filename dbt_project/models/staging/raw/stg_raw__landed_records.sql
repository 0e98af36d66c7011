{#- Every landed record of every format, verbatim, with its lineage. -#}
with

source as (
    select * from {{ source('raw', 'landed_records') }}
),

renamed as (
    select
        file_sha256,
        partner_id,
        delivered_on,
        source_format,
        record_locator,
        record_type,
        record as record_text,
        original as original_text,
        parse_error
    from source
)

select * from renamed
