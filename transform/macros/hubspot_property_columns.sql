{#- Property columns of the object marts, generated at compile time from the raw
    `property_definitions` stream (through stg_hubspot__property_definitions).

    Naming: the HubSpot property name; a name that clashes with one of our own columns gets the prefix
    `prop_`; a name longer than 64 characters keeps its first 55 characters plus `_` and 8 hex
    characters of its md5. Names outside [A-Za-z0-9_] are not typed (they stay in `properties`).

    Types: number -> DECIMAL(38,10), bool -> BOOLEAN, date -> DATE, datetime -> DATETIME(3) (UTC),
    everything else -> MEDIUMTEXT (utf8mb4, 16 MB: holds HubSpot's longest values). -#}

{% macro mirai_reserved_columns() -%}
    {{ return(['id', 'hubspot_id', 'created_at', 'updated_at', 'last_synced_at', 'properties']) }}
{%- endmacro %}

{% macro mirai_property_type(hubspot_type) -%}
    {%- set t = (hubspot_type or '') | lower -%}
    {%- if t == 'number' -%}
        {{ return({'key': 'number', 'ddl': 'decimal(38,10)', 'bytes': 17}) }}
    {%- elif t in ('bool', 'boolean') -%}
        {{ return({'key': 'bool', 'ddl': 'tinyint(1)', 'bytes': 1}) }}
    {%- elif t == 'date' -%}
        {{ return({'key': 'date', 'ddl': 'date', 'bytes': 3}) }}
    {%- elif t in ('datetime', 'date-time', 'date_time') -%}
        {{ return({'key': 'datetime', 'ddl': 'datetime(3)', 'bytes': 7}) }}
    {%- else -%}
        {{ return({'key': 'text', 'ddl': 'mediumtext', 'bytes': 42}) }}
    {%- endif -%}
{%- endmacro %}

{% macro mirai_property_column_name(property_name) -%}
    {%- set name = property_name -%}
    {%- if name | lower in mirai_reserved_columns() -%}
        {%- set name = 'prop_' ~ name -%}
    {%- endif -%}
    {%- if name | length > 64 -%}
        {%- set name = name[:55] ~ '_' ~ local_md5(property_name)[:8] -%}
    {%- endif -%}
    {{ return(name) }}
{%- endmacro %}

{#- All live property definitions of one object type, as column specs ordered by property name:
    {property, column, key, ddl, bytes, hubspot_defined}. -#}
{% macro mirai_property_specs(object_type) -%}
    {%- set definitions = ref('stg_hubspot__property_definitions') -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select name, type, is_hubspot_defined
        from {{ definitions }}
        where object_type = '{{ object_type }}'
        order by name
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {%- set specs = [] -%}
    {%- set used = [] -%}
    {%- for row in rows -%}
        {%- if modules.re.match('^[A-Za-z0-9_]+$', row[0]) -%}
            {%- set column = mirai_property_column_name(row[0]) -%}
            {%- if column | lower in used -%}
                {%- set column = column[:55] ~ '_' ~ local_md5(row[0])[:8] -%}
            {%- endif -%}
            {%- do used.append(column | lower) -%}
            {%- set type = mirai_property_type(row[1]) -%}
            {%- do specs.append({
                'property': row[0], 'column': column, 'key': type.key, 'ddl': type.ddl,
                'bytes': type.bytes, 'hubspot_defined': row[2]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(specs) }}
{%- endmacro %}

{#- The property columns an object mart gets, deterministically:
    1. (incremental runs only) properties that already have a column in the mart, so a column never
       disappears or moves between hourly runs;
    2. the properties in var mirai_property_columns_include[object], in that order;
    3. every other property, alphabetically;
    skipping var mirai_property_columns_exclude[object], and stopping before the mart would exceed
    var mirai_max_property_columns columns or var mirai_max_property_row_bytes estimated in-page
    bytes (InnoDB strict mode refuses a CREATE/ALTER beyond ~8,126 bytes or 1,017 columns).
    Every property, typed or not, stays in the `properties` JSON column. -#}
{% macro mirai_select_property_columns(object_type, existing_columns=[]) -%}
    {%- set specs = mirai_property_specs(object_type) -%}
    {%- set include = var('mirai_property_columns_include', {}).get(object_type, []) or [] -%}
    {%- set exclude = var('mirai_property_columns_exclude', {}).get(object_type, []) or [] -%}
    {%- set max_columns = var('mirai_max_property_columns', 400) | int -%}
    {%- set max_bytes = var('mirai_max_property_row_bytes', 7500) | int -%}
    {%- set existing = existing_columns | map('lower') | list -%}
    {%- set by_property = {} -%}
    {%- for spec in specs -%}
        {%- do by_property.update({spec.property: spec}) -%}
    {%- endfor -%}
    {%- set ordered = [] -%}
    {%- for spec in specs if spec.column | lower in existing -%}
        {%- do ordered.append(spec) -%}
    {%- endfor -%}
    {%- for name in include if name in by_property and by_property[name] not in ordered -%}
        {%- do ordered.append(by_property[name]) -%}
    {%- endfor -%}
    {%- for spec in specs if spec not in ordered -%}
        {%- do ordered.append(spec) -%}
    {%- endfor -%}
    {%- set state = namespace(bytes=0, full=false) -%}
    {%- set selected = [] -%}
    {%- for spec in ordered if spec.property not in exclude -%}
        {%- if not state.full -%}
            {%- if selected | length + 1 > max_columns or state.bytes + spec.bytes > max_bytes -%}
                {%- set state.full = true -%}
            {%- else -%}
                {%- do selected.append(spec) -%}
                {%- set state.bytes = state.bytes + spec.bytes -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(selected) }}
{%- endmacro %}
