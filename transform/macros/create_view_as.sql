{#- MariaDB rejects `create view v as ( with ... )`; MySQL and MariaDB both accept it unparenthesized. -#}
{% macro mysql__create_view_as(relation, sql) -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {{ sql_header if sql_header is not none }}
    create view {{ relation }}
    as
    {{ sql }}
{%- endmacro %}
