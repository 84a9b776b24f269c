"""The command line: embed, search, ask, status (each with --json)."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ai_enrich import status as status_report
from ai_enrich.config import Settings
from ai_enrich.documents import ENTITIES
from ai_enrich.errors import AiEnrichError
from ai_enrich.indexer import Indexer
from ai_enrich.runtime import Runtime

if TYPE_CHECKING:
    from collections.abc import Callable

ENTITY_CHOICE = click.Choice(ENTITIES)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


class _RichProgress:
    """A rich progress bar on stderr, one task per entity."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: Any = None

    def start(self, entity: str, total: int) -> None:
        self._task = self._progress.add_task(entity, total=total)

    def advance(self, count: int) -> None:
        self._progress.advance(self._task, count)


def _emit(payload: object, lines: Callable[[], list[str]], *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        for line in lines():
            click.echo(line)


def _runtime() -> Runtime:
    try:
        return Runtime(Settings.from_env())
    except AiEnrichError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def main() -> None:
    """Embeddings, semantic search and grounded answers over the mirai_ai marts."""
    logging.getLogger("sqlglot").setLevel(logging.ERROR)


@main.command()
@click.option("--entity", type=ENTITY_CHOICE, help="Only this entity (default: all).")
@click.option("--full", is_flag=True, help="Re-embed every record, changed or not.")
@JSON_OPTION
def embed(entity: str | None, *, full: bool, as_json: bool) -> None:
    """Embed new and changed records; delete rows of records that are gone."""
    entities = [entity] if entity else list(ENTITIES)
    with _runtime() as runtime:
        try:
            indexer = Indexer(runtime.builder, runtime.store, runtime.embedder)
            if sys.stderr.isatty() and not as_json:
                columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
                with Progress(
                    *columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True
                ) as bar:
                    summary = indexer.run(entities, full=full, progress=_RichProgress(bar))
            else:
                summary = indexer.run(entities, full=full)
        except AiEnrichError as error:
            raise click.ClickException(str(error)) from None
    _emit(asdict(summary), lambda: [summary.line()], as_json=as_json)


@main.command()
@click.argument("text")
@click.option("--entity", type=ENTITY_CHOICE, help="Only this entity (default: all).")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@JSON_OPTION
def search(text: str, entity: str | None, limit: int, *, as_json: bool) -> None:
    """Rank records by cosine similarity to TEXT."""
    with _runtime() as runtime:
        try:
            vector = runtime.embedder.embed_query(text)
            hits = runtime.index.search(vector, entity=entity, limit=limit)
        except AiEnrichError as error:
            raise click.ClickException(str(error)) from None
    _emit(
        [asdict(h) for h in hits],
        lambda: [f"{h.score:.4f}  {h.entity:<10} {h.hubspot_id:<14} {h.title}" for h in hits],
        as_json=as_json,
    )


@main.command()
@click.argument("question")
@JSON_OPTION
def ask(question: str, *, as_json: bool) -> None:
    """Answer QUESTION (Japanese or English) from the marts, citing records."""
    with _runtime() as runtime:
        try:
            answer = runtime.asker.ask(question)
        except AiEnrichError as error:
            raise click.ClickException(str(error)) from None

    def lines() -> list[str]:
        out = [answer.note] if answer.note else []
        out += [answer.answer] if answer.answer is not None else []
        out += [f"SQL: {answer.sql}"] if answer.sql else []
        out += [f"- {s.entity} {s.hubspot_id} {s.title}".rstrip() for s in answer.sources]
        return out

    _emit(answer.to_dict(), lines, as_json=as_json)


@main.command()
@JSON_OPTION
def status(*, as_json: bool) -> None:
    """Provider, models, reachability, and embedded/outdated counts."""
    with _runtime() as runtime:
        try:
            report = status_report.collect(runtime)
        except AiEnrichError as error:
            raise click.ClickException(str(error)) from None
    _emit(report, lambda: status_report.render(report), as_json=as_json)
