""".env.example: every variable meltano.yml, DESIGN.md and the runtime read; no secrets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / ".env.example"
DESIGN_SECTION_3 = {
    "HUBSPOT_API_KEY",
    "HUBSPOT_ID",
    "HUBSPOT_BASE_URL",
    "MYSQL_HOST",
    "MYSQL_PORT",
    "MYSQL_USER",
    "MYSQL_PASSWORD",
    "MYSQL_DATABASE",
    "MYSQL_RAW_DATABASE",
    "AI_MODEL_TYPE",
    "OLLAMA_BASE_URL",
    "OLLAMA_MODEL",
    "OLLAMA_EMBED_MODEL",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "SYNC_BATCH_SIZE",
    "SYNC_RATE_LIMIT_DELAY",
}
RUNTIME = {
    "TZ",
    "MELTANO_STATE_BACKEND_URI",
    "AI_EMBED_PROVIDER",
    "MYSQL_AI_USER",
    "MYSQL_AI_PASSWORD",
}
LINE = re.compile(r"^(# )?([A-Z][A-Z0-9_]*)=(.*)$")
VARIABLE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)\}?")
MELTANO_OWN = {"MELTANO_PROJECT_ROOT"}


def entries() -> list[tuple[bool, str, str]]:
    """(active, name, value) for each `NAME=value` or optional `# NAME=value` line."""
    found = []
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        if match:
            found.append((match.group(1) is None, match.group(2), match.group(3)))
    return found


def meltano_settings() -> list[dict[str, Any]]:
    document = yaml.safe_load((ROOT / "meltano.yml").read_text(encoding="utf-8"))
    settings = []
    for plugins in document["plugins"].values():
        for plugin in plugins:
            settings.extend(plugin.get("settings", []))
    return settings


def setting_variables(setting: dict[str, Any]) -> set[str]:
    """The variables a setting reads (`value: $NAME`) or is passed as (`env: NAME`)."""
    names = set(VARIABLE.findall(str(setting.get("value", "")))) - MELTANO_OWN
    return names | ({setting["env"]} if "env" in setting else set())


def test_every_meltano_variable_is_documented() -> None:
    documented = {name for _, name, _ in entries()}
    keys = set().union(*(setting_variables(setting) for setting in meltano_settings()))
    assert keys, "meltano.yml maps settings to variables"
    assert keys <= documented, sorted(keys - documented)


def test_design_and_runtime_variables_are_documented() -> None:
    documented = {name for _, name, _ in entries()}
    assert documented >= (DESIGN_SECTION_3 | RUNTIME), sorted(
        DESIGN_SECTION_3 | RUNTIME - documented
    )


def test_no_duplicates_and_a_comment_above_every_block() -> None:
    names = [name for _, name, _ in entries()]
    assert len(names) == len(set(names))
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if LINE.match(line) and not line.startswith("#"):
            previous = lines[index - 1]
            assert previous.startswith("#") or LINE.match(previous), f"no comment above {line}"


def test_secrets_are_empty() -> None:
    secrets = set().union(*(setting_variables(s) for s in meltano_settings() if s.get("sensitive")))
    secrets |= {name for _, name, _ in entries() if re.search(r"PASSWORD|_KEY$|TOKEN", name)}
    values = {name: value for active, name, value in entries() if active}
    for name in secrets:
        assert values.get(name, "") == "", f"{name} must have no value in .env.example"
