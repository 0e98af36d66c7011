-- SQL macros of the normalization rules, created once per connection in the in-memory catalog
-- ccw_rules (see duckdb_functions.py). Each reads a value as partners deliver it and returns
-- NULL when the value cannot be read, so that the models keep the record and quarantine only
-- the field.

-- Times ---------------------------------------------------------------------------------------

-- `v` read with `date_format` and as many time fields as it has (none, %H:%M or %H:%M:%S,
-- after `time_separator`): one format, never a list tried longest first. DuckDB 1.5's
-- strptime reads one byte past the end of a value shorter than the format it tries (a literal
-- compared without a bounds check: ':%S' against '12:30'), which ends the process when that
-- byte is past the end of mapped memory: a segmentation fault in StrpTimeFormat::Parse.
create or replace macro ccw_strptime_as_written(v, date_format, time_separator) as (
    case length(v) - length(replace(v, ':', ''))
        when 0 then try_strptime(v, date_format)
        when 1 then try_strptime(v, date_format || time_separator || '%H:%M')
        else try_strptime(v, date_format || time_separator || '%H:%M:%S')
    end
);

-- A naive date or date-time as written: ISO (space or T, fractions), yyyy/mm/dd, dd.mm.yyyy,
-- dd/mm/yyyy or mm/dd/yyyy (and with `-`) as the partner's registered date_order says (never
-- guessed: NULL without one), dd-Mon-yyyy, RFC 2822 without a zone; seconds optional.
create or replace macro ccw_naive_time(v, date_order) as (
    case
        when regexp_full_match(v, '\d{4}-\d{1,2}-\d{1,2}([t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?', 'i')
            then try_cast(v as timestamp)
        when regexp_full_match(v, '\d{4}/\d{1,2}/\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?')
            then ccw_strptime_as_written(v, '%Y/%m/%d', ' ')
        when regexp_full_match(v, '\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}:\d{2}(:\d{2})?)?')
            then ccw_strptime_as_written(v, '%d.%m.%Y', ' ')
        when regexp_full_match(v, '\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?|\d{1,2}-\d{1,2}-\d{4}( \d{1,2}:\d{2}(:\d{2})?)?')
            then case date_order
                when 'dmy' then ccw_strptime_as_written(replace(v, '-', '/'), '%d/%m/%Y', ' ')
                when 'mdy' then ccw_strptime_as_written(replace(v, '-', '/'), '%m/%d/%Y', ' ')
            end
        when regexp_full_match(v, '\d{1,2}(-[a-z]{3}-|\s[a-z]{3}\s)\d{4}( \d{1,2}:\d{2}(:\d{2})?)?', 'i')
            then ccw_strptime_as_written(replace(v, ' ', '-'), '%d-%b-%Y', '-')
        when regexp_full_match(v, '[a-z]{3}, \d{1,2} [a-z]{3} \d{4} \d{1,2}:\d{2}(:\d{2})?', 'i')
            then ccw_strptime_as_written(v, '%a, %d %b %Y', ' ')
    end
);

