{#- bukken (物件) records; the table keeps the seed's name `properties`. -#}
{{
    config(
        unique_key='id',
        primary_key='id',
        unique_keys=[{'name': 'idx_hubspot_id', 'columns': ['hubspot_id']}],
        indexes=[
            {'name': 'idx_bukken_name', 'columns': ['bukken_name']},
            {'name': 'idx_last_synced_at', 'columns': ['last_synced_at']},
        ],
        post_hook="{{ mirai_delete_missing(ref('stg_hubspot__bukken')) }}",
    )
}}
{{ mirai_object_mart('stg_hubspot__bukken') }}
