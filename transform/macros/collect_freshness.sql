{#- Source freshness compares the loader's UTC `_sdc_batched_at` with UTC now, whatever the
    server's time zone is (dbt-mysql's default uses current_timestamp(), i.e. session time). -#}
{% macro mysql__collect_freshness(source, loaded_at_field, filter) %}
    {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        select
            max({{ loaded_at_field }}) as max_loaded_at,
            utc_timestamp() as snapshotted_at
        from {{ source }}
        {% if filter %}
        where {{ filter }}
        {% endif %}
    {% endcall %}
    {{ return(load_result('collect_freshness')) }}
{% endmacro %}
