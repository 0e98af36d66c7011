{{ config(materialized='view') }}
{#- Every spelling of a country that partners use, lower case, to its ISO 3166-1 alpha-2 code:
    the code itself, alpha-3, the short, official and common names, and curated aliases. -#}
with

countries as (
    select * from {{ ref('countries') }}
),

aliases as (
    select * from {{ ref('country_aliases') }}
),

spellings as (
    select
        lower(country_code) as spelling,
        country_code
    from countries
    union
    select
        lower(alpha3_code) as spelling,
        country_code
    from countries
    union
    select
        lower(country_name) as spelling,
        country_code
    from countries
    union
    select
        lower(official_name) as spelling,
        country_code
    from countries
    where official_name is not null
    union
    select
        lower(common_name) as spelling,
        country_code
    from countries
    where common_name is not null
    union
    select
        lower(spelling) as spelling,
        country_code
    from aliases
)

select * from spellings
