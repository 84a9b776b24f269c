{#- Live companies, one typed column per HubSpot property (generated from property_definitions). -#}
{{ mirai_stg_object('companies') }}
