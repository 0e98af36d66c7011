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

final as (
    select
        operation_key,
        count(distinct case when is_before then victim_key end) as members_posted_90d_before,
        count(distinct case when not is_before then victim_key end) as members_posted_90d_after,
        count(distinct case when is_before and is_public then victim_key end)
            as public_posted_90d_before,
        count(distinct case when not is_before and is_public then victim_key end)
            as public_posted_90d_after
    from windowed
    group by operation_key
)

select * from final
