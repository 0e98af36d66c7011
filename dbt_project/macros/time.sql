{#- A delivered time as timestamptz in UTC. Reads ISO-8601 with `Z` or an offset, epoch seconds
    and milliseconds, naive ISO date-times, `dd/mm/yyyy HH:MM[:SS]`, and dates alone; a time
    without a zone is local time in `timezone` (the partner's registered zone). NULL when the
    text is empty or cannot be a real time (2026-02-30, 25:00): see timestamp_is_unreadable. -#}
{% macro to_utc_timestamp(text, timezone) -%}
    (
        case
            when nullif(trim({{ text }}), '') is null then null
            when regexp_full_match(trim({{ text }}), '\d{9,10}')
                then to_timestamp(trim({{ text }})::bigint)
            when regexp_full_match(trim({{ text }}), '\d{12,13}')
                then to_timestamp(trim({{ text }})::bigint / 1000)
            when regexp_matches(
                trim({{ text }}), '\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(z|[+-]\d{2}(:?\d{2})?)$', 'i'
            )
                then try_cast(trim({{ text }}) as timestamptz)
            when regexp_full_match(
                trim({{ text }}), '\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?'
            )
                then timezone(
                    {{ timezone }},
                    coalesce(
                        try_strptime(trim({{ text }}), '%d/%m/%Y %H:%M:%S'),
                        try_strptime(trim({{ text }}), '%d/%m/%Y %H:%M'),
                        try_strptime(trim({{ text }}), '%d/%m/%Y')
                    )
                )
            else timezone({{ timezone }}, try_cast(trim({{ text }}) as timestamp))
        end
    )
{%- endmacro %}

{#- True when a time was delivered but cannot be read (a quarantine reason). -#}
{% macro timestamp_is_unreadable(text, timezone) -%}
    (nullif(trim({{ text }}), '') is not null and {{ to_utc_timestamp(text, timezone) }} is null)
{%- endmacro %}
