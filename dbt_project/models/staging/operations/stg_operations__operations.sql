{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set text_fields = {
    'operation_name': '$.name',
    'announced_on_text': '$.announced_on',
    'lead_agency': '$.lead_agency',
    'tlp_text': '$.tlp',
    'servers_seized_text': '$.metrics.servers_seized',
    'domains_seized_text': '$.metrics.domains_seized',
    'arrests_text': '$.metrics.arrests',
    'decryption_keys_text': '$.metrics.decryption_keys',
    'crypto_accounts_frozen_text': '$.metrics.crypto_accounts_frozen',
    'funds_frozen_usd_text': '$.metrics.funds_frozen_usd',
    'victims_notified_text': '$.metrics.victims_notified',
} -%}
{%- set json_fields = {
    'target_actors_json': '$.target_actors',
    'participating_partners_json': '$.participating_partners',
    'metrics_json': '$.metrics',
} %}
with

landed as (
    {{ landed_records('operation_report', 'operation') }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields) }}
),

renamed as (
    select
        {{ lineage_columns() }},
        operation_name,
        announced_on_text,
        {{ landed_plausible_date('announced_on_text') }} as announced_on,
        lead_agency,
        {{ json_list_strings('target_actors_json', '$[*]') }} as target_actor_names,
        {{ json_list_strings('participating_partners_json', '$[*]') }}
            as participating_partners,
        tlp_text,
        try_cast(servers_seized_text as integer) as servers_seized,
        try_cast(domains_seized_text as integer) as domains_seized,
        try_cast(arrests_text as integer) as arrests,
        try_cast(decryption_keys_text as integer) as decryption_keys,
        try_cast(crypto_accounts_frozen_text as integer) as crypto_accounts_frozen,
        try_cast(funds_frozen_usd_text as double) as funds_frozen_usd,
        try_cast(victims_notified_text as integer) as victims_notified,
        metrics_json,
        record as operation_text
    from fields
)

select * from renamed
