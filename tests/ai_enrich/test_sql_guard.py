"""The SQL guard: one SELECT over allowed tables and known columns, with a LIMIT."""

from __future__ import annotations

import pytest

from ai_enrich.errors import SqlRejectedError
from ai_enrich.sql_guard import MAX_ROWS, guard

SCHEMA = {
    "deals": {"id": "BIGINT", "dealname": "TEXT", "amount": "DECIMAL", "dealstage": "TEXT"},
    "properties": {"id": "BIGINT", "bukken_state": "VARCHAR", "properties": "JSON"},
    "deal_property_associations": {"deal_id": "BIGINT", "property_id": "BIGINT"},
}
TOKYO_OPEN_DEALS = (
    "SELECT COUNT(DISTINCT d.id) AS n FROM deals d "
    "JOIN deal_property_associations a ON a.deal_id = d.id "
    "JOIN properties p ON p.id = a.property_id "
    "WHERE p.bukken_state = '東京都' AND d.dealstage NOT IN ('closedwon', 'closedlost')"
)


def check(sql: str) -> str:
    return guard(sql, SCHEMA, "mirai_ai")


def test_accepts_an_aggregate_join_and_adds_a_limit() -> None:
    checked = check(TOKYO_OPEN_DEALS)
    assert checked.endswith(f"LIMIT {MAX_ROWS}")
    assert "`p`.`bukken_state` = '東京都'" in checked


@pytest.mark.parametrize(
    ("sql", "limit"),
    [
        ("SELECT dealname FROM deals LIMIT 5", "LIMIT 5"),
        ("SELECT dealname FROM deals LIMIT 100000", f"LIMIT {MAX_ROWS}"),
        (
            "SELECT dealname FROM deals UNION SELECT bukken_state FROM properties",
            f"LIMIT {MAX_ROWS}",
        ),
        (
            "WITH big AS (SELECT id FROM deals WHERE amount > 1) SELECT id FROM big",
            f"LIMIT {MAX_ROWS}",
        ),
    ],
)
def test_limits(sql: str, limit: str) -> None:
    assert check(sql).endswith(limit)


def test_accepts_json_functions_and_qualified_database() -> None:
    checked = check(
        "SELECT JSON_UNQUOTE(JSON_EXTRACT(properties, '$.bukken_type')) AS t "
        "FROM mirai_ai.properties"
    )
    assert "mirai_ai" not in checked


def test_executable_comments_are_dropped() -> None:
    assert "SLEEP" not in check("SELECT /*!50000 SLEEP(10), */ id FROM deals")


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("DROP TABLE deals", "only SELECT"),
        ("DELETE FROM deals", "only SELECT"),
        ("UPDATE deals SET amount = 0", "only SELECT"),
        ("INSERT INTO deals (id) VALUES (1)", "only SELECT"),
        ("REPLACE INTO deals (id) VALUES (1)", "only SELECT"),
        ("CREATE TABLE x (id INT)", "only SELECT"),
        ("TRUNCATE TABLE deals", "only SELECT"),
        ("GRANT ALL ON *.* TO 'x'", "only SELECT"),
        ("SET @a = 1", "only SELECT"),
        ("CALL cleanup()", "only SELECT"),
        ("SELECT 1; DROP TABLE deals", "exactly one statement"),
        ("SELECT id FROM deals; SELECT id FROM deals", "exactly one statement"),
        ("SELECT * FROM deals INTO OUTFILE '/tmp/deals.csv'", "INTO"),
        ("SELECT id FROM deals INTO DUMPFILE '/tmp/x'", "INTO"),
        ("SELECT id INTO @x FROM deals", "INTO"),
        ("SELECT SLEEP(5)", "SLEEP"),
        ("SELECT id FROM deals WHERE SLEEP(5) = 0", "SLEEP"),
        ("SELECT BENCHMARK(100000000, MD5('x'))", "BENCHMARK"),
        ("SELECT LOAD_FILE('/etc/passwd')", "LOAD_FILE"),
        ("SELECT GET_LOCK('x', 10)", "GET_LOCK"),
        ("SELECT USER()", "USER"),
        ("SELECT * FROM information_schema.tables", "system schema"),
        ("SELECT * FROM mysql.user", "system schema"),
        ("SELECT * FROM performance_schema.threads", "system schema"),
        ("SELECT * FROM sys.version", "system schema"),
        ("SELECT * FROM other_db.deals", "outside"),
        ("SELECT * FROM ai_embeddings", "not allowed"),
        ("SELECT * FROM owners", "not allowed"),
        ("SELECT secret_column FROM deals", "unknown column"),
        ("SELECT d.nope FROM deals d", "unknown column"),
        ("SELECT * FROM deals FOR UPDATE", "LOCK"),
        ("SELECT * FROM deals LOCK IN SHARE MODE", "LOCK"),
        ("SELECT @@hostname", "SESSIONPARAMETER"),
        ("SELECT @x := 1", "not allowed"),
        ("SELECT id FROM deals WHERE", "does not parse"),
    ],
)
def test_rejects(sql: str, reason: str) -> None:
    with pytest.raises(SqlRejectedError, match=reason):
        check(sql)
