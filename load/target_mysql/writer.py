"""A background writer: MySQL commits one batch while the main thread reads the next.

Jobs (batch upserts and STATE lines) run one at a time, in submission order, on one thread.
A STATE line is submitted as a job behind the batches read before it, so it is printed only
after they are committed; once a job fails, every later job is skipped (no STATE after a
failed batch) and the failure is raised in the main thread at its next call.
"""

from __future__ import annotations

import typing as t
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

Job = t.Callable[[], None]


class BatchWriter:
    """Runs jobs in order on one thread, with at most one batch waiting behind the running one."""

    def __init__(self) -> None:
        """Create the writer; its thread starts with the first job."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="target-mysql")
        self._jobs: deque[Future[None]] = deque()
        self._batches: deque[Future[None]] = deque()
        self._failure: BaseException | None = None

    def submit_batch(self, job: Job) -> None:
        """Queue a batch; first wait while an earlier batch is still waiting or running.

        Args:
            job: Writes and commits the batch.
        """
        while self._batches:
            self._batches.popleft().result()
        self._batches.append(self._submit(job))

    def submit(self, job: Job) -> None:
        """Queue a job (e.g. printing STATE) to run after everything queued before it.

        Args:
            job: The job.
        """
        self._submit(job)

    def wait(self) -> None:
        """Block until every queued job has run; raise the first failure, if any."""
        while self._jobs:
            self._jobs.popleft().result()
        self._batches.clear()
        if self._failure is not None:
            raise self._failure

    def _submit(self, job: Job) -> Future[None]:
        while self._jobs and self._jobs[0].done():
            self._jobs.popleft().result()
        if self._failure is not None:
            raise self._failure
        future = self._executor.submit(self._run, job)
        self._jobs.append(future)
        return future

    def _run(self, job: Job) -> None:
        if self._failure is not None:
            return
        try:
            job()
        except BaseException as error:
            self._failure = error
            raise
