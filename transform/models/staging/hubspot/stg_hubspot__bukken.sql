{#- Live bukken (物件) records: the documented columns plus every property in `properties`. -#}
with

source as (

    select * from {{ source('hubspot', 'bukken') }}

),

live as (

    select * from source
    where {{ mirai_is_live() }}

),

renamed as (

    select
        cast(id as signed) as id,
        cast(id as char(255)) as hubspot_id,
        left({{ mirai_json_text('properties', 'bukken_name') }}, 500) as bukken_name,
        left({{ mirai_json_text('properties', 'bukken_state') }}, 255) as bukken_state,
        left({{ mirai_json_text('properties', 'bukken_city') }}, 255) as bukken_city,
        {{ mirai_json_text('properties', 'bukken_address') }} as bukken_address,
        properties,
        {{ mirai_iso_datetime('createdAt', 3) }} as created_at,
        {{ mirai_iso_datetime('updatedAt', 3) }} as updated_at,
        {{ mirai_iso_datetime('_sdc_batched_at', 6) }} as last_synced_at
    from live

)

select * from renamed
