"""Group commit for GPS fixes: one writer thread stores whatever arrived meanwhile in one
transaction, and only then answers each sender. Nothing is acknowledged before it is committed,
and SQLite's single writer spends its time on rows instead of on per-request transactions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable

from siaga.db import get_database
from siaga.tracking.protocols import Fix
from siaga.tracking.service import FixResult, store_fixes

log = logging.getLogger(__name__)

Outcome = FixResult | BaseException
Callback = Callable[[Outcome], None]
# A waiter is a plain callback (threads, MQTT) or an asyncio future of the sender's loop.
Waiter = Callback | asyncio.Future[FixResult]
_STOP = object()


class FixWriter:
    """A background thread that stores queued fixes in batches of up to `max_batch`."""

    def __init__(self, *, max_batch: int = 256) -> None:
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[list[tuple[Fix, Waiter]] | object] = queue.SimpleQueue()
        self._pending: dict[asyncio.AbstractEventLoop, list[tuple[Fix, Waiter]]] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_started(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="siaga-fix-writer",
                                                daemon=True)
                self._thread.start()

    def submit(self, fix: Fix, done: Callback) -> None:
        """Queue a fix; `done` is called from the writer thread once it is committed (or not)."""
        self._ensure_started()
        self._queue.put([(fix, done)])

    async def store(self, fix: Fix) -> FixResult:
        """Queue a fix and wait until it is committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[FixResult] = loop.create_future()
        pending = self._pending.get(loop)
        if pending is None:
            # Hand over everything gathered in this turn of the loop at once: waking the
            # writer thread per fix costs more than storing the fix.
            pending = self._pending[loop] = []
            loop.call_soon(self._hand_over, loop)
        pending.append((fix, future))
        return await future

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        items = self._pending.pop(loop, None)
        if items:
            self._ensure_started()
            self._queue.put(items)

    def store_sync(self, fix: Fix, timeout: float = 30.0) -> FixResult:
        """Queue a fix and block this (non-writer) thread until it is committed."""
        finished = threading.Event()
        box: list[Outcome] = []

        def done(outcome: Outcome) -> None:
            box.append(outcome)
            finished.set()

        self.submit(fix, done)
        if not finished.wait(timeout):
            raise TimeoutError("fix not stored in time")
        outcome = box[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def stop(self, timeout: float = 10.0) -> None:
        """Store what is queued, then end the thread (a later submit starts a new one)."""
        with self._lock:
            thread = self._thread
            self._thread = None
        if thread is not None and thread.is_alive():
            self._queue.put(_STOP)
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            batch: list[tuple[Fix, Waiter]] = list(item)  # type: ignore[call-overload]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stop = True
                    break
                batch.extend(more)  # type: ignore[arg-type]
            for start in range(0, len(batch), self.max_batch):
                self._write(batch[start:start + self.max_batch])
            if stop:
                return

    def _write(self, batch: list[tuple[Fix, Waiter]]) -> None:
        fixes = [fix for fix, _ in batch]
        try:
            with get_database().session() as session:
                results: list[Outcome] = list(store_fixes(session, fixes=fixes))
        except Exception as exc:
            if len(batch) > 1:
                # One bad fix must not sink the others: store them one by one.
                for item in batch:
                    self._write([item])
                return
            log.exception("could not store fix from %s", fixes[0].tracker_id)
            results = [exc]
        _answer([waiter for _, waiter in batch], results)


def _answer(waiters: list[Waiter], outcomes: list[Outcome]) -> None:
    # One wake-up per event loop for the whole batch, not one per fix.
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[FixResult], Outcome]]] = {}
    for waiter, outcome in zip(waiters, outcomes, strict=True):
        if isinstance(waiter, asyncio.Future):
            by_loop.setdefault(waiter.get_loop(), []).append((waiter, outcome))
        else:
            try:
                waiter(outcome)
            except Exception:  # a sender that went away must not stop the writer
                log.exception("fix callback failed")
    for loop, settled in by_loop.items():
        with contextlib.suppress(RuntimeError):  # that loop has closed: its senders are gone
            loop.call_soon_threadsafe(_settle, settled)


def _settle(settled: list[tuple[asyncio.Future[FixResult], Outcome]]) -> None:
    for future, outcome in settled:
        if future.done():
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


_writer = FixWriter()


def get_writer() -> FixWriter:
    """The process-wide fix writer."""
    return _writer
