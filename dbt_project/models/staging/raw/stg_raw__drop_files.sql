with

source as (
    select * from {{ source('raw', 'drop_files') }}
),

renamed as (
    select
        md5(coalesce(file_sha256, '') || '|' || file_name) as drop_file_key,
        file_sha256,
        partner_id,
        delivered_on,
        file_name,
        format as file_format,
        status as file_status,
        error as error_message,
        records_received::bigint as records_received,
        loaded_at::timestamptz as registered_at
    from source
)

select * from renamed
