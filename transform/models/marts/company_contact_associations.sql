{{
    config(
        primary_key='id',
        unique_keys=[{'name': 'uk_company_contact', 'columns': ['company_id', 'contact_id']}],
        indexes=[
            {'name': 'idx_company_id', 'columns': ['company_id']},
            {'name': 'idx_contact_id', 'columns': ['contact_id']},
        ],
        insert_order_by='id is null, id',
    )
}}
{{ mirai_association_mart('stg_hubspot__associations_companies_contacts', 'companies', 'contacts', 'company_id', 'contact_id') }}
