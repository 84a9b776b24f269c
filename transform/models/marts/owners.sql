{{
    config(
        primary_key='id',
        unique_keys=[{'name': 'idx_hubspot_id', 'columns': ['hubspot_id']}],
        indexes=[{'name': 'idx_last_synced_at', 'columns': ['last_synced_at']}],
    )
}}
with

owners as (

    select * from {{ ref('stg_hubspot__owners') }}

)

select * from owners
