"""Post intake from connectors and files: hashed authors, idempotent on (source, external id)."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.config import get_settings
from siaga.errors import Conflict, Invalid, Unauthorized
from siaga.intel.analysis import Analysis, analyse_many
from siaga.intel.entities import (
    Gazetteer,
    PlaceEntry,
    SchoolEntry,
    cached_gazetteer,
)
from siaga.intel.models import ConnectorToken, MediaPost, WarningPost
from siaga.intel.schemas import PostIn
from siaga.intel.warnings import attach_post
from siaga.orgs.models import Organisation
from siaga.validation import indonesian_errors


def hash_handle(handle: str) -> str:
    """HMAC-SHA256 of the normalised handle under the server secret (hex)."""
    normal = handle.strip().lstrip("@").lower()
    key = get_settings().secret_key.encode()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_connector(session: Session, *, name: str, org: Organisation | None,
                     actor: User | None) -> tuple[ConnectorToken, str]:
    """A connector credential; the token is shown once and only its hash is kept."""
    if session.scalar(select(ConnectorToken.id).where(ConnectorToken.name == name)):
        raise Conflict(f"Konektor bernama {name} sudah ada; pakai nama lain", field="name")
    token = "sgc_" + secrets.token_urlsafe(32)
    connector = ConnectorToken(name=name, token_hash=_token_hash(token),
                               org_id=org.id if org else None,
                               org_path=org.path if org else "/", active=True)
    session.add(connector)
    session.flush()
    audit(session, action="intel.connector.create", target=connector, actor=actor,
          org_path=connector.org_path, detail={"name": name})
    return connector, token


def connector_for_token(session: Session, *, token: str) -> ConnectorToken:
    """The active connector holding this token."""
    connector = session.scalar(select(ConnectorToken)
                               .where(ConnectorToken.token_hash == _token_hash(token)))
    if connector is None or not connector.active:
        raise Unauthorized("Token konektor tidak dikenal atau dicabut")
    return connector


@dataclass
class IngestItem:
    post: MediaPost
    created: bool
    warning_id: int | None = None
    # Stored earlier for another organisation: the sender learns nothing about it.
    foreign: bool = False


@dataclass
class IngestResult:
    items: list[IngestItem] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for i in self.items if i.created)

    @property
    def duplicates(self) -> int:
        return sum(1 for i in self.items if not i.created)

    @property
    def warning_ids(self) -> list[int]:
        """The warnings this intake opened or added to (not those of repeated posts)."""
        return sorted({i.warning_id for i in self.items
                       if i.created and i.warning_id is not None})


def ingest_posts(session: Session, *, posts: list[PostIn], org_path: str, actor: User | None,
                 connector: ConnectorToken | None = None, keep_handles: bool = False
                 ) -> IngestResult:
    """Store new posts, analyse them and group warning posts; repeats return the stored post."""
    try:
        return _ingest(session, posts=posts, org_path=org_path, actor=actor, connector=connector,
                       keep_handles=keep_handles)
    except IntegrityError:
        # Another request stored one of these posts first; this time they are duplicates.
        session.rollback()
        return _ingest(session, posts=posts, org_path=org_path, actor=actor, connector=connector,
                       keep_handles=keep_handles)


def _ingest(session: Session, *, posts: list[PostIn], org_path: str, actor: User | None,
            connector: ConnectorToken | None, keep_handles: bool) -> IngestResult:
    keys = list(dict.fromkeys((p.source, p.external_id) for p in posts))
    existing: dict[tuple[str, str], MediaPost] = {}
    for chunk_start in range(0, len(keys), 400):
        chunk = keys[chunk_start:chunk_start + 400]
        for row in session.scalars(select(MediaPost).where(
                tuple_(MediaPost.source, MediaPost.external_id).in_(chunk))):
            existing[(row.source, row.external_id)] = row
    fresh: dict[tuple[str, str], PostIn] = {}
    for incoming in posts:
        key = (incoming.source, incoming.external_id)
        if key not in existing:
            fresh.setdefault(key, incoming)
    gazetteer = cached_gazetteer(session)
    new_posts = list(fresh.values())
    analyses = analyse_many([p.text for p in new_posts],
                            posted_at=[p.posted_at for p in new_posts], gazetteer=gazetteer)
    stored: dict[tuple[str, str], IngestItem] = {}
    for post_in, analysis in zip(new_posts, analyses, strict=True):
        if post_in.place:
            _add_place_tag(analysis, place=post_in.place, gazetteer=gazetteer)
        _keep_within(analysis, scope=org_path)
        post: MediaPost = MediaPost(
            source=post_in.source, external_id=post_in.external_id,
            author_hash=hash_handle(post_in.author) if post_in.author else None,
            author_handle=post_in.author if keep_handles else None,
            posted_at=post_in.posted_at, text=post_in.text, place=post_in.place,
            link=post_in.link, org_path=_post_org_path(analysis, org_path),
            risk=analysis.risk, is_warning=analysis.is_warning, analysis=analysis.as_dict(),
        )
        session.add(post)
        session.flush()
        item = IngestItem(post=post, created=True)
        if analysis.is_warning:
            item.warning_id = attach_post(session, post=post, analysis=analysis,
                                          scope=org_path).id
        stored[(post.source, post.external_id)] = item
    belongs = _warnings_of(session, post_ids=[p.id for p in existing.values()])
    result = IngestResult()
    for post_in in posts:
        key = (post_in.source, post_in.external_id)
        if key in stored:
            item = stored.pop(key)
            result.items.append(item)
            if key not in existing:  # a repeat later in this batch is a duplicate of it
                existing[key] = item.post
                belongs[item.post.id] = item.warning_id
        else:
            post = existing.get(key) or _stored(session, key)
            if post.org_path.startswith(org_path):
                result.items.append(IngestItem(post=post, created=False,
                                               warning_id=belongs.get(post.id)))
            else:
                result.items.append(IngestItem(post=post, created=False, foreign=True))
    if result.created:
        audit(session, action="intel.post.import", target=connector, actor=actor,
              org_path=org_path, detail={"created": result.created,
                                         "duplicates": result.duplicates,
                                         "warnings": result.warning_ids})
    return result


def _warnings_of(session: Session, *, post_ids: list[int]) -> dict[int, int | None]:
    """The warning each of these stored posts was grouped into, by post id."""
    found: dict[int, int | None] = {}
    for start in range(0, len(post_ids), 400):
        rows = session.execute(
            select(WarningPost.post_id, WarningPost.warning_id)
            .where(WarningPost.post_id.in_(post_ids[start:start + 400]))
            .order_by(WarningPost.id)).tuples()
        for post_id, warning_id in rows:
            found.setdefault(post_id, warning_id)
    return found


def _add_place_tag(analysis: Analysis, *, place: str, gazetteer: Gazetteer) -> None:
    """Schools and places named by the post's location tag count as named by the post; the
    risk and times stay those of the text (a tag is not something the author wrote)."""
    found = gazetteer.find(f"di {place}")
    for school in found.schools:
        if school not in analysis.schools:
            analysis.schools.append(school)
            analysis.reasons.append(f"sekolah: {school.name} (lokasi unggahan)")
    for entry in found.places:
        if entry not in analysis.places:
            analysis.places.append(entry)
            analysis.reasons.append(f"tempat: {entry.name} ({entry.kind}, lokasi unggahan)")


def _keep_within(analysis: Analysis, *, scope: str) -> None:
    """Forget schools and places outside the sender's organisation: a post must not be routed
    to, or grouped with, another organisation's warnings."""
    if scope == "/":
        return
    entries: list[PlaceEntry | SchoolEntry] = [*analysis.schools, *analysis.places]
    outside = {e.name for e in entries
               if not (e.org_path or "/").startswith(scope) and (e.org_path or "/") != "/"}
    if not outside:
        return
    analysis.schools = [s for s in analysis.schools if s.name not in outside]
    analysis.places = [p for p in analysis.places if p.name not in outside]
    analysis.reasons = [r for r in analysis.reasons
                        if not any(r.startswith((f"sekolah: {name} ", f"tempat: {name} ("))
                                   for name in outside)]


