"""Group commit: one writer thread stores whatever arrived meanwhile in one transaction, and
only then answers each sender.

Nothing is acknowledged before it is committed, and SQLite's single writer spends its time on
rows instead of on per-request transactions, thread hops and lock hand-overs. A batch that fails
as a whole (a database error) is retried item by item, so one bad item never sinks the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from siaga.db import get_database
from siaga.errors import Unavailable

log = logging.getLogger(__name__)

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
# What a batch function returns per item: its result, or the error that belongs to it alone
# (refused, invalid); such errors do not roll back the other items.
StoreBatch = Callable[[Session, list[ItemT]], Sequence[ResultT | BaseException]]
# A waiter is a plain callback (threads, MQTT) or an asyncio future of the sender's loop.
_Waiter = Callable[[ResultT | BaseException], None] | asyncio.Future[ResultT]
_STOP = object()
UNAVAILABLE_MESSAGE = ("Server sedang tidak dapat menyimpan; kirim ulang sebentar lagi (dengan "
                       "client_id yang sama bila ada)")


class GroupCommitWriter(Generic[ItemT, ResultT]):
    """A background thread that stores queued items in batches of up to `max_batch`."""

    def __init__(self, name: str, store_batch: StoreBatch[ItemT, ResultT], *,
                 max_batch: int = 256) -> None:
        self.name = name
        self.max_batch = max_batch
        self._store_batch = store_batch
        self._queue: queue.SimpleQueue[list[tuple[ItemT, _Waiter[ResultT]]] | object] = (
            queue.SimpleQueue())
        self._pending: dict[asyncio.AbstractEventLoop, list[tuple[ItemT, _Waiter[ResultT]]]] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_started(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=f"siaga-{self.name}",
                                                daemon=True)
                self._thread.start()

    def submit(self, item: ItemT, done: Callable[[ResultT | BaseException], None]) -> None:
        """Queue an item; `done` is called from the writer thread once it is committed (or not)."""
        self._queue.put([(item, done)])
        self._ensure_started()

    async def store(self, item: ItemT) -> ResultT:
        """Queue an item and wait until it is committed; its own error is raised here."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[ResultT] = loop.create_future()
        pending = self._pending.get(loop)
        if pending is None:
            # Hand over everything gathered in this turn of the loop at once: waking the
            # writer thread per item costs more than storing the item.
            pending = self._pending[loop] = []
            loop.call_soon(self._hand_over, loop)
        pending.append((item, future))
        return await future

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        items = self._pending.pop(loop, None)
        if items:
            self._queue.put(items)
            self._ensure_started()

    def store_sync(self, item: ItemT, timeout: float = 30.0) -> ResultT:
        """Queue an item and block this (non-writer) thread until it is committed."""
        finished = threading.Event()
        box: list[ResultT | BaseException] = []

        def done(outcome: ResultT | BaseException) -> None:
            box.append(outcome)
            finished.set()

        self.submit(item, done)
        if not finished.wait(timeout):
            raise TimeoutError(f"{self.name}: not stored in time")
        outcome = box[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def stop(self, timeout: float = 10.0) -> None:
        """Store what is queued, then end the thread (a later submit starts a new one)."""
        with self._lock:
            thread = self._thread
            if thread is None or not thread.is_alive():
                return
            # The thread stays registered until it has drained, so no second one starts.
            self._queue.put(_STOP)
            thread.join(timeout)
            if not thread.is_alive():
                self._thread = None

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            batch: list[tuple[ItemT, _Waiter[ResultT]]] = list(item)  # type: ignore[call-overload]
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
                part = batch[start:start + self.max_batch]
                try:
                    self._write(part)
                except BaseException as exc:  # never leave a sender waiting
                    failed: list[ResultT | BaseException] = [exc] * len(part)
                    _answer([waiter for _, waiter in part], failed)
                    if not isinstance(exc, Exception):
                        raise
                    log.exception("%s: batch failed", self.name)
            if stop:
                return

    def _write(self, batch: list[tuple[ItemT, _Waiter[ResultT]]]) -> None:
        items = [item for item, _ in batch]
        outcomes: list[ResultT | BaseException]
        try:
            with get_database().session() as session:
                outcomes = list(self._store_batch(session, items))
        except (OperationalError, InterfaceError) as exc:
            # The database itself is unreachable or locked: retrying item by item would only
            # keep every sender waiting longer. They resend (idempotently) later.
            log.error("%s: database unavailable for a batch of %d: %s", self.name, len(batch),
                      exc)
            outcomes = [Unavailable(UNAVAILABLE_MESSAGE)] * len(batch)
        except Exception as exc:
            if len(batch) > 1:  # one bad item must not sink the others: store them one by one
                for one in batch:
                    self._write([one])
                return
            log.exception("%s: could not store %r", self.name, items[0])
            outcomes = [exc]
        if len(outcomes) != len(batch):
            outcomes = [RuntimeError(f"{self.name}: {len(outcomes)} outcomes for "
                                     f"{len(batch)} items")] * len(batch)
        _answer([waiter for _, waiter in batch], outcomes)


def _answer(waiters: list[_Waiter[ResultT]], outcomes: list[ResultT | BaseException]) -> None:
    # One wake-up per event loop for the whole batch, not one per item.
    by_loop: dict[asyncio.AbstractEventLoop,
                  list[tuple[asyncio.Future[ResultT], ResultT | BaseException]]] = {}
    for waiter, outcome in zip(waiters, outcomes, strict=True):
        if isinstance(waiter, asyncio.Future):
            by_loop.setdefault(waiter.get_loop(), []).append((waiter, outcome))
        else:
            try:
                waiter(outcome)
            except Exception:  # a sender that went away must not stop the writer
                log.exception("group-commit callback failed")
    for loop, settled in by_loop.items():
        with contextlib.suppress(RuntimeError):  # that loop has closed: its senders are gone
            loop.call_soon_threadsafe(_settle, settled)


def _settle(settled: list[tuple[asyncio.Future[ResultT], ResultT | BaseException]]) -> None:
    for future, outcome in settled:
        if future.done():
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
