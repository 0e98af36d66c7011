{#- One row per disruption operation. Reports of the same operation (same name) are one
    operation; its metrics are those of the latest delivered report, its partners and targets
    the union of all reports, its TLP the most restrictive of them (a marking that cannot be
    read counts as TLP:RED). -#}
with

reports as (
    select * from {{ ref('stg_operations__operations') }}
    where parse_error is null
),

partners as (
    select * from {{ ref('partners') }}
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

targets as (
    select * from {{ ref('int_operation_targets_resolved') }}
),

operation_targets as (
    select
        operation_key,
        list_sort(list(actor_key)) as target_actor_keys
    from targets
    group by operation_key
),

marked as (
    select
        reports.*,
        {{ alias_key('reports.operation_name') }} as operation_key,
        tlp_levels.tlp,
        tlp_levels.restriction_rank
    from reports
    left join partners on reports.partner_id = partners.partner_id
    left join tlp_spellings on lower(trim(reports.tlp_text)) = tlp_spellings.spelling
    left join tlp_levels
        on
            tlp_levels.tlp = case
                when nullif(trim(reports.tlp_text), '') is not null and tlp_spellings.tlp is null
                    then 'red'
                else coalesce(tlp_spellings.tlp, partners.default_tlp)
            end
),

merged as (
    select
        operation_key,
        arg_max(operation_name, delivered_on) as operation_name,
        arg_max(partner_id, delivered_on) as partner_id,
        min(announced_on) as announced_on,
        arg_max(lead_agency, delivered_on) as lead_agency,
        list_sort(list_distinct(flatten(list(participating_partners)))) as participating_partners,
        arg_max(servers_seized, delivered_on) as servers_seized,
        arg_max(domains_seized, delivered_on) as domains_seized,
        arg_max(arrests, delivered_on) as arrests,
        arg_max(decryption_keys, delivered_on) as decryption_keys,
        arg_max(crypto_accounts_frozen, delivered_on) as crypto_accounts_frozen,
        arg_max(
            case when funds_frozen_usd between 0 and 1e12 then funds_frozen_usd end, delivered_on
        ) as funds_frozen_usd,
        arg_max(victims_notified, delivered_on) as victims_notified,
        arg_max(tlp, restriction_rank) as tlp,
        count(*) as report_count,
        list(file_sha256 || '|' || record_locator order by file_sha256) as source_records
    from marked
    where operation_key is not null
    group by operation_key
),

final as (
    select
        merged.*,
        coalesce(operation_targets.target_actor_keys, []) as target_actor_keys
    from merged
    left join operation_targets on merged.operation_key = operation_targets.operation_key
)

select * from final
