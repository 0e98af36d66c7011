{#- How actor and campaign names are compared: case-folded, letters and digits only, so that
    "LockBit 3.0" meets "lockbit30" and "CL0P" meets "Cl0p". Matches
    orchestration.tools.reference_seeds.alias_key, which built the alias seed. -#}
{% macro alias_key(name) -%}
    nullif(regexp_replace(lower(trim({{ name }})), '[^\pL\pN]', '', 'g'), '')
{%- endmacro %}

{#- A victim organisation's name as compared across partners: German umlauts transliterated,
    accents stripped, punctuation dropped, legal-form suffixes (SA, GmbH, Ltd, ...) removed.
    Only its keyed hash (ccw_victim_key) leaves staging. -#}
{% macro victim_name_normalized(name) -%}
    nullif(
        trim(
            regexp_replace(
                regexp_replace(
                    strip_accents(
                        replace(replace(replace(replace(
                            lower(trim({{ name }})), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')
                    ),
                    '[^a-z0-9]+',
                    ' ',
                    'g'
                ),
                '( (sa|s a|gmbh|ag|ltd|limited|inc|llc|plc|bv|b v|nv|asa|as|ab|sas|sarl|spa|oy|co|corp))+$',
                '',
                'g'
            )
        ),
        ''
    )
{%- endmacro %}

{#- The canonical indicator's key: its type and canonical value. -#}
{% macro indicator_key(type_column, value_column) -%}
    md5({{ type_column }} || '|' || {{ value_column }})
{%- endmacro %}
