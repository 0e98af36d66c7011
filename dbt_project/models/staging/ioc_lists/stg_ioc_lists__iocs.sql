{#- IOC list rows of every partner (CSV, XLSX or JSON lines), columns already renamed to
    canonical fields by the header-synonym seed at landing. Times, confidences and TLPs stay as spelled: reading them
    (partner time zones, scales, spellings) is normalization. -#}
with

landed as (
    {{ landed_records('table', 'ioc') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.value' as ioc_value,
        record_json ->> '$.type' as ioc_type,
        {{ landed_json_type('value', 'ioc_value') }},
        {{ landed_json_type('type', 'ioc_type') }},
        {{ landed_time('first_seen', 'first_seen') }},
        {{ landed_time('last_seen', 'last_seen') }},
        record_json ->> '$.confidence' as confidence_text,
        record_json ->> '$.tlp' as tlp_text,
        record_json ->> '$.comment' as ioc_comment,
        record_json ->> '$.actor' as actor_name,
        record_json ->> '$.malware' as malware_name,
        record_json ->> '$.port' as port_text,
        record_json ->> '$.status' as source_status,
        record_json -> '$.extra' as extra_columns,
        original as original_line
    from landed
)

select * from renamed
