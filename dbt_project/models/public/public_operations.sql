{#- TLP:CLEAR disruption operations, their reported results and their measured effect on the
    target's TLP:CLEAR leak-site postings. -#}
with

operations as (
    select * from {{ ref('int_operations_normalized') }}
    where tlp = 'clear'
),

posts_counted as (
    select * from {{ ref('int_operation_leak_posts_counted') }}
),

final as (
    select
        operations.operation_key::varchar as operation_key,
        operations.operation_name::varchar as operation_name,
        operations.announced_on::date as announced_on,
        operations.target_actor_keys::varchar [] as target_actor_keys,
        operations.servers_seized::integer as servers_seized,
        operations.domains_seized::integer as domains_seized,
        operations.arrests::integer as arrests,
        operations.decryption_keys::integer as decryption_keys,
        operations.crypto_accounts_frozen::integer as crypto_accounts_frozen,
        operations.funds_frozen_usd::decimal(18, 2) as funds_frozen_usd,
        operations.victims_notified::integer as victims_notified,
        {{ suppress_small('posts_counted.public_posted_90d_before') }}::integer
            as victims_posted_90d_before,
        {{ suppress_small('posts_counted.public_posted_90d_after') }}::integer
            as victims_posted_90d_after
    from operations
    left join posts_counted on operations.operation_key = posts_counted.operation_key
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
