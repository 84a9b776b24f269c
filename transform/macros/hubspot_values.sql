{#- Typed values out of HubSpot's `properties` JSON, portable to MySQL 8.0 and MariaDB 10.11
    (JSON_EXTRACT/JSON_UNQUOTE only, no ->/->>). Empty strings and JSON null become SQL NULL. -#}

{% macro mirai_json_path(key) -%}
    '$."{{ key }}"'
{%- endmacro %}

{#- The value as text: JSON null -> NULL, strings unquoted, "" -> NULL. -#}
{% macro mirai_json_text(json_column, key) -%}
    nullif(json_unquote(nullif(cast(json_extract({{ json_column }}, {{ mirai_json_path(key) }}) as char character set utf8mb4), 'null')), '')
{%- endmacro %}

{#- An ISO-8601 UTC string ('2024-05-01T09:30:00.123Z', '2024-05-01T09:30:00Z', '2024-05-01') or a
    DATETIME value as DATETIME(precision); anything else is NULL. -#}
{% macro mirai_iso_datetime(expression, precision=3) -%}
    cast(nullif(replace(regexp_substr(cast({{ expression }} as char character set utf8mb4), '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?'), 'T', ' '), '') as datetime({{ precision }}))
{%- endmacro %}

{#- True when a raw row is live: not retired/deleted by the loader and not archived in HubSpot. -#}
{% macro mirai_is_live(deleted_at='_sdc_deleted_at', archived='archived') -%}
    {{ deleted_at }} is null and coalesce(lower(cast({{ archived }} as char)), 'false') not in ('1', 'true')
{%- endmacro %}

{#- The typed expression of one property (type_key: number, bool, date, datetime, text). -#}
{% macro mirai_property_value(json_column, key, type_key) -%}
    {%- set value = mirai_json_text(json_column, key) -%}
    {%- if type_key == 'number' -%}
        case when {{ value }} regexp '^-?[0-9]{1,28}([.][0-9]+)?([eE]-?[0-9]{1,2})?$' then cast({{ value }} as decimal(38, 10)) end
    {%- elif type_key == 'bool' -%}
        case lower({{ value }}) when 'true' then 1 when '1' then 1 when 'false' then 0 when '0' then 0 end
    {%- elif type_key == 'date' -%}
        cast(case when {{ value }} regexp '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then left({{ value }}, 10) end as date)
    {%- elif type_key == 'datetime' -%}
        {{ mirai_iso_datetime(value, 3) }}
    {%- else -%}
        {{ value }}
    {%- endif -%}
{%- endmacro %}
