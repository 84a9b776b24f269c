with

source as (

    select * from {{ source('hubspot', 'property_definitions') }}

),

renamed as (

    select
        cast(object_type as char(64)) as object_type,
        cast(name as char(255)) as name,
        cast(label as char(500)) as label,
        cast(type as char(64)) as type,
        cast(fieldType as char(64)) as field_type,
        cast(groupName as char(255)) as group_name,
        coalesce(lower(cast(hubspotDefined as char)), 'false') in ('1', 'true') as is_hubspot_defined,
        coalesce(lower(cast(calculated as char)), 'false') in ('1', 'true') as is_calculated
    from source
    where {{ mirai_is_live() }}

)

select * from renamed
