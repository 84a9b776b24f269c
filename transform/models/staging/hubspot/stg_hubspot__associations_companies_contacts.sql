{{ mirai_stg_associations('associations_companies_contacts') }}
