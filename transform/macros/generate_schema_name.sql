{#- Marts and staging views go to exactly the profile's schema (MYSQL_DATABASE): a "schema" is a
    MySQL database, and dbt's default would prefix custom schemas with it. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
