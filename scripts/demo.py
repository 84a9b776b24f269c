"""`make demo`: the whole pipeline against the local HubSpot sandbox, then a short summary.

Starts the sandbox on a free port, runs `meltano run tap-hubspot target-mysql dbt:build` against
it with the MySQL server from the MYSQL_* variables, prints rows per documented table and
`sync_status`, and stops the sandbox. A second run is incremental (Meltano keeps the state).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pymysql

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
DOCUMENTED_TABLES = (
    "companies",
    "contacts",
    "deals",
    "properties",
    "owners",
    "company_contact_associations",
    "deal_company_associations",
    "deal_contact_associations",
    "deal_property_associations",
    "contact_property_associations",
    "sync_status",
)
SANDBOX_TOKEN = "sandbox-token"  # noqa: S105 - the sandbox's public demo token
DEMO_QUESTIONS = ("芝公園の近くの物件はありますか?", "Which properties are in Yokohama?")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_sandbox(scale: str) -> Iterator[str]:
    """Start `python -m hubspot_sandbox` on a free port; yield its base URL; stop it after."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "python"), "-m", "hubspot_sandbox", "--port", str(port), "--scale", scale],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll the sandbox until it answers (any HTTP status), or fail when it died."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"demo: the HubSpot sandbox exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{base_url}/_sandbox/stats", timeout=2).close()  # noqa: S310
        except OSError:
            time.sleep(0.3)
        else:
            return
    sys.exit("demo: the HubSpot sandbox did not start within 120 s")


def mysql_connection(database: str | None = None) -> pymysql.connections.Connection:
    """Connect with the MYSQL_* variables, or exit with one line that says how to start MySQL."""
    host = os.environ["MYSQL_HOST"]
    port = int(os.environ["MYSQL_PORT"])
    try:
        return pymysql.connect(
            host=host,
            port=port,
            user=os.environ["MYSQL_USER"],
            password=os.environ["MYSQL_PASSWORD"],
            database=database,
            charset="utf8mb4",
        )
    except pymysql.Error as error:
        sys.exit(
            f"demo: no MySQL at {host}:{port} ({error.args[-1]}); start the local MariaDB "
            "(start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) "
            "or run 'docker compose up -d mysql'"
        )


def print_summary(database: str, elapsed: float) -> None:
    """Rows per documented table and the sync_status rows."""
    with mysql_connection(database) as connection, connection.cursor() as cursor:
        print(f"\nDocumented tables in `{database}`:")
        for table in DOCUMENTED_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM `{table}`")  # noqa: S608 - fixed names
            print(f"  {table:<32} {cursor.fetchone()[0]:>8} rows")
        cursor.execute(
            "SELECT entity_type, sync_status, records_synced, last_successful_sync_at "
            "FROM sync_status ORDER BY entity_type"
        )
        print("\nsync_status:")
        for entity, status, records, last_success in cursor.fetchall():
            print(f"  {entity:<12} {status:<8} {records:>8} records  last success {last_success}")
    print(f"\nPipeline finished in {elapsed:.1f} s.")
    print(
        "Next: query the tables above, run `make demo` again (incremental), "
        "or read README.md for a real HubSpot account."
    )


def run_ai_enrich() -> int:
    """Embed the bukken offline, then answer one Japanese and one English question.

    Without a chat model configured (the default here), answers are retrieval-only: the cited
    records that best match the question.
    """
    os.environ.setdefault("AI_EMBED_PROVIDER", "local")
    os.environ.setdefault("AI_MODEL_TYPE", "none")
    commands = [["embed", "--entity", "properties"]]
    commands += [["ask", question] for question in DEMO_QUESTIONS]
    for arguments in commands:
        print(f"\n$ python -m ai_enrich {' '.join(arguments)}")
        completed = subprocess.run(  # noqa: S603
            [str(BIN / "python"), "-m", "ai_enrich", *arguments], cwd=ROOT, check=False
        )
        if completed.returncode != 0:
            return completed.returncode
    return 0


def main() -> int:
    """Run the demo; return the pipeline's exit status."""
    for name, default in (
        ("MYSQL_HOST", "127.0.0.1"),
        ("MYSQL_PORT", "3306"),
        ("MYSQL_USER", "root"),
        ("MYSQL_PASSWORD", ""),
        ("MYSQL_DATABASE", "mirai_ai"),
        ("MYSQL_RAW_DATABASE", "hubspot_raw"),
    ):
        os.environ.setdefault(name, default)
    mysql_connection().close()
    scale = os.environ.get("DEMO_SCALE", "small")
    with running_sandbox(scale) as base_url:
        os.environ.update({"HUBSPOT_API_KEY": SANDBOX_TOKEN, "HUBSPOT_BASE_URL": base_url})
        print(f"demo: HubSpot sandbox ({scale}) at {base_url}; running the pipeline")
        started = time.monotonic()
        completed = subprocess.run(  # noqa: S603
            [str(BIN / "meltano"), "run", "tap-hubspot", "target-mysql", "dbt:build"],
            cwd=ROOT,
            check=False,
        )
        elapsed = time.monotonic() - started
    if completed.returncode != 0:
        print(
            f"demo: the pipeline failed (exit {completed.returncode}); see above", file=sys.stderr
        )
        return completed.returncode
    print_summary(os.environ["MYSQL_DATABASE"], elapsed)
    return run_ai_enrich()


if __name__ == "__main__":
    sys.exit(main())