def _stored(session: Session, key: tuple[str, str]) -> MediaPost:
    post = session.scalar(select(MediaPost).where(MediaPost.source == key[0],
                                                  MediaPost.external_id == key[1]))
    assert post is not None  # stored earlier in this same batch
    return post


def _post_org_path(analysis: Analysis, default: str) -> str:
    """The Polsek of the place named, else of the school, else the sender's organisation."""
    entries: list[PlaceEntry | SchoolEntry] = [*analysis.places, *analysis.schools]
    for entry in entries:
        if entry.org_path and entry.org_path != "/":
            return entry.org_path
    return default


def read_posts_file(path: Path, *, default_source: str = "import") -> Iterator[PostIn]:
    """Posts from a CSV (header row) or JSONL file; a bad line raises Invalid naming its line
    number in the file (the CSV header is line 1)."""
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        rows: Iterable[tuple[int, dict[str, object]]] = _jsonl(path)
    else:
        rows = _csv(path)
    for number, row in rows:
        row = {k: v for k, v in row.items() if v not in ("", None)}
        row.setdefault("source", default_source)
        try:
            yield PostIn.model_validate(row)
        except ValidationError as exc:
            first = indonesian_errors(exc.errors())[0]
            field_name = ".".join(str(p) for p in first["loc"])
            raise Invalid(f"baris {number}: {field_name}: {first['msg']}",
                          field=field_name) from None


def _file_text(path: Path) -> str:
    """The file as text; utf-8-sig, since files saved by Windows tools start with a BOM."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise Invalid(f"baris {line}: bukan teks UTF-8; simpan berkas sebagai UTF-8") from None


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    for number, line in enumerate(_file_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise Invalid(f"baris {number}: bukan JSON yang sah") from None
        if not isinstance(row, dict):
            raise Invalid(f"baris {number}: harus berupa objek JSON {{...}}")
        yield number, row


def _csv(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(_file_text(path), newline=""))
    try:
        for row in reader:
            if None in row:
                raise Invalid(f"baris {reader.line_num}: kolomnya lebih banyak dari baris judul")
            yield reader.line_num, dict(row)
    except csv.Error as exc:
        raise Invalid(f"baris {reader.line_num}: CSV tidak sah ({exc})") from None
