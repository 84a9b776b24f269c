{{
    config(
        unique_key='id',
        hubspot_object='contacts',
        primary_key='id',
        unique_keys=[{'name': 'idx_hubspot_id', 'columns': ['hubspot_id']}],
        indexes=[{'name': 'idx_last_synced_at', 'columns': ['last_synced_at']}],
        post_hook="{{ mirai_delete_missing(ref('stg_hubspot__contacts')) }}",
    )
}}
-- depends_on: {{ ref('stg_hubspot__property_definitions') }}
{{ mirai_object_mart('stg_hubspot__contacts') }}
