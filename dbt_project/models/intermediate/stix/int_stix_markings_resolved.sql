{{ config(materialized='incremental', incremental_strategy='append') }}
{#- The TLP of every marked STIX object, failing closed: the most restrictive TLP among all
    its markings, object-level and granular (a granular marking on one property still marks
    the object). A marking resolves through the standard TLP 1.0 / 2.0 marking-definition ids
    (seed tlp_spellings, any case) or through a marking definition shipped in the same bundle
    (a TLP definition, a TLP 2.0 extension, a name or a statement reading `TLP:<level>`); a
    statement that names no TLP does not restrict. A marking that resolves to nothing (an
    unknown id, a TLP definition with an unknown level) is TLP:RED and listed in
    unknown_marking. Objects without a TLP marking have no row (the partner's default applies
    only to data that carries no TLP marking at all). -#}
with

objects as not materialized (
    select * from {{ ref('stg_stix__objects') }}
    where {{ only_new_files() }}
),

tlp_spellings as (
    select * from {{ ref('tlp_spellings') }}
),

tlp_levels as (
    select * from {{ ref('tlp_levels') }}
),

bundle_definitions as (
    select
        objects.file_sha256,
        lower(objects.stix_id) as marking_id,
        tlp_spellings.tlp,
        coalesce(objects.marking_tlp_text, objects.marking_statement) as marking_text,
        lower(objects.marking_definition_type) = 'statement'
        and not regexp_matches(coalesce(objects.marking_statement, ''), 'tlp', 'i')
            as is_other_statement
    from objects
    left join tlp_spellings
        on
            regexp_replace(
                lower(coalesce(objects.marking_tlp_text, objects.marking_statement)), '\s+', '', 'g'
            )
            = tlp_spellings.spelling
    where objects.stix_type = 'marking-definition'
),

marking_refs as (
    select
        file_sha256,
        record_locator,
        unnest(
            list_concat(coalesce(object_marking_refs, []), coalesce(granular_marking_refs, []))
        ) as marking_ref
    from objects
    where len(object_marking_refs) > 0 or len(granular_marking_refs) > 0
),

marking_tlp as (
    select
        marking_refs.file_sha256,
        marking_refs.record_locator,
        marking_refs.marking_ref,
        case
            when standard.tlp is not null then standard.tlp
            when bundle_definitions.tlp is not null then bundle_definitions.tlp
            when not coalesce(bundle_definitions.is_other_statement, false) then 'red'
        end as tlp,
        standard.tlp is null
        and bundle_definitions.tlp is null
        and not coalesce(bundle_definitions.is_other_statement, false) as is_unknown
    from marking_refs
    left join tlp_spellings as standard
        on lower(trim(marking_refs.marking_ref)) = standard.spelling
    left join bundle_definitions
        on
            marking_refs.file_sha256 = bundle_definitions.file_sha256
            and lower(trim(marking_refs.marking_ref)) = bundle_definitions.marking_id
),

final as (
    select
        marking_tlp.file_sha256,
        marking_tlp.record_locator,
        arg_max(marking_tlp.tlp, tlp_levels.restriction_rank) as tlp,
        string_agg(marking_tlp.marking_ref, ', ' order by marking_tlp.marking_ref)
        filter (where marking_tlp.is_unknown) as unknown_marking
    from marking_tlp
    inner join tlp_levels on marking_tlp.tlp = tlp_levels.tlp
    group by marking_tlp.file_sha256, marking_tlp.record_locator
)

select * from final
