{#- An amount as delivered ("1,750,000", "250000.0", "1 200,50") as a double; NULL when it is
    not a number. -#}
{% macro parse_amount(text) -%}
    case
        when regexp_full_match(trim({{ text }}), '-?\d{1,3}(,\d{3})+(\.\d+)?')
            then try_cast(replace(trim({{ text }}), ',', '') as double)
        when regexp_full_match(trim({{ text }}), '-?\d{1,3}( \d{3})+(,\d+)?')
            then try_cast(replace(replace(trim({{ text }}), ' ', ''), ',', '.') as double)
        else try_cast(trim({{ text }}) as double)
    end
{%- endmacro %}
