{#- IOC list rows of every partner (CSV), columns already renamed to canonical fields by the
    header-synonym seed at landing. Times, confidences and TLPs stay as spelled: reading them
    (partner time zones, scales, spellings) is normalization. -#}
with

landed as (
    {{ landed_records('csv', 'ioc') }}
),

renamed as (
    select
        {{ lineage_columns() }},
        record_json ->> '$.value' as ioc_value,
        record_json ->> '$.type' as ioc_type,
        record_json ->> '$.first_seen' as first_seen_text,
        record_json ->> '$.last_seen' as last_seen_text,
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
