{{
    config(
        primary_key='id',
        unique_keys=[{'name': 'uk_deal_property', 'columns': ['deal_id', 'property_id']}],
        indexes=[
            {'name': 'idx_deal_id', 'columns': ['deal_id']},
            {'name': 'idx_property_id', 'columns': ['property_id']},
        ],
        insert_order_by='id is null, id',
    )
}}
{{ mirai_association_mart('stg_hubspot__associations_deals_bukken', 'deals', 'properties', 'deal_id', 'property_id') }}
