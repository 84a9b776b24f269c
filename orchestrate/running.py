"""Running one Meltano job as a child process, with a clean stop on SIGTERM/SIGINT."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from orchestrate.clock import monotonic

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from orchestrate.schedules import Schedule

EXIT_NOT_STARTED = 127


@dataclass(frozen=True)
class RunResult:
    """How one run ended.

    Attributes:
        exit_code: The child's exit status (negative: killed by that signal; 127: not started).
        duration: Wall seconds from start to end.
        stopped: Whether the scheduler asked the run to stop.
        killed: Whether it had to be killed after the stop timeout.
    """

    exit_code: int
    duration: float
    stopped: bool = False
    killed: bool = False

    @property
    def status(self) -> str:
        """One word for the log: success, failed, terminated (after a stop) or killed.

        Returns:
            The status.
        """
        if self.killed:
            return "killed"
        if self.exit_code == 0:
            return "success"
        return "terminated" if self.stopped else "failed"


class Runner(Protocol):
    """Runs one schedule's job to its end (or until asked to stop)."""

    def run(self, schedule: Schedule) -> RunResult:
        """Run the schedule's job and wait for it."""
        ...

    def stop(self, signum: int) -> None:
        """Ask the run in progress (if any) to end, forwarding `signum`."""
        ...


class MeltanoRunner:
    """Runs `meltano run <job>` with the schedule's env, as `meltano schedule run` would.

    The child gets its own process group. A stop forwards the signal to Meltano, which ends its
    plugins and marks the run failed; after `stop_timeout` seconds the whole group is killed.
    """

    def __init__(  # noqa: PLR0913 (settings of one small object)
        self,
        meltano: Sequence[str],
        cwd: Path,
        env: Mapping[str, str],
        *,
        stop_timeout: float,
        heartbeat: Callable[[], None] | None = None,
        heartbeat_seconds: float = 30.0,
    ) -> None:
        """Keep the command, directory and timeouts.

        Args:
            meltano: The command that runs Meltano, e.g. `["meltano"]`.
            cwd: The Meltano project directory.
            env: The base environment of the runs (the schedule's env is added).
            stop_timeout: Seconds a run may take to end after the stop signal.
            heartbeat: Called every `heartbeat_seconds` while a run is in progress.
            heartbeat_seconds: The heartbeat period.
        """
        self.meltano = tuple(meltano)
        self.cwd = cwd
        self.env = dict(env)
        self.stop_timeout = stop_timeout
        self.heartbeat = heartbeat
        self.heartbeat_seconds = heartbeat_seconds
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stop_signal: int | None = None
        self._forwarded = False

    def command(self, schedule: Schedule) -> list[str]:
        """Return the command line of a schedule's run.

        Args:
            schedule: The schedule.

        Returns:
            `meltano run <job>`.
        """
        return [*self.meltano, "run", schedule.job]

    def run(self, schedule: Schedule) -> RunResult:
        """Run the schedule's job and wait for it to end.

        Args:
            schedule: The schedule.

        Returns:
            The result; a command that cannot start gives exit code 127.
        """
        started = monotonic()
        with self._lock:
            if self._stop_signal is not None:
                return RunResult(exit_code=-self._stop_signal, duration=0.0, stopped=True)
            try:
                self._process = subprocess.Popen(  # noqa: S603 (a fixed command line, no shell)
                    self.command(schedule),
                    cwd=self.cwd,
                    env={**self.env, **schedule.env},
                    start_new_session=True,
                )
            except OSError:
                return RunResult(exit_code=EXIT_NOT_STARTED, duration=monotonic() - started)
            process = self._process
        try:
            exit_code, killed = self._wait(process)
        finally:
            with self._lock:
                self._process = None
        stopped = self._stop_signal is not None
        return RunResult(exit_code, monotonic() - started, stopped=stopped, killed=killed)

    def _wait(self, process: subprocess.Popen[bytes]) -> tuple[int, bool]:
        """Wait for the child, beating the heart; kill its group when a stop takes too long.

        Args:
            process: The child.

        Returns:
            Its exit code and whether it was killed.
        """
        stop_deadline: float | None = None
        while True:
            if self._stop_signal is not None and stop_deadline is None:
                stop_deadline = monotonic() + self.stop_timeout
                if not self._forwarded:  # the stop came while the child was starting
                    self._forward(process, self._stop_signal)
            timeout = self.heartbeat_seconds
            if stop_deadline is not None:
                timeout = min(timeout, max(stop_deadline - monotonic(), 0.0))
            try:
                return process.wait(timeout=max(timeout, 0.05)), False
            except subprocess.TimeoutExpired:
                if stop_deadline is not None and monotonic() >= stop_deadline:
                    _kill_group(process)
                    return process.wait(), True
                if self.heartbeat is not None:
                    self.heartbeat()

    def stop(self, signum: int) -> None:
        """Forward `signum` to the run in progress; later runs do not start.

        Safe to call from a signal handler and more than once.

        Args:
            signum: SIGTERM or SIGINT.
        """
        self._stop_signal = signum
        process = self._process
        if process is not None:
            self._forward(process, signum)

    def _forward(self, process: subprocess.Popen[bytes], signum: int) -> None:
        """Send `signum` to the child (Meltano) while it still runs.

        Args:
            process: The child.
            signum: The signal.
        """
        self._forwarded = True
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signum)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child and everything it started (its own process group).

    Args:
        process: The child, leader of its group.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
