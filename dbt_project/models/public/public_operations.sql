{#- TLP:CLEAR disruption operations, their reported results and their measured effect on the
    target's TLP:CLEAR leak-site postings: the TLP:CLEAR rows of mart_operation_impact with
    its public_ counts, small counts suppressed. -#}
with

operations as (
    select * from {{ ref('mart_operation_impact') }}
    where {{ readable_by('public', 'tlp') }}
),

final as (
    select
        operation_key::varchar as operation_key,
        operation_name::varchar as operation_name,
        announced_on::date as announced_on,
        target_actor_keys::varchar [] as target_actor_keys,
        servers_seized::integer as servers_seized,
        domains_seized::integer as domains_seized,
        arrests::integer as arrests,
        decryption_keys::integer as decryption_keys,
        crypto_accounts_frozen::integer as crypto_accounts_frozen,
        funds_frozen_usd::decimal(18, 2) as funds_frozen_usd,
        victims_notified::integer as victims_notified,
        {{ suppress_small('public_victims_posted_90d_before') }}::integer
            as victims_posted_90d_before,
        {{ suppress_small('public_victims_posted_90d_after') }}::integer
            as victims_posted_90d_after
    from operations
)

select
    operation_key,
    operation_name,
    announced_on,
    target_actor_keys,
    servers_seized,
    domains_seized,
    arrests,
    decryption_keys,
    crypto_accounts_frozen,
    funds_frozen_usd,
    victims_notified,
    victims_posted_90d_before,
    victims_posted_90d_after
from final
