from tests.fixtures.mysql import MySQLDatabase


def test_each_test_gets_an_empty_utf8mb4_database(mysql_database: MySQLDatabase) -> None:
    assert mysql_database.query("SHOW TABLES") == []
    mysql_database.query("CREATE TABLE t (v TEXT) DEFAULT CHARSET=utf8mb4")
    mysql_database.query("INSERT INTO t VALUES (%s)", ("物件😀",))
    assert mysql_database.query("SELECT v FROM t") == [("物件😀",)]
