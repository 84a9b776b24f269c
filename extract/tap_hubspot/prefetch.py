"""Read the next pages while the current one is processed.

HubSpot answers a search page in tens to hundreds of milliseconds; typing and writing its
200 records takes about as long. A worker thread pulls records (and so requests pages)
ahead of the consumer, so the two overlap and the rate limit, not the sum, sets the pace.
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

T = TypeVar("T")
_POLL_SECONDS = 0.1


class _Done:
    """End of the records."""


class _Failed:
    """The worker's exception, re-raised in the consumer."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Worker(threading.Thread):
    """Iterates the records into a bounded queue until done or stopped."""

    def __init__(self, records: Iterable[T], depth: int) -> None:
        super().__init__(name="tap-hubspot-prefetch", daemon=True)
        self.records = records
        self.items: queue.Queue[object] = queue.Queue(maxsize=depth)
        self.stop = threading.Event()

    def put(self, item: object) -> bool:
        while not self.stop.is_set():
            try:
                self.items.put(item, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def run(self) -> None:
        try:
            for record in self.records:
                if not self.put(record):
                    return
        except BaseException as error:  # noqa: BLE001 - handed to the consumer
            self.put(_Failed(error))
            return
        self.put(_Done())


def prefetched(records: Iterable[T], depth: int) -> Iterator[T]:
    """Iterate `records` from a worker thread that stays at most `depth` items ahead.

    Args:
        records: Any iterable; iterated in the worker thread.
        depth: How many items the worker may hold ahead of the consumer.

    Yields:
        The items in order.

    Raises:
        BaseException: Whatever iterating `records` raised, in the consumer.
    """
    worker = _Worker(records, depth)
    worker.start()
    try:
        while not isinstance(item := worker.items.get(), _Done):
            if isinstance(item, _Failed):
                raise item.error
            yield cast("T", item)
    finally:
        worker.stop.set()
        worker.join()
