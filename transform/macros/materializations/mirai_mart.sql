{#- mirai_mart: a mart table with explicit column types, keys and indexes (the documented DDL),
    built by CREATE TABLE + INSERT ... SELECT.

    Config:
      unique_key      column: incremental delete+insert by this key once the table exists
                      (unset: every run rebuilds into `<name>__dbt_new` and swaps it in atomically)
      hubspot_object  companies/contacts/deals: add the generated property columns
                      (macros/hubspot_property_columns.sql) after `hubspot_id`
      primary_key     column(s)
      unique_keys     [{name, columns}]
      indexes         [{name, columns}]
      insert_order_by ORDER BY of the INSERT (e.g. explicit AUTO_INCREMENT ids first)
    Fixed columns and their types come from the model's yml (`data_type`, a MySQL column definition).

    Incremental runs (table exists, unique_key set, no --full-refresh):
      1. new property columns are added (ALTER TABLE ... ADD COLUMN) and filled from the mart's own
         `properties` JSON; a property whose HubSpot type changed gets its column re-created;
      2. missing documented indexes are added (idempotent);
      3. the model's rows (only records loaded since the mart's newest last_synced_at) replace the
         rows with the same key. Deleting archived/retired rows is the model's post-hook.
    dbt-mysql's own incremental ignores on_schema_change; this one does not need it. -#}

