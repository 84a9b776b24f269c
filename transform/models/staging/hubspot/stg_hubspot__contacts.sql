{#- Live contacts, one typed column per HubSpot property (generated from property_definitions). -#}
{{ mirai_stg_object('contacts') }}
