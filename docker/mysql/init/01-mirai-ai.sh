#!/bin/bash
# mirai-ai databases and users. The mysql image runs this once, on an empty data directory, from
# /docker-entrypoint-initdb.d (sourced, as root, through the image's docker_process_sql).
#
#   MIRAI_RAW_DATABASE  (hubspot_raw)  raw Singer tables, written by target-mysql
#   MIRAI_DATABASE      (mirai_ai)     the documented marts (dbt) and ai_enrich's own ai_* tables
#   MIRAI_PIPELINE_USER / _PASSWORD    writes both databases: target-mysql and dbt (MYSQL_USER)
#   MIRAI_AI_USER / _PASSWORD          reads the marts, writes only MIRAI_AI_TABLES (MYSQL_AI_USER)
#   MIRAI_AI_TABLES     (ai_embeddings ai_migrations)  MySQL has no wildcard for table grants, so
#                                      ai_enrich's tables are named; add new ones here and GRANT them.
#
# Names are checked (letters, digits, _ and $), passwords are escaped; nothing is printed.

mirai_init_fail() {
    echo "01-mirai-ai.sh: $*" >&2
    return 1
}

mirai_init_name() { # $1 variable name, $2 value, $3 longest length
    if [[ ! $2 =~ ^[A-Za-z0-9_\$]+$ ]] || ((${#2} > $3)); then
        mirai_init_fail "$1 must be 1 to $3 letters, digits, _ or \$ (got '$2')"
        return 1
    fi
}

mirai_init_string() { # a MySQL string literal: backslash and quote escaped
    local value=${1//\\/\\\\}
    value=${value//\'/\'\'}
    printf "'%s'" "$value"
}

mirai_init_sql() {
    local marts=${MIRAI_DATABASE:-mirai_ai}
    local raw=${MIRAI_RAW_DATABASE:-hubspot_raw}
    local pipeline=${MIRAI_PIPELINE_USER:-mirai_pipeline}
    local ai=${MIRAI_AI_USER:-mirai_ai_reader}
    local tables=${MIRAI_AI_TABLES:-ai_embeddings ai_migrations}
    local table

    mirai_init_name MIRAI_DATABASE "$marts" 64 || return 1
    mirai_init_name MIRAI_RAW_DATABASE "$raw" 64 || return 1
    mirai_init_name MIRAI_PIPELINE_USER "$pipeline" 32 || return 1
    mirai_init_name MIRAI_AI_USER "$ai" 32 || return 1
    [[ $pipeline != root && $ai != root ]] || mirai_init_fail "the mirai users must not be root" || return 1
    [[ $pipeline != "$ai" ]] || mirai_init_fail "MIRAI_PIPELINE_USER and MIRAI_AI_USER must differ" || return 1
    [[ -n ${MIRAI_PIPELINE_PASSWORD:-} ]] || mirai_init_fail "MIRAI_PIPELINE_PASSWORD is not set" || return 1
    [[ -n ${MIRAI_AI_PASSWORD:-} ]] || mirai_init_fail "MIRAI_AI_PASSWORD is not set" || return 1

    # In database-level grants `_` is a wildcard: escape it so a grant names exactly one database.
    local marts_grant=${marts//_/\\_} raw_grant=${raw//_/\\_}
    local writer="SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES,
        CREATE VIEW, SHOW VIEW, CREATE TEMPORARY TABLES, LOCK TABLES"

    cat <<SQL
CREATE DATABASE IF NOT EXISTS \`$raw\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS \`$marts\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$pipeline'@'%' IDENTIFIED BY $(mirai_init_string "$MIRAI_PIPELINE_PASSWORD");
GRANT $writer ON \`$raw_grant\`.* TO '$pipeline'@'%';
GRANT $writer ON \`$marts_grant\`.* TO '$pipeline'@'%';
CREATE USER IF NOT EXISTS '$ai'@'%' IDENTIFIED BY $(mirai_init_string "$MIRAI_AI_PASSWORD");
GRANT SELECT, SHOW VIEW ON \`$marts_grant\`.* TO '$ai'@'%';
SQL
    for table in $tables; do
        mirai_init_name MIRAI_AI_TABLES "$table" 64 || return 1
        [[ $table == ai_* ]] || mirai_init_fail "MIRAI_AI_TABLES: $table does not start with ai_" || return 1
        echo "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX ON \`$marts\`.\`$table\` TO '$ai'@'%';"
    done
    echo "FLUSH PRIVILEGES;"
}

# Sourced by the image, docker_process_sql exists; run on its own (chmod +x), use the socket as root.
if ! declare -F docker_process_sql >/dev/null; then
    docker_process_sql() {
        MYSQL_PWD=${MYSQL_ROOT_PASSWORD:-} mysql --protocol=socket -uroot -hlocalhost
    }
fi

mirai_init_main() {
    local sql
    sql=$(mirai_init_sql) || return 1
    docker_process_sql <<<"$sql" || return 1
    echo "01-mirai-ai.sh: created ${MIRAI_RAW_DATABASE:-hubspot_raw}, ${MIRAI_DATABASE:-mirai_ai} and their users"
}

mirai_init_main || exit 1
