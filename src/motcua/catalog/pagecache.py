"""A small in-process cache of rendered public pages and posters.

Keys always include the id of the procedure's *current version*, read from the database on every
request (one indexed lookup). Publishing changes that id, so the next request in any process, on
any server, misses the old entry: invalidation is immediate everywhere with nothing to clear.
The time limit only bounds how long changes outside the version (a unit renamed) take to show.
"""

import threading
import time
from collections import OrderedDict


class LRU:
    def __init__(self, maxsize: int, ttl: float):
        self.maxsize, self.ttl = maxsize, ttl
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            value, expires = item
            if expires < time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = (value, time.monotonic() + self.ttl)
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


pages = LRU(maxsize=2000, ttl=300)
posters = LRU(maxsize=64, ttl=300)
