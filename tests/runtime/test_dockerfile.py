"""The Dockerfile: hadolint-clean and shaped as issue 6 asks (static checks: no Docker here)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HADOLINT = ROOT / ".venv" / "bin" / "hadolint"
DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    pairs = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [str(HADOLINT), "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_base_python_user_install_health_and_command() -> None:
    steps = instructions()
    keywords = [keyword for keyword, _ in steps]
    assert steps[0] == ("FROM", "almalinux:9")
    runs = " ".join(arguments for keyword, arguments in steps if keyword == "RUN")
    assert re.search(r"dnf install .*\bpython3\.11\b.*\bpython3\.11-pip\b", runs)
    assert "python3.11 -m venv" in runs
    assert "pip install --no-cache-dir -r requirements.txt" in runs
    assert "meltano install" in runs
    user = [arguments for keyword, arguments in steps if keyword == "USER"]
    assert user
    assert user[-1] not in {"root", "0", "0:0"}
    assert keywords.index("USER") < keywords.index("CMD")
    assert keywords.index("USER") < next(
        index for index, (keyword, arguments) in enumerate(steps) if "meltano install" in arguments
    ), "plugins are installed as the runtime user, so it can write .meltano/"
    healthcheck = dict(steps)["HEALTHCHECK"]
    assert '"-m", "orchestrate", "health"' in healthcheck
    assert dict(steps)["CMD"] == '["python", "-m", "orchestrate"]'


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for entry in (".env", ".venv", ".meltano", ".git", "transform/target"):
        assert entry in ignored
    assert "!.env.example" in ignored