-- A delivered time as timestamptz. Epoch seconds, milliseconds and microseconds; Excel serial
-- days when `serials` (workbooks); ISO 8601 with `Z`, `UTC` or an offset (with or without
-- colon); RFC 2822 / RFC 1123 with an offset or GMT/UT/UTC; else a naive time (see
-- ccw_naive_time) in `zone`, the column's zone (UTC when its header says so) or the
-- partner's. NULL when empty or not a real time (2023-02-30, 25:00).
create or replace macro ccw_utc_time(text, zone, date_order, serials := false) as (
    case
        when nullif(trim(text), '') is null then null::timestamptz
        when regexp_full_match(trim(text), '\d{9,10}') then to_timestamp(trim(text)::bigint)
        when regexp_full_match(trim(text), '\d{12,13}')
            then to_timestamp(trim(text)::bigint / 1000.0)
        when regexp_full_match(trim(text), '\d{15,16}')
            then timezone('UTC', make_timestamp(trim(text)::bigint))
        when serials and regexp_full_match(trim(text), '\d{1,5}(\.\d+)?')
            then timezone(
                zone,
                timestamp '1899-12-30'
                + to_microseconds(round(trim(text)::double * 86400000000)::bigint)
            )
        when regexp_full_match(
            trim(text),
            '\d{4}-\d{1,2}-\d{1,2}[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(z|utc|gmt|[+-]\d{2}(:?\d{2})?)',
            'i'
        )
            then try_cast(
                regexp_replace(
                    regexp_replace(trim(text), '\s*(z|utc|gmt)$', '+00:00', 'i'),
                    '([t ]\d{1,2}:\d{2})([+-])',
                    '\1:00\2',
                    'i'
                ) as timestamptz
            )
        when regexp_full_match(
            trim(text),
            '([a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(:\d{2})?\s+(gmt|ut|utc|z|[+-]\d{4})',
            'i'
        )
            then try_strptime(
                regexp_replace(
                    regexp_replace(trim(text), '\s+', ' ', 'g'), ' (gmt|ut|utc|z)$', ' +0000', 'i'
                ),
                [
                    '%a, %d %b %Y %H:%M:%S %z', '%a, %d %b %Y %H:%M %z',
                    '%a,%d %b %Y %H:%M:%S %z', '%d %b %Y %H:%M:%S %z', '%d %b %Y %H:%M %z'
                ]
            )
        else timezone(zone, ccw_naive_time(trim(text), date_order))
    end
);

-- True when a value was delivered (`text` is not blank) but reading it gave NULL (`value`):
-- a field-level quarantine reason.
create or replace macro ccw_delivered_but_unread(text, value) as (
    nullif(trim(text), '') is not null and value is null
);

-- True when a time was delivered but cannot be read.
create or replace macro ccw_time_is_unreadable(text, zone, date_order, serials := false) as (
    ccw_delivered_but_unread(text, ccw_utc_time(text, zone, date_order, serials := serials))
);

-- Confidence --------------------------------------------------------------------------------

-- A numeric confidence as an integer 0-100: a percentage (`50%`) whatever the scale, else a
-- number on the partner's registered scale (0-100, 0-10 or 0-1). NULL when it is neither
-- (words and admiralty codes are looked up in the confidence_terms seed by the models).
create or replace macro ccw_numeric_confidence(text, scale) as (
    case
        when regexp_full_match(trim(text), '\d{1,3}(\.\d+)?\s*%')
            then case
                when rtrim(trim(text), '% ')::double <= 100
                    then round(rtrim(trim(text), '% ')::double)::integer
            end
        when not regexp_full_match(trim(text), '\d+(\.\d+)?') then null::integer
        when scale = '0-100' and trim(text)::double <= 100
            then round(trim(text)::double)::integer
        when scale = '0-10' and trim(text)::double <= 10
            then round(trim(text)::double * 10)::integer
        when scale = '0-1' and trim(text)::double <= 1
            then round(trim(text)::double * 100)::integer
    end
);

-- Indicator types ---------------------------------------------------------------------------

-- How a type word is compared: lower case, without spaces, `-`, `_` and quotes, so that
-- `Hash-MD5`, `hash_md5` and `hash md5`, or `file:hashes.'SHA-256'` and `file:hashes.sha256`,
-- are one word.
create or replace macro ccw_type_key(text) as (
    nullif(regexp_replace(lower(trim(text)), '[\s_''"-]+', '', 'g'), '')
);

-- Indicator values --------------------------------------------------------------------------

