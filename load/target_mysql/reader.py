"""Reads Singer messages from the input: bytes in, msgspec out, numbers kept exact.

singer-sdk's reader decodes standard input to text and parses each line with ``json``, a fifth
of the load time, and on a bad line logs the whole line, record values and all. This one parses
the raw bytes with msgspec (JSON numbers with a fraction or exponent become ``decimal.Decimal``,
as singer-sdk does), falls back to ``json`` for what msgspec refuses but Python reads (``NaN``,
lone surrogates), and names a bad line by its number, never by its contents.
"""

from __future__ import annotations

import decimal
import json
import sys
import typing as t
from collections import Counter

import msgspec
from singer_sdk.singerlib.encoding.base import GenericSingerReader
from singer_sdk.singerlib.exceptions import InvalidInputLine

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

_DECODER = msgspec.json.Decoder(dict[str, t.Any], float_hook=decimal.Decimal)


class MessageReader(GenericSingerReader[bytes]):
    """Singer messages from standard input's bytes (or any line iterable of str or bytes)."""

    def __init__(self) -> None:
        """Create the reader."""
        super().__init__()
        self._line_number = 0

    @property
    @override
    def default_input(self) -> t.IO[bytes]:
        """Standard input, undecoded.

        Returns:
            The binary standard input.
        """
        return sys.stdin.buffer

    @override
    def process_lines(
        self,
        file_input: t.IO[bytes] | None,
        callbacks: dict[str, t.Callable[[dict[str, t.Any]], None]],
    ) -> t.Counter[str]:
        """Parse each line and hand it to the callback of its message type.

        Args:
            file_input: The input; standard input when None.
            callbacks: Message type to handler.

        Returns:
            How many messages of each type were read.

        Raises:
            InvalidInputLine: A line is not a Singer message; names the line number.
        """
        counts: Counter[str] = Counter()
        for line in file_input or self.default_input:
            self._line_number += 1
            if not line.strip():
                continue
            message = self.deserialize_json(line)
            message_type = message.get("type")
            if not isinstance(message_type, str) or message_type not in callbacks:
                error = f"Input line {self._line_number}: unknown message type {message_type!r}"
                raise InvalidInputLine(error)
            callbacks[message_type](message)
            counts[message_type] += 1
        return counts

    @property
    def line_number(self) -> int:
        """The number of the line read last (1 is the first).

        Returns:
            The line number.
        """
        return self._line_number

    @override
    def deserialize_json(self, line: bytes) -> dict[str, t.Any]:
        """Parse one line into a message.

        Args:
            line: The line.

        Returns:
            The message.

        Raises:
            InvalidInputLine: The line is not a JSON object (its text is not quoted).
        """
        try:
            return _DECODER.decode(line)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            try:
                message = json.loads(line, parse_float=decimal.Decimal)
            except (ValueError, UnicodeDecodeError):
                message = None
            if isinstance(message, dict):
                return message
            reason = f"Input line {self._line_number} is not a JSON object: {error}"
            raise InvalidInputLine(reason) from None
