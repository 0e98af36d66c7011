{#- Canonical form of an indicator value, by canonical indicator type. Network and email values
    are refanged; host names lower-cased without a trailing dot; hashes lower-case hex. -#}
{% macro canonical_indicator_value(indicator_type, value) -%}
    case
        when {{ indicator_type }} = 'domain-name'
            then rtrim(lower({{ refang(value) }}), '.')
        when {{ indicator_type }} = 'email-addr'
            then lower({{ refang(value) }})
        when {{ indicator_type }} = 'url'
            then lower(regexp_extract({{ refang(value) }}, '^([a-z][a-z0-9+.-]*://[^/?#]*)', 1, 'i'))
                || regexp_extract({{ refang(value) }}, '^[a-z][a-z0-9+.-]*://[^/?#]*(.*)$', 1, 'i')
        when {{ indicator_type }} in ('ipv4-addr', 'ipv6-addr')
            then lower({{ refang(value) }})
        when {{ indicator_type }} like 'file:%'
            then lower(trim({{ value }}))
        else trim({{ value }})
    end
{%- endmacro %}

{#- Whether a canonical value is well formed for its type (IPv4 octets, hash lengths, ...). -#}
{% macro indicator_value_is_valid(indicator_type, value) -%}
    case {{ indicator_type }}
        when 'ipv4-addr' then regexp_full_match(
            {{ value }},
            '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}'
            || '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(/([0-9]|[12][0-9]|3[0-2]))?'
        )
        when 'ipv6-addr' then regexp_full_match({{ value }}, '[0-9a-f:.]+(/[0-9]{1,3})?')
            and {{ value }} like '%:%'
        when 'domain-name' then regexp_full_match(
            {{ value }}, '([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]{2,}'
        )
        when 'url' then regexp_full_match({{ value }}, '[a-z][a-z0-9+.-]*://[^\s/?#]+.*')
        when 'email-addr' then regexp_full_match({{ value }}, '[^@\s]+@[a-z0-9.-]+\.[a-z0-9-]+')
        when 'file:md5' then regexp_full_match({{ value }}, '[0-9a-f]{32}')
        when 'file:sha1' then regexp_full_match({{ value }}, '[0-9a-f]{40}')
        when 'file:sha256' then regexp_full_match({{ value }}, '[0-9a-f]{64}')
        else {{ value }} is not null and {{ value }} <> ''
    end
{%- endmacro %}
