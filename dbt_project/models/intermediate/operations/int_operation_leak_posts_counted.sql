{#- The measured effect of each operation: distinct victims of its target actors posted on leak
    sites in the 90 days before and the 90 days from its announcement (by publication date).
    Counted twice, each time after dropping the posts above an audience's ceiling: members
    (everything but TLP:RED) and the public (TLP:CLEAR only). -#}
with

operations as (
    select * from {{ ref('int_operations_normalized') }}
),

targets as (
    select * from {{ ref('int_operation_targets_resolved') }}
),

posts as (
    select * from {{ ref('int_incidents_normalized') }}
    where
        source_format = 'leak_post'
        and occurred_at is not null
        and {{ readable_by('members', 'tlp') }}
),

windowed as (
    select
        operations.operation_key,
        posts.victim_key,
        {{ readable_by('public', 'posts.tlp') }} as is_public,
        posts.occurred_at < operations.announced_on as is_before
    from operations
    inner join targets on operations.operation_key = targets.operation_key
    inner join posts
        on
            targets.actor_key = posts.actor_key
            and posts.occurred_at >= operations.announced_on - interval '90 days'
            and posts.occurred_at < operations.announced_on + interval '90 days'
),

{# one row per operation and victim first: counting distinct victims four times over every
    post of every operation is the costlier way to the same numbers #}
per_victim as (
    select
        operation_key,
        victim_key,
        bool_or(is_before) as members_before,
        bool_or(not is_before) as members_after,
        bool_or(is_before and is_public) as public_before,
        bool_or(not is_before and is_public) as public_after
    from windowed
    group by operation_key, victim_key
),

final as (
    select
        operation_key,
        count(victim_key) filter (where members_before) as members_posted_90d_before,
        count(victim_key) filter (where members_after) as members_posted_90d_after,
        count(victim_key) filter (where public_before) as public_posted_90d_before,
        count(victim_key) filter (where public_after) as public_posted_90d_after
    from per_victim
    group by operation_key
)

select * from final
