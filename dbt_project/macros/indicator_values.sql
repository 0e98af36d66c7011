{#- Canonical form of an indicator value, by canonical indicator type. Network and email values
    are refanged; host names lower-cased, without a trailing dot, IDN as punycode; URLs with a
    lower-case scheme and host; IPv6 compressed; hashes lower-case hex. NULL when the value
    cannot be put in canonical form (see indicator_value_is_valid). -#}
{% macro canonical_indicator_value(indicator_type, value) -%}
    case
        when {{ indicator_type }} = 'domain-name'
            then {{ canonical_host('lower(' ~ refang(value) ~ ')') }}
        when {{ indicator_type }} = 'email-addr'
            then lower(split_part({{ refang(value) }}, '@', 1)) || '@'
            || {{ canonical_host('lower(split_part(' ~ refang(value) ~ ", '@', 2))") }}
        when {{ indicator_type }} = 'url'
            then lower(regexp_extract({{ refang(value) }}, '^([a-z][a-z0-9+.-]*://)', 1, 'i'))
            || {{ canonical_host(
                "lower(regexp_extract(" ~ refang(value) ~ ", '^[a-z][a-z0-9+.-]*://([^/?#:]*)', 1, 'i'))"
            ) }}
            || regexp_extract({{ refang(value) }}, '^[a-z][a-z0-9+.-]*://[^/?#:]*(.*)$', 1, 'i')
        when {{ indicator_type }} = 'ipv4-addr'
            then {{ refang(value) }}
        when {{ indicator_type }} = 'ipv6-addr'
            then ccw_ipv6(lower({{ refang(value) }}))
        when {{ indicator_type }} like 'file:%'
            then lower(trim({{ value }}))
        when {{ indicator_type }} = 'cryptocurrency-wallet'
            then trim({{ value }})
    end
{%- endmacro %}

{#- A host name without its trailing dot, internationalised names as punycode. -#}
{% macro canonical_host(host) -%}
    case
        when regexp_matches(rtrim({{ host }}, '.'), '[^\x00-\x7f]')
            then ccw_idna_host(rtrim({{ host }}, '.'))
        else rtrim({{ host }}, '.')
    end
{%- endmacro %}

{#- `ip` (IPv4 or IPv6, decided by the value) and a missing type (inferred from the value's
    shape) resolved to a canonical type. -#}
{% macro resolve_indicator_type(indicator_type, value) -%}
    case
        when {{ indicator_type }} = 'ip' and {{ refang(value) }} like '%:%' then 'ipv6-addr'
        when {{ indicator_type }} = 'ip' then 'ipv4-addr'
        when {{ indicator_type }} is not null then {{ indicator_type }}
        when regexp_full_match({{ refang(value) }}, '\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?')
            then 'ipv4-addr'
        when regexp_full_match({{ refang(value) }}, '[0-9a-f:]*:[0-9a-f:]*(/\d{1,3})?', 'i')
            then 'ipv6-addr'
        when regexp_matches({{ refang(value) }}, '^[a-z][a-z0-9+.-]*://', 'i') then 'url'
        when regexp_full_match({{ refang(value) }}, '[^@\s]+@[^@\s]+') then 'email-addr'
        when regexp_full_match(trim({{ value }}), '[0-9a-f]{32}', 'i') then 'file:md5'
        when regexp_full_match(trim({{ value }}), '[0-9a-f]{40}', 'i') then 'file:sha1'
        when regexp_full_match(trim({{ value }}), '[0-9a-f]{64}', 'i') then 'file:sha256'
        when regexp_full_match({{ refang(value) }}, '[^\s/]+\.[^\s/]+') then 'domain-name'
    end
{%- endmacro %}

{#- Whether a canonical value is well formed for its type (IPv4 octets, hash lengths, ...). -#}
{% macro indicator_value_is_valid(indicator_type, value) -%}
    coalesce(
        case {{ indicator_type }}
            when 'ipv4-addr' then regexp_full_match(
                {{ value }},
                '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}'
                || '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(/([0-9]|[12][0-9]|3[0-2]))?'
            )
            when 'ipv6-addr' then {{ value }} is not null
            when 'domain-name' then regexp_full_match(
                {{ value }}, '([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]{2,}'
            )
            when 'url' then regexp_full_match({{ value }}, '[a-z][a-z0-9+.-]*://[^\s/?#]+.*')
            when 'email-addr' then regexp_full_match(
                {{ value }}, '[^@\s]+@([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]{2,}'
            )
            when 'file:md5' then regexp_full_match({{ value }}, '[0-9a-f]{32}')
            when 'file:sha1' then regexp_full_match({{ value }}, '[0-9a-f]{40}')
            when 'file:sha256' then regexp_full_match({{ value }}, '[0-9a-f]{64}')
            when 'cryptocurrency-wallet' then regexp_full_match({{ value }}, '[a-z0-9]{25,100}', 'i')
            else false
        end,
        false
    )
{%- endmacro %}
