"""docker-compose.yml against the compose-spec schema, plus the structure issue 6 asks for."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return document


def dockerfile_env(name: str) -> str:
    match = re.search(rf"\b{name}=(\S+)", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    assert match, name
    return match.group(1)


def test_compose_file_matches_the_compose_spec_schema() -> None:
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_app_service_builds_this_image_and_waits_for_a_healthy_mysql() -> None:
    app = compose()["services"]["mirai-ai"]
    assert app["build"]["context"] == "."
    assert app["env_file"] == ".env"
    assert app["depends_on"] == {"mysql": {"condition": "service_healthy"}}
    assert app["environment"]["MYSQL_HOST"] == "mysql"
    assert app["environment"]["MELTANO_ENVIRONMENT"] == "prod"
    assert app["networks"] == ["mirai-network"]
    assert app["init"] is True


def test_meltano_state_and_system_database_live_on_a_named_volume() -> None:
    document = compose()
    app = document["services"]["mirai-ai"]
    mounts = dict(volume.split(":", 1) for volume in app["volumes"])
    state_dir = mounts["meltano_state"]
    state_uri = app["environment"]["MELTANO_STATE_BACKEND_URI"]
    database_uri = app["environment"]["MELTANO_DATABASE_URI"]
    assert state_uri == f"file://{state_dir}/state"
    assert database_uri == f"sqlite:///{state_dir}/meltano.db"
    assert state_uri == dockerfile_env("MELTANO_STATE_BACKEND_URI")
    assert database_uri == dockerfile_env("MELTANO_DATABASE_URI")
    assert app["environment"]["SCHEDULER_HEALTH_FILE"].startswith(state_dir + "/")
    assert "meltano_state" in document["volumes"]


def test_stop_grace_period_outlasts_the_scheduler_stop_timeout() -> None:
    app = compose()["services"]["mirai-ai"]
    grace = int(app["stop_grace_period"].removesuffix("s"))
    assert grace > 120  # SCHEDULER_STOP_TIMEOUT default


def test_mysql_is_8_0_utf8mb4_healthchecked_and_initialised_by_our_script() -> None:
    document = compose()
    mysql = document["services"]["mysql"]
    assert mysql["image"] == "mysql:8.0"
    assert "--character-set-server=utf8mb4" in mysql["command"]
    assert "mysqladmin ping" in " ".join(mysql["healthcheck"]["test"])
    mounts = dict(volume.split(":", 1) for volume in mysql["volumes"])
    assert mounts["mysql_data"] == "/var/lib/mysql"
    init_dir = next(source for source, target in mounts.items() if "initdb.d" in target)
    assert (ROOT / init_dir / "01-mirai-ai.sh").is_file()
    assert set(mysql["environment"]) >= {
        "MYSQL_ROOT_PASSWORD",
        "MIRAI_DATABASE",
        "MIRAI_RAW_DATABASE",
        "MIRAI_PIPELINE_USER",
        "MIRAI_PIPELINE_PASSWORD",
        "MIRAI_AI_USER",
        "MIRAI_AI_PASSWORD",
    }
    assert "env_file" not in mysql, "the image would read MYSQL_USER/MYSQL_DATABASE as its own"
    assert all(port.startswith("127.0.0.1:") for port in mysql["ports"])


def test_ollama_network_and_named_volumes() -> None:
    document = compose()
    ollama = document["services"]["ollama"]
    assert ollama["image"].startswith("ollama/ollama")
    assert "ollama_data:/root/.ollama" in ollama["volumes"]
    assert set(document["volumes"]) == {"mysql_data", "ollama_data", "meltano_state"}
    assert document["networks"]["mirai-network"]["name"] == "mirai-network"
    for service in document["services"].values():
        assert service["networks"] == ["mirai-network"]


def test_every_interpolated_variable_is_in_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text(encoding="utf-8")))
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert used
    assert used <= documented, used - documented
