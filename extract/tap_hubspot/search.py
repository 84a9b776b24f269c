"""Search requests paged by object id.

Every page is a fresh query `hs_object_id > last id` sorted by id, so the `after`
offset is never used: no 10,000-result cap, and no loop when many records share
one timestamp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

if TYPE_CHECKING:
    import datetime as dt

    import requests

MAX_PAGE_SIZE = 200


def is_search(url: str) -> bool:
    """Whether a request URL is a CRM search (its own rate budget and paging).

    Args:
        url: The request URL.

    Returns:
        True for `POST /crm/v3/objects/{type}/search`.
    """
    return urlparse(url).path.rstrip("/").endswith("/search")


def is_search_response(response: requests.Response) -> bool:
    """Whether a response answers a search request.

    Args:
        response: Any response.

    Returns:
        True for search responses.
    """
    return is_search(response.url)


def epoch_ms(value: dt.datetime) -> str:
    """A datetime as epoch milliseconds, the form HubSpot documents for filters.

    Args:
        value: An aware datetime.

    Returns:
        The milliseconds as a string.
    """
    return str(int(value.timestamp() * 1000))


def search_body(
    *,
    after_id: str | None,
    page_size: int,
    properties: list[str],
    modified_property: str | None = None,
    window: tuple[dt.datetime, dt.datetime] | None = None,
) -> dict[str, Any]:
    """The body of one search page.

    Args:
        after_id: The last id of the previous page (None on the first page).
        page_size: Results per page (at most 200).
        properties: Property names to return.
        modified_property: The last-modified property the window filters on.
        window: Inclusive [start, end] of last-modified times, or None for all ids.

    Returns:
        The JSON body.
    """
    filters: list[dict[str, Any]] = []
    if window is not None and modified_property is not None:
        start, end = window
        filters.append(
            {"propertyName": modified_property, "operator": "GTE", "value": epoch_ms(start)}
        )
        filters.append(
            {"propertyName": modified_property, "operator": "LTE", "value": epoch_ms(end)}
        )
    if after_id is not None:
        filters.append({"propertyName": "hs_object_id", "operator": "GT", "value": after_id})
    body: dict[str, Any] = {
        "sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}],
        "properties": properties,
        "limit": min(page_size, MAX_PAGE_SIZE),
    }
    if filters:
        body["filterGroups"] = [{"filters": filters}]
    return body


def next_after_id(response: requests.Response, page_size: int) -> str | None:
    """The id to continue after, or None when this page was the last.

    Args:
        response: A search response.
        page_size: The page size that was asked for.

    Returns:
        The last id of a full page that HubSpot says is followed by more.
    """
    body = response.json()
    results = body.get("results") or []
    more = bool((body.get("paging") or {}).get("next"))
    if not results or len(results) < min(page_size, MAX_PAGE_SIZE) or not more:
        return None
    return str(results[-1]["id"])
