{#- The loader's run log, one row per stream and run, with the mart entity each stream feeds. -#}
with

source as (

    select * from {{ source('hubspot', '_sync_runs') }}

),

renamed as (

    select
        id as sync_run_id,
        cast(run_id as char(255)) as run_id,
        cast(stream as char(255)) as stream,
        case stream
            when 'companies' then 'companies'
            when 'contacts' then 'contacts'
            when 'deals' then 'deals'
            when 'bukken' then 'properties'
            when 'owners' then 'owners'
        end as entity_type,
        {{ mirai_iso_datetime('started_at', 6) }} as started_at,
        {{ mirai_iso_datetime('finished_at', 6) }} as finished_at,
        cast(status as char(32)) as status,
        records_written,
        nullif(cast(error_message as char), '') as error_message
    from source

)

select * from renamed
