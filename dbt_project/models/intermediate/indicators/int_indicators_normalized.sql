{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_changed_tonight(
        changed_tonight('target.file_sha256', 'target.record_locator')
    ) }}"
) }}
{#- The canonical indicators: one row per source record x observable that normalized cleanly,
    leaving out records the partner's later version supersedes. A night appends the records of
    the files it brings, after it deleted those its files supersede (changed_tonight). -#}
with

observations as (
    select * from {{ ref('int_indicator_observations_typed') }}
    {% if is_incremental() -%}
        where {{ in_files_since_last_build('file_sha256') }}
    {%- endif %}
),

superseded as (
    select * from {{ ref('int_records_superseded') }}
),

current_versions as (
    {{ without_superseded('observations') }}
),

final as (
    select
        {{ indicator_key('indicator_type', 'canonical_value') }} as indicator_key,
        indicator_type,
        canonical_value as value,
        original_value,
        partner_id,
        file_sha256,
        delivered_on,
        source_format,
        record_locator,
        source_object_id,
        first_seen_at,
        last_seen_at,
        confidence,
        tlp
    from current_versions
    where rejection_code is null
)

select * from final
