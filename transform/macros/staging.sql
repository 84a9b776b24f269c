{#- Staging view of one CRM object (companies, contacts, deals): live records, one typed column per
    HubSpot property (all of them: a view has no InnoDB row limit; the marts pick their columns),
    the full `properties` JSON, HubSpot's timestamps and the load time. -#}
{% macro mirai_stg_object(object_type) -%}
with

source as (

    select * from {{ source('hubspot', object_type) }}

),

live as (

    select * from source
    where {{ mirai_is_live() }}

),

renamed as (

    select
        cast(id as signed) as id,
        cast(id as char(255)) as hubspot_id,
        {%- for spec in mirai_property_specs(object_type) %}
        {{ mirai_property_value('properties', spec.property, spec.key) }} as `{{ spec.column }}`,
        {%- endfor %}
        properties,
        {{ mirai_iso_datetime('createdAt', 3) }} as created_at,
        {{ mirai_iso_datetime('updatedAt', 3) }} as updated_at,
        {{ mirai_iso_datetime('_sdc_batched_at', 6) }} as last_synced_at
    from live

)

select * from renamed
{%- endmacro %}

{#- Staging view of one association stream: one row per (from_id, to_id, association type) with the
    type's category, id and label; a pair without types still gives one row (nulls). -#}
{% macro mirai_stg_associations(stream) -%}
with

source as (

    select * from {{ source('hubspot', stream) }}

),

live as (

    select * from source
    where _sdc_deleted_at is null

),

exploded as (

    select
        cast(live.from_id as signed) as from_id,
        cast(association.to_id as signed) as to_id,
        association.type_category,
        association.type_id,
        nullif(trim(association.type_label), '') as type_label,
        {{ mirai_iso_datetime('live._sdc_batched_at', 6) }} as last_synced_at
    from live
    cross join json_table(
        live.`to`,
        '$[*]' columns (
            to_id varchar(64) path '$.to_id',
            nested path '$.association_types[*]' columns (
                type_category varchar(64) path '$.category',
                type_id int path '$.typeId',
                type_label varchar(255) path '$.label'
            )
        )
    ) as association
    where association.to_id is not null and association.to_id <> ''

)

select * from exploded
{%- endmacro %}