{% macro mirai_is_incremental() -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {{ return(relation is not none and relation.type == 'table'
              and config.get('unique_key') is not none and not should_full_refresh()) }}
{%- endmacro %}

{% macro mirai_mart_columns(property_columns) -%}
    {%- set columns = [] -%}
    {%- for name, column in model.columns.items() if column.data_type -%}
        {%- do columns.append({'column': name, 'ddl': column.data_type}) -%}
        {%- if name == 'hubspot_id' -%}
            {%- for spec in property_columns -%}
                {%- do columns.append(spec) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro mirai_quote_list(names) -%}
    {%- set quoted = [] -%}
    {%- for name in ([names] if names is string else names) -%}
        {%- do quoted.append('`' ~ name ~ '`') -%}
    {%- endfor -%}
    {{ return(quoted | join(', ')) }}
{%- endmacro %}

{% macro mirai_create_table_sql(relation, columns) -%}
    create table {{ relation }} (
    {%- for column in columns %}
        `{{ column.column }}` {{ column.ddl }},
    {%- endfor %}
    {%- for key in config.get('unique_keys', []) %}
        unique key `{{ key.name }}` ({{ mirai_quote_list(key.columns) }}),
    {%- endfor %}
    {%- for index in config.get('indexes', []) %}
        index `{{ index.name }}` ({{ mirai_quote_list(index.columns) }}),
    {%- endfor %}
        primary key ({{ mirai_quote_list(config.require('primary_key')) }})
    ) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_unicode_ci row_format = dynamic
{%- endmacro %}

{% macro mirai_insert_sql(relation, columns, select_sql) -%}
    {%- set names = columns | map(attribute='column') | list -%}
    insert into {{ relation }} ({{ mirai_quote_list(names) }})
    select {{ mirai_quote_list(names) }}
    from (
        {{ select_sql }}
    ) as mirai_source
    {%- if config.get('insert_order_by') %}
    order by {{ config.get('insert_order_by') }}
    {%- endif %}
{%- endmacro %}

{#- Relaxed sql_mode for the INSERTs only: a malformed value becomes NULL instead of failing the
    hourly job (every cast is guarded; this catches impossible dates such as 2024-02-30). -#}
{% macro mirai_relax_sql_mode() -%}
    {% do run_query("set @mirai_saved_sql_mode = @@session.sql_mode") %}
    {% do run_query("set session sql_mode = 'NO_ENGINE_SUBSTITUTION'") %}
{%- endmacro %}

{% macro mirai_restore_sql_mode() -%}
    {% do run_query("set session sql_mode = @mirai_saved_sql_mode") %}
{%- endmacro %}

{% macro mirai_existing_columns(relation) -%}
    {%- set rows = run_query(
        "select column_name, column_type from information_schema.columns where table_schema = '"
        ~ relation.schema ~ "' and table_name = '" ~ relation.identifier ~ "' order by ordinal_position").rows -%}
    {%- set result = {} -%}
    {%- for row in rows -%}
        {%- do result.update({row[0] | lower: row[1] | lower}) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}

{#- Add the documented unique keys / indexes that an existing table lacks (idempotent). -#}
{% macro mirai_ensure_indexes(relation) -%}
    {%- set rows = run_query(
        "select distinct index_name from information_schema.statistics where table_schema = '"
        ~ relation.schema ~ "' and table_name = '" ~ relation.identifier ~ "'").rows -%}
    {%- set present = rows | map(attribute=0) | map('lower') | list -%}
    {%- set clauses = [] -%}
    {%- for key in config.get('unique_keys', []) if key.name | lower not in present -%}
        {%- do clauses.append('add unique key `' ~ key.name ~ '` (' ~ mirai_quote_list(key.columns) ~ ')') -%}
    {%- endfor -%}
    {%- for index in config.get('indexes', []) if index.name | lower not in present -%}
        {%- do clauses.append('add index `' ~ index.name ~ '` (' ~ mirai_quote_list(index.columns) ~ ')') -%}
    {%- endfor -%}
    {%- if clauses -%}
        {% do run_query('alter table ' ~ relation ~ ' ' ~ clauses | join(', ')) %}
    {%- endif -%}
{%- endmacro %}

{#- Bring an existing object mart's property columns in line with the selected ones. -#}
{% macro mirai_sync_property_columns(relation, property_columns) -%}
    {%- set existing = mirai_existing_columns(relation) -%}
    {%- set drops = [] -%}
    {%- set adds = [] -%}
    {%- for spec in property_columns -%}
        {%- set current = existing.get(spec.column | lower) -%}
        {%- if current is none -%}
            {%- do adds.append(spec) -%}
        {%- elif current != spec.ddl -%}
            {%- do drops.append('drop column `' ~ spec.column ~ '`') -%}
            {%- do adds.append(spec) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if drops -%}
        {% do run_query('alter table ' ~ relation ~ ' ' ~ drops | join(', ')) %}
    {%- endif -%}
    {%- if adds -%}
        {%- set clauses = [] -%}
        {%- for spec in adds -%}
            {%- do clauses.append('add column `' ~ spec.column ~ '` ' ~ spec.ddl) -%}
        {%- endfor -%}
        {% do run_query('alter table ' ~ relation ~ ' ' ~ clauses | join(', ')) %}
        {%- set sets = [] -%}
        {%- for spec in adds -%}
            {%- do sets.append('`' ~ spec.column ~ '` = ' ~ mirai_property_value('`properties`', spec.property, spec.key)) -%}
        {%- endfor -%}
        {{ mirai_relax_sql_mode() }}
        {% do run_query('update ' ~ relation ~ ' set ' ~ sets | join(',\n    ')) %}
        {{ mirai_restore_sql_mode() }}
        {{ log('mirai_mart: ' ~ relation ~ ' gained columns ' ~ (adds | map(attribute='column') | join(', ')), info=true) }}
    {%- endif -%}
{%- endmacro %}

{% materialization mirai_mart, adapter='mysql' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_relation(this) -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- set hubspot_object = config.get('hubspot_object') -%}
    {%- set incremental = existing_relation is not none and existing_relation.is_table
                          and unique_key is not none and not should_full_refresh() -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- set property_columns = [] -%}
    {%- if hubspot_object -%}
        {%- set existing_names = mirai_existing_columns(target_relation).keys() | list if incremental else [] -%}
        {%- set property_columns = mirai_select_property_columns(hubspot_object, existing_names) -%}
    {%- endif -%}
    {%- set columns = mirai_mart_columns(property_columns) -%}

    {%- if incremental -%}
        {%- if hubspot_object -%}
            {{ mirai_sync_property_columns(target_relation, property_columns) }}
        {%- endif -%}
        {{ mirai_ensure_indexes(target_relation) }}
        {%- set tmp_relation = api.Relation.create(
                identifier=this.identifier ~ '__dbt_tmp', schema=this.schema, type='table') -%}
        {% do run_query('drop temporary table if exists ' ~ tmp_relation) %}
        {% do run_query('create temporary table ' ~ tmp_relation ~ ' like ' ~ target_relation) %}
        {{ mirai_relax_sql_mode() }}
        {% do run_query(mirai_insert_sql(tmp_relation, columns, sql)) %}
        {% do run_query('delete from ' ~ target_relation ~ ' where `' ~ unique_key ~ '` in (select `'
                        ~ unique_key ~ '` from ' ~ tmp_relation ~ ')') %}
        {% call statement('main') -%}
            {{ mirai_insert_sql(target_relation, columns, 'select * from ' ~ tmp_relation) }}
        {%- endcall %}
        {{ mirai_restore_sql_mode() }}
        {% do run_query('drop temporary table if exists ' ~ tmp_relation) %}
    {%- else -%}
        {%- set new_relation = api.Relation.create(
                identifier=this.identifier ~ '__dbt_new', schema=this.schema, type='table') -%}
        {%- set old_relation = api.Relation.create(
                identifier=this.identifier ~ '__dbt_old', schema=this.schema, type='table') -%}
        {% do adapter.drop_relation(new_relation) %}
        {% do adapter.drop_relation(old_relation) %}
        {% do run_query(mirai_create_table_sql(new_relation, columns)) %}
        {{ mirai_relax_sql_mode() }}
        {% call statement('main') -%}
            {{ mirai_insert_sql(new_relation, columns, sql) }}
        {%- endcall %}
        {{ mirai_restore_sql_mode() }}
        {%- if existing_relation is none -%}
            {% do run_query('rename table ' ~ new_relation ~ ' to ' ~ target_relation) %}
        {%- elif existing_relation.is_view -%}
            {% do adapter.drop_relation(existing_relation) %}
            {% do run_query('rename table ' ~ new_relation ~ ' to ' ~ target_relation) %}
        {%- else -%}
            {% do run_query('rename table ' ~ target_relation ~ ' to ' ~ old_relation ~ ', '
                            ~ new_relation ~ ' to ' ~ target_relation) %}
            {% do adapter.drop_relation(old_relation) %}
        {%- endif -%}
    {%- endif -%}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do adapter.commit() %}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
