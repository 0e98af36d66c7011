{#- A count as it may appear in a public table: NULL when below var('public_min_count'), so a
    small group (one victim, one partner) is never singled out. -#}
{% macro suppress_small(count) -%}
    case when {{ count }} >= {{ var('public_min_count') }} then {{ count }} end
{%- endmacro %}
