{{
    config(
        primary_key='id',
        unique_keys=[{'name': 'uk_deal_contact', 'columns': ['deal_id', 'contact_id']}],
        indexes=[
            {'name': 'idx_deal_id', 'columns': ['deal_id']},
            {'name': 'idx_contact_id', 'columns': ['contact_id']},
        ],
        insert_order_by='id is null, id',
    )
}}
{{ mirai_association_mart('stg_hubspot__associations_deals_contacts', 'deals', 'contacts', 'deal_id', 'contact_id') }}
