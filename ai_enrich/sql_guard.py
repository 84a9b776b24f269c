"""The SQL guard: model SQL runs only if it is one SELECT over allowed tables and columns."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NoReturn

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify

from ai_enrich.errors import SqlRejectedError

if TYPE_CHECKING:
    from collections.abc import Mapping

MAX_ROWS = 200
SYSTEM_SCHEMAS = frozenset({"information_schema", "mysql", "performance_schema", "sys"})
DENIED_FUNCTIONS = frozenset(
    {
        "SLEEP", "BENCHMARK", "LOAD_FILE", "GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS",
        "IS_FREE_LOCK", "IS_USED_LOCK", "MASTER_POS_WAIT", "SOURCE_POS_WAIT",
        "WAIT_FOR_EXECUTED_GTID_SET", "USER", "CURRENT_USER", "SESSION_USER", "SYSTEM_USER",
        "CURRENT_ROLE", "VERSION", "CONNECTION_ID", "DATABASE", "SCHEMA", "LAST_INSERT_ID",
        "ROW_COUNT", "FOUND_ROWS", "SYS_EVAL", "SYS_EXEC", "NAME_CONST", "UUID_SHORT",
    },
)  # fmt: skip
ALLOWED_UNMODELLED_FUNCTIONS = frozenset(
    {
        "JSON_UNQUOTE", "JSON_CONTAINS", "JSON_LENGTH", "JSON_KEYS", "JSON_SEARCH",
        "JSON_VALUE", "CHAR_LENGTH", "CONCAT_WS", "FIELD", "DATE_ADD", "DATE_SUB",
        "TIMESTAMPDIFF", "MONTH", "DAY", "QUARTER", "WEEK", "HOUR", "LOCATE", "INSTR",
    },
)  # fmt: skip
FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = (
    exp.Into,
    exp.Lock,
    exp.SessionParameter,
    exp.Parameter,
    exp.Placeholder,
    exp.PropertyEQ,
)
_FILE_WRITE = re.compile(r"\bINTO\s+(OUTFILE|DUMPFILE)\b|\bINTO\s+@", re.IGNORECASE)


def guard(sql: str, schema: Mapping[str, Mapping[str, str]], database: str) -> str:
    """Check model-written SQL and return the statement to run.

    The returned text is regenerated from the parse tree (comments, including MySQL's executable
    `/*! ... */` comments, are dropped), every column is qualified, and a LIMIT of at most
    MAX_ROWS is set.

    Args:
        sql: The SQL the model wrote.
        schema: Allowed tables and their columns ({table: {column: type}}).
        database: MYSQL_DATABASE (the only schema a table may be qualified with).

    Returns:
        The SQL to run on the read-only connection.

    Raises:
        SqlRejectedError: With the reason, which is sent back to the model on the retry.
    """
    if _FILE_WRITE.search(sql):
        reject("SELECT ... INTO (OUTFILE, DUMPFILE or variables) is not allowed")
    try:
        statements = [s for s in sqlglot.parse(sql, read="mysql") if s is not None]
    except SqlglotError as error:
        reject(f"the SQL does not parse: {str(error).splitlines()[0]}")
    if len(statements) != 1:
        reject(f"exactly one statement is allowed (got {len(statements)})")
    tree = statements[0]
    if not isinstance(tree, (exp.Select, exp.Union)):
        reject(f"only SELECT is allowed (got {tree.key.upper()})")
    _check_nodes(tree)
    _check_tables(tree, schema, database)
    try:
        qualified = qualify(
            tree,
            schema={t: dict(c) for t, c in schema.items()},
            dialect="mysql",
            validate_qualify_columns=True,
            quote_identifiers=True,
        )
    except SqlglotError as error:
        reject(f"unknown column or table: {error}")
    if not isinstance(qualified, (exp.Select, exp.Union)):
        reject("only SELECT is allowed")
    return _with_limit(qualified).sql(dialect="mysql", comments=False)


def reject(reason: str) -> NoReturn:
    """Raise SqlRejectedError with the reason.

    Raises:
        SqlRejectedError: Always.
    """
    raise SqlRejectedError(reason)


def _check_nodes(tree: exp.Expression) -> None:
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            reject(f"{node.key.upper()} is not allowed in a query")
        if isinstance(node, exp.Command | exp.DDL | exp.DML) and node is not tree:
            reject(f"{node.key.upper()} is not allowed")
        if isinstance(node, exp.Func):
            name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
            if name.upper() in DENIED_FUNCTIONS:
                reject(f"function {name.upper()} is not allowed")
            if isinstance(node, exp.Anonymous) and name.upper() not in ALLOWED_UNMODELLED_FUNCTIONS:
                reject(f"function {name.upper()} is not allowed")


def _check_tables(
    tree: exp.Expression,
    schema: Mapping[str, Mapping[str, str]],
    database: str,
) -> None:
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        name = table.name.lower()
        qualifier = table.db.lower()
        if qualifier in SYSTEM_SCHEMAS or name in SYSTEM_SCHEMAS:
            reject(f"system schema {qualifier or name} is not allowed")
        if table.catalog or (qualifier and qualifier != database.lower()):
            reject(f"table {table.sql(dialect='mysql')} is outside {database}")
        if not name:
            reject("table functions are not allowed")
        if name not in schema and not (name in ctes and not qualifier):
            reject(f"table {name} is not allowed (allowed: {', '.join(sorted(schema))})")
        if qualifier:
            table.set("db", None)


def _with_limit(tree: exp.Select | exp.Union) -> exp.Query:
    """Set LIMIT MAX_ROWS, or keep a smaller literal limit."""
    limit = tree.args.get("limit")
    current = limit.expression if isinstance(limit, exp.Limit) else None
    if isinstance(current, exp.Literal) and current.is_int and int(current.this) <= MAX_ROWS:
        return tree
    if isinstance(tree, exp.Select):
        return tree.limit(MAX_ROWS, copy=False)
    return exp.select("*").from_(tree.subquery("limited")).limit(MAX_ROWS)
