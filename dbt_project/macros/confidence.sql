{#- A partner's numeric confidence as an integer 0-100: 0-100 as is, 0-10 times ten. NULL when
    the text is not a number within the partner's scale. Words (High/Medium/Low) are looked up
    in the confidence_terms seed by the models. -#}
{% macro numeric_confidence(text, scale) -%}
    case
        when {{ scale }} = '0-10' and try_cast(trim({{ text }}) as double) between 0 and 10
            then round(try_cast(trim({{ text }}) as double) * 10)::integer
        when try_cast(trim({{ text }}) as double) between 0 and 100
            then round(try_cast(trim({{ text }}) as double))::integer
    end
{%- endmacro %}
