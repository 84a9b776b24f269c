{{
    config(
        primary_key='id',
        unique_keys=[{'name': 'uk_contact_property', 'columns': ['contact_id', 'property_id']}],
        indexes=[
            {'name': 'idx_contact_id', 'columns': ['contact_id']},
            {'name': 'idx_property_id', 'columns': ['property_id']},
        ],
        insert_order_by='id is null, id',
    )
}}
{{ mirai_association_mart('stg_hubspot__associations_contacts_bukken', 'contacts', 'properties', 'contact_id', 'property_id') }}