-- Undo the defanging partners apply so indicators cannot be clicked. Each rule fires only on
-- a real defang token, never on ordinary text: a scheme written hxxp, hXXps, xxxx(s) or meow
-- followed by `://` (in any of its defanged spellings: `[:]//`, `[://]`, ` ://`); dots as
-- `[.]`, `(.)`, `{.}` (mismatched brackets too), `[dot]`, `(dot)`, ` dot `, `\.`; at signs as
-- `[@]`, `(@)`, `[at]`, `(at)`, ` at `; `[:]` as `:`; `\/` as `/`.
create or replace macro ccw_refang(value) as (
    list_transform(
        [trim(value)],
        -- no rule fires without a bracket, a backslash, a space or a defanged scheme: the
        -- common, clean value is read by one expression instead of eight
        lambda v: case
            when not regexp_matches(v, '[\[\(\{\\\s]|^(?:hxxp|xxxx|meow)', 'i') then v
            else
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(
                            regexp_replace(
                                regexp_replace(
                                    regexp_replace(
                                        regexp_replace(
                                            v,
                                            '\\+/',
                                            '/',
                                            'g'
                                        ),
                                        '^([a-z][a-z0-9+.-]*)\s*(?:\[:\]\s*(?:\[//\]|//)|\[://\]|:\s*\[//\]|\s+://)',
                                        '\1://',
                                        'i'
                                    ),
                                    '^(?:hxxp|xxxx|meow)(s?)://',
                                    'http\1://',
                                    'i'
                                ),
                                '\s*[\[\(\{]+\s*(?:\.|dot)\s*[\]\)\}]+\s*|\s+dot\s+|\\+\.',
                                '.',
                                'gi'
                            ),
                            '\s*[\[\(\{]+\s*(?:@|at)\s*[\]\)\}]+\s*',
                            '@',
                            'gi'
                        ),
                        '^([^@\s]+)\s+at\s+([^@\s]+\.[^@\s]+)$',
                        '\1@\2',
                        'i'
                    ),
                    '\[:\]',
                    ':',
                    'g'
                ),
                '^([a-z][a-z0-9+.-]*)://\s+',
                '\1://',
                'i'
            )
        end
    )[1]
);

-- A macro's argument is an expression, copied wherever the macro names it, and DuckDB does
-- not share work inside CASE: a rule that would repeat an expensive argument (refang is eight
-- regular expressions) first binds it once, as the one element of a list it transforms:
-- `list_transform([expensive], lambda x: ...)[1]`.

-- A host name lower case, without its trailing dot, internationalised names as punycode.
create or replace macro ccw_canonical_host(host) as (
    list_transform(
        [rtrim(lower(host), '.')],
        lambda h: case when regexp_matches(h, '[^\x00-\x7f]') then ccw_idna_host(h) else h end
    )[1]
);

-- A URL refanged, with `http://` when it has no scheme but starts with a host name or IPv4
-- address, then a lower-case scheme and host; path, query and fragment as delivered.
create or replace macro ccw_url_with_scheme(url) as (
    list_transform(
        [url],
        lambda u: case
            when regexp_matches(u, '^[a-z][a-z0-9+.-]*://', 'i') then u
            when regexp_matches(
                u, '^([a-z0-9_-]+\.)+[a-z][a-z0-9-]*\.?(:\d+)?([/?#]|$)', 'i'
            ) or regexp_matches(u, '^\d{1,3}(\.\d{1,3}){3}(:\d+)?([/?#]|$)')
                then 'http://' || u
        end
    )[1]
);

create or replace macro ccw_canonical_url(url) as (
    list_transform(
        [url],
        lambda u: lower(regexp_extract(u, '^([a-z][a-z0-9+.-]*://)', 1, 'i'))
        || ccw_canonical_host(regexp_extract(u, '^[a-z][a-z0-9+.-]*://([^/?#:]*)', 1, 'i'))
        || regexp_extract(u, '^[a-z][a-z0-9+.-]*://[^/?#:]*(.*)$', 1, 'i')
    )[1]
);

-- The canonical form of an indicator value of a canonical type (see DESIGN.md): refanged,
-- host names lower case without trailing dot and IDN as punycode, URLs with a scheme and a
-- lower-case scheme and host, IPv6 compressed, hashes lower-case hex.
create or replace macro ccw_indicator_value(indicator_type, value) as (
    case
        when indicator_type like 'file:%' then lower(trim(value))
        when indicator_type = 'cryptocurrency-wallet' then trim(value)
        else list_transform(
            [ccw_refang(value)],
            lambda r: case
                when indicator_type = 'domain-name' then ccw_canonical_host(r)
                when indicator_type = 'email-addr'
                    then lower(split_part(r, '@', 1)) || '@'
                    || ccw_canonical_host(split_part(r, '@', 2))
                when indicator_type = 'url' then ccw_canonical_url(ccw_url_with_scheme(r))
                when indicator_type = 'ipv4-addr' then r
                when indicator_type = 'ipv6-addr' then ccw_ipv6(lower(r))
            end
        )[1]
    end
);

