{{ mirai_stg_associations('associations_deals_bukken') }}
