{#- Undo the defanging partners apply to network indicators so they cannot be clicked:
    hxxp/hXXps/meow schemes, [.] (.) {.} [dot], [:] [://], [@] [at]. -#}
{% macro refang(value) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    trim({{ value }}),
                    '^(?:h[x]{2}p|meow)(s?)(?:\[:\]|:)?(?:\[://\]|//)?',
                    'http\1://',
                    'i'
                ),
                '\s*[\[\(\{]\s*(?:\.|dot)\s*[\]\)\}]\s*',
                '.',
                'gi'
            ),
            '\s*[\[\(\{]\s*(?:@|at)\s*[\]\)\}]\s*',
            '@',
            'gi'
        ),
        '\[(:|://)\]',
        '\1',
        'g'
    )
{%- endmacro %}
