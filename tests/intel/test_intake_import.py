"""`siaga mediaintel import` on bad files: one Indonesian line naming the line, nothing stored."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.intel.cli import intel_cli


def _count(tag: str) -> int:
    from siaga.db import get_database
    from siaga.intel.models import MediaPost

    with get_database().session() as session:
        return int(session.scalar(select(func.count()).select_from(MediaPost).where(
            MediaPost.external_id.startswith(tag))) or 0)


def _line(tag: str, n: int) -> str:
    return json.dumps({"source": "fb", "id": f"{tag}-{n}", "posted_at": "2026-08-02T10:00:00+07:00",
                       "text": "latihan voli sore ini"})


@pytest.mark.parametrize(("bad", "message"), [
    ("{not json", "Gagal: baris 3: bukan JSON yang sah"),
    ("[1, 2]", "Gagal: baris 3: harus berupa objek JSON {...}"),
    ('{"source": "fb", "id": "x", "posted_at": "2026-08-02T10:00:00+07:00", "text": "  "}',
     "Gagal: baris 3: text: tidak boleh kosong"),
])
def test_a_bad_jsonl_line_fails_the_whole_import(tmp_path: Path, bad: str, message: str) -> None:
    tag = uuid.uuid4().hex[:8]
    path = tmp_path / "posts.jsonl"
    path.write_text(f"{_line(tag, 1)}\n\n{bad}\n{_line(tag, 2)}\n", encoding="utf-8")
    result = CliRunner().invoke(intel_cli(), ["mediaintel", "import", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output
    assert "Traceback" not in result.output
    assert _count(tag) == 0


def test_a_latin1_csv_names_the_line_and_stores_nothing(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8]
    path = tmp_path / "posts.csv"
    path.write_bytes(
        b"source,external_id,posted_at,text\n"
        + f"fb,{tag}-1,2026-08-02T10:00:00+07:00,latihan\n".encode()
        + f"fb,{tag}-2,2026-08-02T10:00:00+07:00,caf\xe9 dekat alun-alun\n".encode("latin-1"))
    result = CliRunner().invoke(intel_cli(), ["mediaintel", "import", str(path)])
    assert result.exit_code == 2
    assert "Gagal: baris 3: bukan teks UTF-8; simpan berkas sebagai UTF-8" in result.output
    assert _count(tag) == 0


def test_a_csv_with_a_byte_order_mark_imports(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8]
    path = tmp_path / "posts.csv"
    path.write_text("external_id,source,posted_at,text\n"
                    f"{tag}-1,fb,2026-08-02T10:00:00+07:00,latihan voli\n", encoding="utf-8-sig")
    result = CliRunner().invoke(intel_cli(), ["mediaintel", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == 1
    assert _count(tag) == 1


def test_a_bad_csv_row_names_its_line_in_the_file(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8]
    path = tmp_path / "posts.csv"
    path.write_text("source,external_id,posted_at,text\n"
                    f"fb,{tag}-1,2026-08-02T10:00:00+07:00,latihan\n"
                    f"fb,{tag}-2,2026-08-02T10:00:00,latihan\n", encoding="utf-8")
    result: Any = CliRunner().invoke(intel_cli(), ["mediaintel", "import", str(path)])
    assert result.exit_code == 2
    assert ("Gagal: baris 3: posted_at: waktu harus menyertakan zona waktu "
            "(mis. 2026-11-22T14:00:00+07:00)") in result.output
    assert _count(tag) == 0


def test_a_post_stored_meanwhile_by_another_writer_loses_no_earlier_chunk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The import writes 500 posts per chunk; a conflict in the second chunk must not take the
    first one back while the report still counts it as created."""
    from siaga.db import get_database, utcnow
    from siaga.intel import posts as post_service
    from siaga.intel.models import MediaPost

    tag = uuid.uuid4().hex[:8]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(_line(tag, n) for n in range(600)) + "\n", encoding="utf-8")
    real_analyse = post_service.analyse_many
    calls = {"n": 0}

    def analyse_while_another_writer_stores_one(texts: list[str], **kw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # second chunk: after its duplicate check, before its insert
            with get_database().session() as other:
                other.add(MediaPost(source="fb", external_id=f"{tag}-550", text="lebih dulu",
                                    posted_at=utcnow(), analysis={}, risk=0.0))
        return real_analyse(texts, **kw)

    monkeypatch.setattr(post_service, "analyse_many", analyse_while_another_writer_stores_one)
    result = CliRunner().invoke(intel_cli(), ["mediaintel", "import", str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["created"] == 599 and report["duplicates"] == 1
    assert _count(tag) == 600
