{{ mirai_stg_associations('associations_contacts_bukken') }}
