"""Build the embedding and chat models the settings choose."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ai_enrich.providers.anthropic import AnthropicChat
from ai_enrich.providers.gemini import GeminiChat, GeminiEmbedding
from ai_enrich.providers.local import LocalEmbedding
from ai_enrich.providers.ollama import OllamaChat, OllamaEmbedding
from ai_enrich.providers.openai_compat import OpenAIChat, OpenAIEmbedding

if TYPE_CHECKING:
    from ai_enrich.config import Settings
    from ai_enrich.providers.base import ChatModel, EmbeddingModel


def embedding_model(settings: Settings) -> EmbeddingModel:
    """The embedder AI_EMBED_PROVIDER selects.

    Args:
        settings: The validated settings.

    Returns:
        The embedding model.
    """
    s = settings
    if s.embed_provider == "local":
        return LocalEmbedding()
    if s.embed_provider == "openai":
        return OpenAIEmbedding(
            s.openai_base_url, s.openai_api_key, s.openai_embed_model, s.timeout_seconds
        )
    if s.embed_provider == "gemini":
        return GeminiEmbedding(s.gemini_api_key, s.gemini_embed_model, s.timeout_seconds)
    return OllamaEmbedding(
        s.ollama_base_url, s.ollama_embed_model, s.timeout_seconds, s.ollama_num_ctx
    )


def chat_model(settings: Settings) -> ChatModel | None:
    """The chat model AI_MODEL_TYPE selects, or None when none is configured.

    Args:
        settings: The validated settings.

    Returns:
        The chat model, or None (ask then runs in retrieval-only mode).
    """
    s = settings
    if not s.has_chat_model:
        return None
    if s.chat_provider == "openai":
        return OpenAIChat(s.openai_base_url, s.openai_api_key, s.openai_model, s.timeout_seconds)
    if s.chat_provider == "anthropic":
        return AnthropicChat(s.anthropic_api_key, s.anthropic_model, s.timeout_seconds)
    if s.chat_provider == "gemini":
        return GeminiChat(s.gemini_api_key, s.gemini_model, s.timeout_seconds)
    return OllamaChat(s.ollama_base_url, s.ollama_model, s.timeout_seconds, s.ollama_num_ctx)
