{{ config(materialized='incremental', incremental_strategy='append') }}
{#- The TLP of every STIX object: the most restrictive TLP among its object_marking_refs, found
    either among the standard TLP marking definitions (a seed) or among the marking definitions
    shipped in the same bundle. Null when the object carries no TLP marking. -#}
with

objects as (
    select * from {{ ref('stg_stix__objects') }}
    where {{ only_new_files() }}
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

bundle_tlp_definitions as (
    select
        objects.file_sha256,
        objects.stix_id,
        tlp_spellings.tlp
    from objects
    inner join tlp_spellings
        on lower(trim(objects.marking_tlp_text)) = tlp_spellings.spelling
    where objects.stix_type = 'marking-definition'
),

object_marking_refs as (
    select
        file_sha256,
        record_locator,
        unnest(object_marking_refs) as marking_ref
    from objects
    where len(object_marking_refs) > 0
),

marking_tlp as (
    select
        object_marking_refs.file_sha256,
        object_marking_refs.record_locator,
        coalesce(standard.tlp, bundle_tlp_definitions.tlp) as tlp
    from object_marking_refs
    left join tlp_spellings as standard
        on object_marking_refs.marking_ref = standard.spelling
    left join bundle_tlp_definitions
        on
            object_marking_refs.file_sha256 = bundle_tlp_definitions.file_sha256
            and object_marking_refs.marking_ref = bundle_tlp_definitions.stix_id
),

final as (
    select
        marking_tlp.file_sha256,
        marking_tlp.record_locator,
        arg_max(marking_tlp.tlp, tlp_levels.restriction_rank) as tlp
    from marking_tlp
    inner join tlp_levels on marking_tlp.tlp = tlp_levels.tlp
    group by marking_tlp.file_sha256, marking_tlp.record_locator
)

select * from final
