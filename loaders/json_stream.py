"""JSON read from numbered lines a little at a time: one value, or one element of an array, at a time.

A file holding one large value (a Federal Register search-result page, indented, its documents
in one ``results`` array) is read without holding the file: :class:`JsonStream` keeps a buffer of
whole lines from the current value on, and ``json.JSONDecoder.raw_decode`` reads each value in it;
a value the buffer ends inside gets more lines (at least as many characters again as it already
spans, so a long value is decoded a few times, not once a line) and is read again. Lines come
whole, so the text always ends between tokens: a decoding error at the very end of the buffer
means "more to come", any other is malformed JSON, reported at its own line.

>>> stream = JsonStream([(1, '{"count": 2, "results": ['), (3, '{"a": 1},'), (4, '{"a": 2}]}')], "f.json")
>>> stream.take("{")
>>> for key, _ in stream.members():
...     if key == "results":
...         stream.take("[")
...         print([(i, doc, stream.line_at(at)) for i, doc, at in stream.elements()])
...     else:
...         print(key, stream.value()[0])
count 2
[(0, {'a': 1}, 3), (1, {'a': 2}, 4)]
>>> stream.peek()  # the end of the file
''
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Any

from graph.errors import LoadError

CHUNK = 64 * 1024  # characters read at least at a time
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonStream:
    """A cursor over the JSON text of numbered lines (as :func:`loaders.records.open_lines` gives
    them: blank lines skipped), holding only the lines from the value being read on."""

    def __init__(self, lines: Iterable[tuple[int, str]], file: str) -> None:
        self._lines = iter(lines)
        self.file = file
        self.text = ""  # the lines held, each followed by "\n"
        self.pos = 0  # where reading is, in ``text``
        self._starts: list[int] = []  # where each held line starts in ``text`` …
        self._numbers: list[int] = []  # … and its number in the file

    def line_at(self, at: int) -> int | None:
        """The file line of the character at ``at`` in ``text``."""
        i = bisect_right(self._starts, at) - 1
        return self._numbers[max(i, 0)] if self._numbers else None

    def _more(self, wanted: int) -> bool:
        """Read lines for at least ``wanted`` more characters (fewer at the end); False if none are left.

        What lies before ``pos`` is dropped first: it was read."""
        parts: list[str] = []
        if self.pos:
            i = max(bisect_right(self._starts, self.pos) - 1, 0)
            self._starts = [s - self.pos for s in self._starts[i:]]  # the first may start before 0
            self._numbers = self._numbers[i:]
            self.text, self.pos = self.text[self.pos :], 0
        size = end = len(self.text)
        for number, line in self._lines:
            self._starts.append(end)
            self._numbers.append(number)
            parts += (line, "\n")
            end += len(line) + 1
            if end - size >= wanted:
                break
        if not parts:
            return False
        self.text += "".join(parts)
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the file), not taken."""
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more(CHUNK):
                return ""

    def take(self, expected: str, what: str | None = None) -> None:
        """Take the next character, which must be ``expected``; else malformed JSON, saying ``what``
        was expected."""
        if self.peek() != expected:
            self.fail(self.pos, what or f"Expecting {expected!r}")
        self.pos += 1

    def fail(self, at: int, message: str) -> None:
        """Raise malformed JSON at ``at``, naming its line."""
        raise LoadError(self.file, self.line_at(at), None, f"malformed JSON ({message}; truncated file?)")

    def value(self) -> tuple[Any, int]:
        """The next JSON value, whole, and where it starts in ``text`` (valid until the next read)."""
        if not self.peek():
            self.fail(self.pos, "Expecting value")
        start = self.pos
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, start)
            except json.JSONDecodeError as exc:
                at_end = _WHITESPACE.match(self.text, exc.pos).end() >= len(self.text)  # type: ignore[union-attr]
                # Whatever is held of the value again, at least: decoded a few times, not once a line.
                if at_end and self._more(max(CHUNK, len(self.text) - start)):
                    start = self.pos
                    continue
                self.fail(exc.pos, exc.msg)
            except RecursionError:
                self.fail(start, "nested too deeply")
            self.pos = end
            return value, start

    def members(self) -> Iterator[tuple[str, int | None]]:
        """The keys of the object whose ``{`` was just taken, each with its file line (found before
        the ``:`` is taken: reading more text for it would move the key's place in ``text``): the
        caller reads each key's value (``value``, or more of the stream) before asking for the next.
        The closing ``}`` is taken."""
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key, at = self.value()
            if not isinstance(key, str):
                self.fail(at, "Expecting property name enclosed in double quotes")
            line = self.line_at(at)
            self.take(":", "Expecting ':' delimiter")
            yield key, line
            if self.peek() == "}":
                self.pos += 1
                return
            self.take(",", "Expecting ',' delimiter")

    def elements(self) -> Iterator[tuple[int, Any, int]]:
        """``(index, value, where it starts)`` for each element of the array whose ``[`` was just
        taken, one at a time; the closing ``]`` is taken."""
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            value, at = self.value()
            yield index, value, at
            if self.peek() == "]":
                self.pos += 1
                return
            self.take(",", "Expecting ',' delimiter")
            index += 1
