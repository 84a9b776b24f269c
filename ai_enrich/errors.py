"""Domain errors of ai_enrich; the CLI turns each into one clear line and a non-zero exit."""

from __future__ import annotations


class AiEnrichError(Exception):
    """Base class of every error ai_enrich reports to the user."""


class ConfigError(AiEnrichError):
    """A configuration variable is missing or has a wrong value."""


class DatabaseError(AiEnrichError):
    """The MySQL server could not be reached or a statement failed."""


class ProviderError(AiEnrichError):
    """A model provider answered with an error."""


class ProviderUnreachableError(ProviderError):
    """The model server could not be reached (connection refused, DNS, timeout)."""


class ModelNotFoundError(ProviderError):
    """The configured model is not available on the provider."""


class ContextOverflowError(ProviderError):
    """The input does not fit the model's context window."""


class SqlRejectedError(AiEnrichError):
    """Generated SQL failed the guard: not one safe SELECT over the allowed tables."""


class NoEmbeddingsError(AiEnrichError):
    """Search or ask found no stored vectors for the configured embedding model."""
