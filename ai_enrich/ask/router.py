"""Answer a question: aggregate questions through guarded text-to-SQL, the rest by retrieval."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ai_enrich.ask import prompts
from ai_enrich.errors import DatabaseError, ProviderError, SqlRejectedError
from ai_enrich.providers.base import Message
from ai_enrich.sql_guard import guard

if TYPE_CHECKING:
    from ai_enrich.ask.schema import MartSchema
    from ai_enrich.db import Database
    from ai_enrich.documents import Document, DocumentBuilder
    from ai_enrich.providers.base import ChatModel, EmbeddingModel
    from ai_enrich.search import Hit, VectorIndex

TOP_K = 8
MAX_PROMPT_ROWS = 50


@dataclass(frozen=True)
class Source:
    """A cited record."""

    entity: str
    hubspot_id: str
    title: str = ""
    score: float | None = None


@dataclass
class Answer:
    """The result of ask."""

    question: str
    language: str
    mode: str
    answer: str | None = None
    sql: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return json.loads(json.dumps(asdict(self), ensure_ascii=False, default=str))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Asker:
    """Everything ask needs: the read-only marts, the vectors and the models."""

    reader: Database
    schema: MartSchema
    builder: DocumentBuilder
    index: VectorIndex
    embedder: EmbeddingModel
    chat: ChatModel | None
    database: str

    def ask(self, question: str) -> Answer:
        """Answer a question in its own language, citing records.

        Args:
            question: Japanese or English.

        Returns:
            The answer, the SQL if any, and the sources.
        """
        language = prompts.language_of(question)
        if self.chat is None:
            hits = self._retrieve(question)
            return Answer(
                question=question,
                language=language,
                mode="retrieval-only",
                sources=[Source(h.entity, h.hubspot_id, h.title, h.score) for h in hits],
                note=prompts.RETRIEVAL_ONLY_NOTE[language],
            )
        route_messages = [
            Message("system", prompts.ROUTER_SYSTEM.replace("{schema}", self.schema.describe())),
            Message("user", prompts.question_block(question)),
        ]
        route = self._json(self.chat, route_messages, prompts.ROUTE_SCHEMA)
        if route.get("route") == "sql" and str(route.get("sql", "")).strip():
            return self._answer_with_sql(question, language, self.chat, route_messages, route)
        return self._answer_with_records(question, language, self.chat)

    def _retrieve(self, question: str) -> list[Hit]:
        return self.index.search(self.embedder.embed_query(question), limit=TOP_K)

    def _answer_with_records(self, question: str, language: str, chat: ChatModel) -> Answer:
        hits = self._retrieve(question)
        documents = self._documents(hits)
        messages = [
            Message(
                "system",
                prompts.RECORDS_SYSTEM.replace("{language}", prompts.LANGUAGE_NAMES[language]),
            ),
            Message(
                "user",
                f"{prompts.records_block(documents)}\n\n{prompts.question_block(question)}",
            ),
        ]
        reply = self._json(chat, messages, prompts.RECORDS_ANSWER_SCHEMA)
        retrieved = {(h.entity, h.hubspot_id): h for h in hits}
        cited: list[Source] = []
        for source in reply.get("sources") or []:
            key = (str(source.get("entity", "")), str(source.get("hubspot_id", "")))
            hit = retrieved.get(key)
            if hit is not None and all(s.hubspot_id != hit.hubspot_id for s in cited):
                cited.append(Source(hit.entity, hit.hubspot_id, hit.title, hit.score))
        return Answer(
            question=question,
            language=language,
            mode="retrieval",
            answer=str(reply.get("answer", "")),
            sources=cited,
        )

    def _answer_with_sql(
        self,
        question: str,
        language: str,
        chat: ChatModel,
        messages: list[Message],
        route: dict[str, Any],
    ) -> Answer:
        try:
            sql, rows = self._run(str(route["sql"]))
        except (SqlRejectedError, DatabaseError) as error:
            retry = [
                *messages,
                Message("assistant", json.dumps(route, ensure_ascii=False)),
                Message("user", prompts.RETRY.replace("{error}", str(error))),
            ]
            route = self._json(chat, retry, prompts.ROUTE_SCHEMA)
            sql, rows = self._run(str(route.get("sql", "")))
        answer_messages = [
            Message(
                "system",
                prompts.SQL_ANSWER_SYSTEM.replace("{language}", prompts.LANGUAGE_NAMES[language]),
            ),
            Message(
                "user",
                f"{prompts.question_block(question)}\n\nSQL: {sql}\n\n"
                f"{prompts.rows_block(rows[:MAX_PROMPT_ROWS])}",
            ),
        ]
        reply = self._json(chat, answer_messages, prompts.SQL_ANSWER_SCHEMA)
        return Answer(
            question=question,
            language=language,
            mode="sql",
            answer=str(reply.get("answer", "")),
            sql=sql,
            rows=rows,
        )

    def _run(self, sql: str) -> tuple[str, list[dict[str, Any]]]:
        checked = guard(sql, self.schema.columns, self.database)
        return checked, self.reader.rows(checked)

    def _documents(self, hits: list[Hit]) -> list[Document]:
        by_key: dict[tuple[str, int], Document] = {}
        for entity in {h.entity for h in hits}:
            ids = [h.record_id for h in hits if h.entity == entity]
            by_key.update({(d.entity, d.record_id): d for d in self.builder.build(entity, ids)})
        return [by_key[(h.entity, h.record_id)] for h in hits if (h.entity, h.record_id) in by_key]

    @staticmethod
    def _json(chat: ChatModel, messages: list[Message], schema: dict[str, Any]) -> dict[str, Any]:
        reply = chat.chat(messages, schema)
        try:
            value = json.loads(reply)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, dict):
            message = f"the chat model {chat.model_id!r} did not reply with the requested JSON"
            raise ProviderError(message)
        return value
