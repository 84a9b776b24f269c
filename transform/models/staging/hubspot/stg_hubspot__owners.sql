with

source as (

    select * from {{ source('hubspot', 'owners') }}

),

live as (

    select * from source
    where {{ mirai_is_live() }}

),

renamed as (

    select
        cast(id as signed) as id,
        cast(id as char(255)) as hubspot_id,
        nullif(cast(email as char(255)), '') as email,
        nullif(cast(firstName as char(255)), '') as firstname,
        nullif(cast(lastName as char(255)), '') as lastname,
        cast(nullif(cast(userId as char), '') as signed) as user_id,
        nullif(cast(type as char(64)), '') as type,
        teams,
        {{ mirai_iso_datetime('createdAt', 3) }} as created_at,
        {{ mirai_iso_datetime('updatedAt', 3) }} as updated_at,
        {{ mirai_iso_datetime('_sdc_batched_at', 6) }} as last_synced_at
    from live

)

select * from renamed
