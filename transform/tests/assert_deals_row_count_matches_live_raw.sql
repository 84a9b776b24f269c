{#- The deals mart holds exactly the live raw records (no fan-out, no loss, deletes applied). -#}
with

mart as (

    select count(*) as row_count from {{ ref('deals') }}

),

live_raw as (

    select count(*) as row_count from {{ ref('stg_hubspot__deals') }}

)

select mart.row_count as mart_rows, live_raw.row_count as live_raw_rows
from mart
cross join live_raw
where mart.row_count <> live_raw.row_count
