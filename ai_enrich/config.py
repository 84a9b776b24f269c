"""Settings from the environment variables of DESIGN.md section 3 (plus the ai_enrich ones).

A wrong or missing value raises ConfigError naming the variable; keys are never part of a repr.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ai_enrich.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Mapping

CHAT_PROVIDERS = ("ollama", "openai", "anthropic", "gemini", "none")
EMBED_PROVIDERS = ("ollama", "local", "openai", "gemini")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_$]{1,64}$")


@dataclass(frozen=True)
class MySQLConfig:
    """Where the marts live and how to log in."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)
    database: str


@dataclass(frozen=True)
class Settings:
    """Everything ai_enrich reads from the environment."""

    mysql: MySQLConfig
    chat_provider: str
    embed_provider: str
    ollama_base_url: str
    ollama_model: str
    ollama_embed_model: str
    ollama_num_ctx: int
    timeout_seconds: float
    openai_base_url: str
    openai_model: str
    openai_embed_model: str
    anthropic_model: str
    gemini_model: str
    gemini_embed_model: str
    openai_api_key: str = field(default="", repr=False)
    anthropic_api_key: str = field(default="", repr=False)
    gemini_api_key: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and validate the settings.

        Args:
            env: The variables to read; the process environment when None.

        Returns:
            The validated settings.

        Raises:
            ConfigError: A variable is missing or has a wrong value.
        """
        reader = _Reader(os.environ if env is None else env)
        settings = cls(
            mysql=MySQLConfig(
                host=reader.text("MYSQL_HOST", "127.0.0.1"),
                port=reader.integer("MYSQL_PORT", 3306),
                user=reader.text("MYSQL_USER", "root"),
                password=reader.raw("MYSQL_PASSWORD"),
                database=reader.identifier("MYSQL_DATABASE", "mirai_ai"),
            ),
            chat_provider=reader.choice("AI_MODEL_TYPE", "ollama", CHAT_PROVIDERS),
            embed_provider=reader.choice("AI_EMBED_PROVIDER", "ollama", EMBED_PROVIDERS),
            ollama_base_url=reader.url("OLLAMA_BASE_URL", "http://localhost:11434"),
            ollama_model=reader.raw("OLLAMA_MODEL").strip(),
            ollama_embed_model=reader.text("OLLAMA_EMBED_MODEL", "bge-m3"),
            ollama_num_ctx=reader.integer("OLLAMA_NUM_CTX", 8192),
            timeout_seconds=reader.positive_float("AI_TIMEOUT_SECONDS", 120.0),
            openai_base_url=reader.url("OPENAI_BASE_URL", "https://api.openai.com/v1"),
            openai_model=reader.text("OPENAI_MODEL", "gpt-4o-mini"),
            openai_embed_model=reader.text("OPENAI_EMBED_MODEL", "text-embedding-3-small"),
            anthropic_model=reader.text("ANTHROPIC_MODEL", "claude-3-5-haiku-latest"),
            gemini_model=reader.text("GEMINI_MODEL", "gemini-2.0-flash"),
            gemini_embed_model=reader.text("GEMINI_EMBED_MODEL", "text-embedding-004"),
            openai_api_key=reader.raw("OPENAI_API_KEY").strip(),
            anthropic_api_key=reader.raw("ANTHROPIC_API_KEY").strip(),
            gemini_api_key=reader.raw("GEMINI_API_KEY").strip(),
        )
        settings.check_keys()
        return settings

    @property
    def has_chat_model(self) -> bool:
        """Whether a chat model is configured (otherwise ask runs in retrieval-only mode)."""
        if self.chat_provider == "ollama":
            return bool(self.ollama_model)
        return self.chat_provider != "none"

    def check_keys(self) -> None:
        """Fail when a chosen cloud provider has no API key.

        Raises:
            ConfigError: Naming the missing key variable.
        """
        chosen = {self.chat_provider, self.embed_provider}
        for provider, key in (
            ("openai", self.openai_api_key),
            ("anthropic", self.anthropic_api_key),
            ("gemini", self.gemini_api_key),
        ):
            if provider in chosen and not key:
                variable = f"{provider.upper()}_API_KEY"
                message = f"{variable} is required when the {provider} provider is chosen"
                raise ConfigError(message)


class _Reader:
    """Typed access to environment variables with errors that name the variable."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def raw(self, name: str) -> str:
        return self._env.get(name, "")

    def text(self, name: str, default: str) -> str:
        value = self._env.get(name, "").strip()
        return value or default

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name, default).lower()
        if value not in allowed:
            message = f"{name} must be one of {', '.join(allowed)} (got {value!r})"
            raise ConfigError(message)
        return value

    def integer(self, name: str, default: int) -> int:
        value = self.text(name, str(default))
        if not value.isdigit() or int(value) <= 0:
            message = f"{name} must be a positive integer (got {value!r})"
            raise ConfigError(message)
        return int(value)

    def positive_float(self, name: str, default: float) -> float:
        value = self.text(name, str(default))
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if number <= 0:
            message = f"{name} must be a positive number of seconds (got {value!r})"
            raise ConfigError(message)
        return number

    def url(self, name: str, default: str) -> str:
        value = self.text(name, default).rstrip("/")
        if not re.match(r"^https?://[^\s/]+", value):
            message = f"{name} must be an http(s) URL (got {value!r})"
            raise ConfigError(message)
        return value

    def identifier(self, name: str, default: str) -> str:
        value = self.text(name, default)
        if not _IDENTIFIER.match(value):
            message = f"{name} must be a database name of letters, digits, _ or $ (got {value!r})"
            raise ConfigError(message)
        return value
