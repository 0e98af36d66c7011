{#- Fails for every row where one of the given columns is null: the not_null test of several
    columns of one model in one query (one gate, one pass over the model, instead of one per
    column). -#}
{% test not_null_columns(model, columns) %}

select
    {{ columns | join(', ') }}
from {{ model }}
where
    {% for column in columns -%}
        {{ column }} is null{% if not loop.last %} or {% endif %}
    {% endfor %}

{% endtest %}
