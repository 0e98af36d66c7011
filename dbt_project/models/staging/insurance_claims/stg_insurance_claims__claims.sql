{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set text_fields = {
    'claim_ref': '$.claim_ref',
    'loss_date_utc_field': '$.loss_date_utc',
    'loss_date_field': '$.loss_date',
    'insured_name': '$.insured',
    'industry_text': '$.industry',
    'country_text': '$.country',
    'actor_name': '$.actor',
    'ransom_paid_text': '$.ransom_paid',
    'currency_text': '$.currency',
    'interruption_days_text': '$.interruption_days',
    'total_loss_text': '$.total_loss',
    'tlp_text': '$.tlp',
} -%}
{%- set json_fields = {
    'extra_columns': '$.extra',
} %}
with

landed as (
    {{ landed_records('table', 'claim') }}
),

fields as (
    {{ with_json_fields('landed', text_fields, json_fields) }}
),

renamed as (
    select
        {{ lineage_columns() }},
        claim_ref,
        {{ landed_time('loss_date') }},
        insured_name,
        industry_text,
        country_text,
        actor_name,
        ransom_paid_text,
        currency_text,
        interruption_days_text,
        total_loss_text,
        tlp_text,
        extra_columns,
        original as original_row
    from fields
)

select * from renamed
