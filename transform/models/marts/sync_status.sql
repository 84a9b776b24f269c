{#- One row per documented entity from the loader's run log: the latest run's state and counts. -#}
{{
    config(
        primary_key='id',
        unique_keys=[{'name': 'uk_entity_type', 'columns': ['entity_type']}],
    )
}}
with

sync_runs as (

    select * from {{ ref('stg_hubspot__sync_runs') }}
    where entity_type is not null

),

entities as (

    select 1 as id, 'companies' as entity_type
    union all select 2, 'contacts'
    union all select 3, 'deals'
    union all select 4, 'properties'
    union all select 5, 'owners'

),

ranked_runs as (

    select
        sync_runs.*,
        row_number() over (
            partition by entity_type order by started_at desc, sync_run_id desc
        ) as run_rank
    from sync_runs

),

latest_runs as (

    select * from ranked_runs
    where run_rank = 1

),

successful_runs as (

    select
        entity_type,
        max(coalesce(finished_at, started_at)) as last_successful_sync_at
    from sync_runs
    where status = 'success'
    group by entity_type

),

final as (

    select
        entities.id,
        entities.entity_type,
        coalesce(latest_runs.finished_at, latest_runs.started_at) as last_sync_at,
        successful_runs.last_successful_sync_at,
        latest_runs.status as sync_status,
        case when latest_runs.status = 'error' then latest_runs.error_message end as error_message,
        coalesce(latest_runs.records_written, 0) as records_synced,
        latest_runs.started_at as updated_at
    from entities
    left join latest_runs on latest_runs.entity_type = entities.entity_type
    left join successful_runs on successful_runs.entity_type = entities.entity_type

)

select * from final
