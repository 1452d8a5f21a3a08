"""A bounded, thread-safe least-recently-used memo for results that are pure functions of their key.

Used where the study recomputes the same thing many times in one process: the clean reference tables
(``helpers.io.tables.read_table``) and the resolved services table (``helpers.model.services.resolve_services``):
the two that ``make bench`` shows pay for themselves (``results.json`` ``memo``). The
action plan reruns the balance and the services about twenty times per territory and a batch worker runs many
territories, so without a bound the memos would grow with the batch; least recently used entries are dropped beyond
``max_items`` entries or ``max_bytes`` bytes.

:func:`frame_digest` gives a key for a result that depends on the content of tables.

The memo stores what it is given: callers store read-only arrays or return copies of stored tables, so a caller can
never change what the next caller gets.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd


class Memo:
    """Least-recently-used memo bounded by a number of entries and/or a number of bytes.

    Parameters
    ----------
    max_items : most entries kept (None: no bound on the count)
    max_bytes : most bytes kept, as measured by ``size`` (None: no bound on the size)
    size : bytes of one value (default: ``value.nbytes``), used only with ``max_bytes``

    The most recent entry is always kept, even when it alone exceeds ``max_bytes``.
    """

    def __init__(self, max_items: int | None = None, max_bytes: int | None = None,
                 size: Callable[[Any], int] | None = None):
        self.max_items = max_items
        self.max_bytes = max_bytes
        self._size = size or (lambda value: int(value.nbytes))
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.nbytes = 0

    def get(self, key: Hashable) -> Any | None:
        """The value stored under ``key`` (and mark it as recently used), or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> Any:
        """Store ``value`` under ``key`` unless another thread stored it first; return the stored value."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            self._entries[key] = value
            if self.max_bytes is not None:
                self.nbytes += self._size(value)
            while len(self._entries) > 1 and (
                    (self.max_items is not None and len(self._entries) > self.max_items)
                    or (self.max_bytes is not None and self.nbytes > self.max_bytes)):
                _, dropped = self._entries.popitem(last=False)
                if self.max_bytes is not None:
                    self.nbytes -= self._size(dropped)
            return value

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.nbytes = 0


def frame_digest(*frames: pd.DataFrame) -> bytes:
    """A digest of the content of DataFrames (columns, dtypes, index, values, ``attrs``): equal digests, equal tables.

    Two equal tables may still get different digests (e.g. -0.0 and 0.0): a memo keyed on it can miss, never
    return the result of another table.
    """
    h = hashlib.blake2b(digest_size=20)
    for df in frames:
        try:  # the whole frame at once (~0.2 ms); pickling is faithful, so equal bytes mean equal content
            h.update(pickle.dumps(df, protocol=5))
        except (pickle.PicklingError, TypeError, AttributeError):  # something in df.attrs cannot be pickled
            h.update(pickle.dumps((list(df.columns), [str(t) for t in df.dtypes], df.index.to_numpy()), protocol=5))
            for col in df.columns:
                h.update(pickle.dumps(df[col].to_numpy(), protocol=5))
    return h.digest()
