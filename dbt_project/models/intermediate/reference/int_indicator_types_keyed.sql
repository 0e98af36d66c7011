{#- Every way a partner can name an indicator type, keyed the way observations are compared:
    STIX object paths as spelled (case-sensitive, as the specification says), MISP attribute
    types lower case, and type words through ccw_type_key (case, spaces, `-`, `_` and quotes
    ignored). Type words cover the seed's own words and every STIX path and MISP type too,
    and a STIX object type on its own (`ipv4-addr`), so any format may use those names. -#}
with

indicator_types as (
    select * from {{ ref('indicator_types') }}
),

exact_names as (
    select
        source_format as vocabulary,
        source_type as type_key,
        indicator_type,
        component,
        '|' as part_separator
    from indicator_types
    where source_format in ('stix21', 'misp')
),

word_spellings as (
    select
        source_type as spelling,
        indicator_type,
        component
    from indicator_types
    union
    select
        split_part(source_type, ':', 1) as spelling,
        indicator_type,
        component
    from indicator_types
    where source_format = 'stix21' and source_type like '%:value'
),

words as (
    select distinct
        'type_word' as vocabulary,
        ccw_type_key(spelling) as type_key,
        indicator_type,
        component,
        case when spelling like '%|%' then '|' else ':' end as part_separator
    from word_spellings
),

final as (
    select * from exact_names
    union all
    select * from words
)

select * from final
