"""Spans of a text and the questions extraction asks of them, each in logarithmic time.

Extraction often asks whether a position or a span lies in, over or across any of many spans
(a number inside a quoted name, a mention inside an agency's name). Asked with `any()` over a
list, these questions make a long article quadratic; here the spans are sorted by start once,
with the running maximum of their ends, and each question is one bisection.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right


class Spans:
    """A set of (start, end) spans, end exclusive."""

    def __init__(self, spans):
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = []         # the largest end among the spans up to each one
        longest = -1
        for _, e in ordered:
            longest = max(longest, e)
            self.reach.append(longest)

    def _reach(self, last: int) -> int:
        """The largest end among the spans that start before index `last`."""
        return self.reach[last - 1] if last > 0 else -1

    def holds(self, pos: int) -> bool:
        """Some span has start <= pos < end."""
        return self._reach(bisect_right(self.starts, pos)) > pos

    def covers(self, start: int, end: int) -> bool:
        """Some span has s <= start and end <= e."""
        return self._reach(bisect_right(self.starts, start)) >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Some span has s < end and start < e."""
        return self._reach(bisect_left(self.starts, end)) > start

    def encloses(self, start: int, end: int) -> bool:
        """Some span other than (start, end) itself covers it."""
        return (self._reach(bisect_left(self.starts, start)) >= end
                or self._reach(bisect_right(self.starts, start)) > end)
