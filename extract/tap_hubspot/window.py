"""The closed time window an object stream reads through the search endpoint."""

from __future__ import annotations

import dataclasses
import datetime as dt

#: A record changed this long before the run started is in the run; the index has had
#: that long to show it. At most 2 minutes (see issue 3).
SAFETY_MARGIN = dt.timedelta(seconds=60)


@dataclasses.dataclass(frozen=True)
class Window:
    """The last-modified range [start, end] one run reads.

    Attributes:
        start: Inclusive lower bound.
        end: Inclusive upper bound; the bookmark once the window is complete.
        full: True when there was no bookmark (first run or full refresh).
    """

    start: dt.datetime
    end: dt.datetime
    full: bool


def compute_window(
    *,
    bookmark: dt.datetime | None,
    start_date: dt.datetime,
    run_start: dt.datetime,
    lookback: dt.timedelta,
) -> Window:
    """The window of one run.

    With a bookmark: [bookmark - lookback, run start - margin], never before start_date.
    Without one: [start_date, run start - margin].

    Args:
        bookmark: The previous window's end, if any.
        start_date: The configured earliest last-modified date.
        run_start: When this run started (the server's clock if known).
        lookback: How far the window reaches back before the bookmark.

    Returns:
        The window; its start never exceeds its end.
    """
    end = run_start - SAFETY_MARGIN
    if bookmark is None:
        return Window(start=min(start_date, end), end=end, full=True)
    start = max(bookmark - lookback, start_date)
    return Window(start=min(start, end), end=end, full=False)