-- `ip` (IPv4 or IPv6, decided by the value) and a missing type (inferred from the value's
-- shape) resolved to a canonical type.
create or replace macro ccw_indicator_type(indicator_type, value) as (
    case
        when indicator_type is not null and indicator_type <> 'ip' then indicator_type
        else list_transform(
            [ccw_refang(value)],
            lambda r: case
                when indicator_type = 'ip' and r like '%:%' then 'ipv6-addr'
                when indicator_type = 'ip' then 'ipv4-addr'
                when regexp_full_match(r, '\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?') then 'ipv4-addr'
                when regexp_full_match(r, '[0-9a-f:]*:[0-9a-f:]*(/\d{1,3})?', 'i')
                    then 'ipv6-addr'
                when regexp_matches(r, '^[a-z][a-z0-9+.-]*://', 'i') then 'url'
                when regexp_full_match(r, '[^@\s]+@[^@\s]+') then 'email-addr'
                when regexp_full_match(trim(value), '[0-9a-f]{32}', 'i') then 'file:md5'
                when regexp_full_match(trim(value), '[0-9a-f]{40}', 'i') then 'file:sha1'
                when regexp_full_match(trim(value), '[0-9a-f]{64}', 'i') then 'file:sha256'
                when regexp_full_match(r, '[^\s/]+\.[^\s/]+') then 'domain-name'
            end
        )[1]
    end
);

-- Whether a value is canonical and well formed for its type (IPv4 octets, a URL's real scheme
-- and host, IPv6 compressed, hash lengths, ...).
create or replace macro ccw_indicator_is_valid(indicator_type, value) as (
    coalesce(
        case indicator_type
            when 'ipv4-addr' then regexp_full_match(
                value,
                '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}'
                || '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(/([0-9]|[12][0-9]|3[0-2]))?'
            )
            when 'ipv6-addr' then value = ccw_ipv6(value)
            when 'domain-name' then regexp_full_match(
                value, '([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]{2,}'
            )
            when 'url' then not regexp_matches(value, '^(hxxp|xxxx|meow)s?://', 'i')
            and regexp_full_match(
                value,
                '[a-z][a-z0-9+.-]*://([^\s/?#@]*@)?'
                || '([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*'
                || '|\[[0-9a-f:.]+\])(:\d{1,5})?([/?#]\S*)?'
            )
            when 'email-addr' then regexp_full_match(
                value, '[^@\s]+@([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]{2,}'
            )
            when 'file:md5' then regexp_full_match(value, '[0-9a-f]{32}')
            when 'file:sha1' then regexp_full_match(value, '[0-9a-f]{40}')
            when 'file:sha256' then regexp_full_match(value, '[0-9a-f]{64}')
            when 'cryptocurrency-wallet' then regexp_full_match(value, '[a-z0-9]{25,100}', 'i')
            else false
        end,
        false
    )
);

-- Amounts -----------------------------------------------------------------------------------

-- An amount as delivered ("1,750,000", "250000.0", "1 200,50") as a double.
create or replace macro ccw_amount_as_written(text) as (
    case
        when regexp_full_match(trim(text), '-?\d{1,3}(,\d{3})+(\.\d+)?')
            then try_cast(replace(trim(text), ',', '') as double)
        when regexp_full_match(trim(text), '-?\d{1,3}( \d{3})+(,\d+)?')
            then try_cast(replace(replace(trim(text), ' ', ''), ',', '.') as double)
        when regexp_full_match(trim(text), '-?\d+(\.\d+)?([eE][+-]?\d+)?')
            then try_cast(trim(text) as double)
    end
);

-- An amount that can be money: a finite number below a trillion (NaN, Infinity and 1e20 are
-- NULL, for a field-level quarantine row, never a cast error in a mart).
create or replace macro ccw_amount(text) as (
    case
        when abs(ccw_amount_as_written(text)) < 1e12 then ccw_amount_as_written(text)
    end
);

-- Whether a time cannot be true of a delivery: before 1990, or after the day after it was
-- delivered (a field-level quarantine row `implausible_time`; the time is then NULL).
create or replace macro ccw_time_is_implausible(ts, delivered_on) as (
    ts < timestamptz '1990-01-01'
    or (delivered_on is not null and ts >= (delivered_on + interval 2 day)::timestamptz)
);
