"""The process-wide group-commit writer for GPS fixes (see siaga.groupcommit)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from siaga.groupcommit import GroupCommitWriter
from siaga.tracking.protocols import Fix
from siaga.tracking.service import FixResult, store_fixes

Outcome = FixResult | BaseException
FixWriter = GroupCommitWriter[Fix, FixResult]


def _store(session: Session, fixes: list[Fix]) -> list[FixResult]:
    return store_fixes(session, fixes=fixes)


_writer: FixWriter = GroupCommitWriter("fix-writer", _store)


def get_writer() -> FixWriter:
    """The process-wide fix writer."""
    return _writer
