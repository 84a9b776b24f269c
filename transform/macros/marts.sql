{#- True when the model's own table already exists (compile time). -#}
{% macro mirai_relation_exists() -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(load_relation(this) is not none) }}
{%- endmacro %}

{#- Incremental filter of the object marts: only records loaded after the mart's newest load time
    (minus var mirai_incremental_lookback_minutes). -#}
{% macro mirai_incremental_filter() -%}
    {%- if mirai_is_incremental() %}
    where last_synced_at > (
        select coalesce(max(last_synced_at), cast('1000-01-01' as datetime(6)))
            - interval {{ var('mirai_incremental_lookback_minutes', 0) | int }} minute
        from {{ this }}
    )
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of the incremental object marts: delete rows whose record is no longer live in raw
    (archived in HubSpot, retired by ACTIVATE_VERSION, or hard-deleted). The live keys go into an
    indexed temporary table first, so the anti-join is one pass on MySQL 8 and MariaDB alike (a
    NOT IN/NOT EXISTS on the staging view runs as a dependent subquery inside DELETE). -#}
{% macro mirai_delete_missing(live_relation, key='id') -%}
    {%- set live_keys = this.schema ~ '.`' ~ this.identifier ~ '__live_keys`' -%}
    {%- if execute -%}
        {% do run_query('drop temporary table if exists ' ~ live_keys) %}
        {% do run_query('create temporary table ' ~ live_keys ~ ' (primary key (`' ~ key ~ '`)) '
                        ~ 'select `' ~ key ~ '` from ' ~ live_relation) %}
    {%- endif %}
    delete {{ this }}
    from {{ this }}
    left join {{ live_keys }} as live_rows
        on live_rows.`{{ key }}` = {{ this }}.`{{ key }}`
    where live_rows.`{{ key }}` is null
{%- endmacro %}

{#- An object mart: live staging rows, incrementally. -#}
{% macro mirai_object_mart(staging_model) -%}
with

staged as (

    select * from {{ ref(staging_model) }}
    {{- mirai_incremental_filter() }}

)

select * from staged
{%- endmacro %}

{#- An association mart: one row per (from, to) pair whose both ends are in their marts, with
    association_type = the user-defined label(s) joined with ';' if any, else 'primary' when HubSpot
    marks the pair primary (HUBSPOT_DEFINED type ids 1, 2, 5, 6), else 'default'. `id` and
    `created_at` of a pair survive rebuilds; a new pair gets the next AUTO_INCREMENT id. -#}
{% macro mirai_association_mart(staging_model, from_mart, to_mart, from_column, to_column) -%}
with

associations as (

    select * from {{ ref(staging_model) }}

),

from_objects as (

    select id from {{ ref(from_mart) }}

),

to_objects as (

    select id from {{ ref(to_mart) }}

),

{% if mirai_relation_exists() -%}
previous as (

    select id, `{{ from_column }}` as from_id, `{{ to_column }}` as to_id, created_at
    from {{ this }}

),

{% endif -%}
pairs as (

    select
        from_id,
        to_id,
        group_concat(
            distinct case when type_category = 'USER_DEFINED' then type_label end
            order by case when type_category = 'USER_DEFINED' then type_label end
            separator ';'
        ) as user_labels,
        max(case when type_category = 'HUBSPOT_DEFINED' and type_id in (1, 2, 5, 6) then 1 else 0 end) as is_primary,
        min(last_synced_at) as first_synced_at
    from associations
    group by from_id, to_id

),

live_pairs as (

    select pairs.*
    from pairs
    inner join from_objects on from_objects.id = pairs.from_id
    inner join to_objects on to_objects.id = pairs.to_id

),

final as (

    select
        {% if mirai_relation_exists() -%} previous.id {%- else -%} cast(null as signed) {%- endif %} as id,
        live_pairs.from_id as `{{ from_column }}`,
        live_pairs.to_id as `{{ to_column }}`,
        coalesce(
            live_pairs.user_labels,
            case when live_pairs.is_primary = 1 then 'primary' else 'default' end
        ) as association_type,
        {% if mirai_relation_exists() -%}
        coalesce(previous.created_at, live_pairs.first_synced_at)
        {%- else -%}
        live_pairs.first_synced_at
        {%- endif %} as created_at
    from live_pairs
    {% if mirai_relation_exists() -%}
    left join previous
        on previous.from_id = live_pairs.from_id and previous.to_id = live_pairs.to_id
    {%- endif %}

)

select * from final
{%- endmacro %}
