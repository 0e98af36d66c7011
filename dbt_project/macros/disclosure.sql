{#- A count as it may appear in a public table: NULL when below var('public_min_count'), so a
    small group (one victim, one partner) is never singled out. -#}
{% macro suppress_small(count) -%}
    case when {{ count }} >= {{ var('public_min_count') }} then {{ count }} end
{%- endmacro %}

{#- Whether data marked `tlp` may be read by an audience ('members' or 'public'), as the
    tlp_levels seed says. A marking the seed does not know is read by no one (fail closed). -#}
{% macro readable_by(audience, tlp) -%}
    coalesce({{ tlp }} in (
        select audience_levels.tlp from {{ ref('tlp_levels') }} as audience_levels
        where audience_levels.{{ audience }}_may_read
    ), false)
{%- endmacro %}
