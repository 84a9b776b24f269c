{{
    config(
        primary_key='id',
        unique_keys=[{'name': 'uk_deal_company', 'columns': ['deal_id', 'company_id']}],
        indexes=[
            {'name': 'idx_deal_id', 'columns': ['deal_id']},
            {'name': 'idx_company_id', 'columns': ['company_id']},
        ],
        insert_order_by='id is null, id',
    )
}}
{{ mirai_association_mart('stg_hubspot__associations_deals_companies', 'deals', 'companies', 'deal_id', 'company_id') }}
