"""ai_enrich: embeddings, semantic search and grounded answers over the mirai_ai marts."""
