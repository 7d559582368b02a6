"""`siaga mediaintel import|classify|train|train-abuse|connector|plan-patrols|check-patrols` and
`siaga eval brawl`."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from siaga.intel.entities import Gazetteer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["mediaintel"].command("import")(import_posts)
    groups["mediaintel"].command("classify")(classify)
    groups["mediaintel"].command("train")(train)
    groups["mediaintel"].command("train-abuse")(train_abuse)
    groups["mediaintel"].command("connector")(add_connector)
    groups["mediaintel"].command("plan-patrols")(plan_patrols)
    groups["mediaintel"].command("check-patrols")(check_patrols)
    groups["eval"].command("brawl")(eval_brawl)


def _fail(message: str) -> None:
    typer.echo(f"Gagal: {message}", err=True)
    raise typer.Exit(2)


def import_posts(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV atau JSONL"),
    source: str = typer.Option("import", help="Sumber bawaan bila baris tidak menyebutnya"),
    org: str = typer.Option(None, help="Kode satuan pemilik unggahan, mis. polres-tegal"),
    keep_handles: bool = typer.Option(False, "--keep-handles",
                                      help="Simpan juga nama akun asli (bawaan: hanya hash)"),
) -> None:
    """Import posts from a file; posts already stored (same source and id) are skipped."""
    from siaga.db import get_database
    from siaga.errors import DomainError
    from siaga.intel.posts import ingest_posts, read_posts_file
    from siaga.orgs.service import org_by_code

    try:
        posts = list(read_posts_file(file, default_source=source))
        created = duplicates = 0
        warnings: set[int] = set()
        with get_database().session() as session:
            org_path = org_by_code(session, code=org).path if org else "/"
            for start in range(0, len(posts), 500):
                result = ingest_posts(session, posts=posts[start:start + 500], org_path=org_path,
                                      actor=None, keep_handles=keep_handles)
                # Each chunk is committed before it is counted: when a chunk meets a post another
                # writer stored meanwhile, ingest_posts rolls back and retries only that chunk.
                session.commit()
                created += result.created
                duplicates += result.duplicates
                warnings.update(result.warning_ids)
    except DomainError as exc:
        _fail(exc.message)
    typer.echo(json.dumps({"read": len(posts), "created": created, "duplicates": duplicates,
                           "warnings": sorted(warnings)}))


def _gazetteer() -> Gazetteer:
    """The registered schools and regions; the built-in Tegal list when no database is set up."""
    from siaga.intel.entities import builtin_gazetteer, gazetteer_from_session

    try:
        from siaga.db import get_database

        with get_database().session() as session:
            gazetteer = gazetteer_from_session(session)
        if gazetteer.schools and gazetteer.places:
            return gazetteer
    except Exception:  # no database yet: classification still works on the built-in lists
        pass
    return builtin_gazetteer()


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def classify(
    input_path: Path = typer.Option(..., "--in", exists=True, dir_okay=False,
                                    help="JSONL: {\"id\", \"text\"} per baris"),
    output_path: Path = typer.Option(..., "--out", dir_okay=False, help="JSONL keluaran"),
) -> None:
    """Score posts for brawl risk; one output line per input line, in the same order."""
    from siaga.db import utcnow
    from siaga.intel.analysis import analyse_many
    from siaga.intel.brawl_model import current_model

    gazetteer = _gazetteer()
    model = current_model()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    with input_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                _fail(f"baris {number} bukan JSON")
            if not isinstance(row, dict):
                _fail(f"baris {number} bukan objek JSON")
            rows.append(row)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    with output_path.open("w", encoding="utf-8") as out:
        for start in range(0, len(rows), 2000):
            chunk = rows[start:start + 2000]
            texts = [str(r.get("text") or "") for r in chunk]
            times = [_parse_time(r.get("posted_at") or r.get("time")) or now for r in chunk]
            for row, result in zip(chunk, analyse_many(texts, posted_at=times,
                                                       gazetteer=gazetteer, model=model),
                                   strict=True):
                line_out = {"id": row.get("id"), **result.as_dict()}
                out.write(json.dumps(line_out, ensure_ascii=False) + "\n")
    typer.echo(json.dumps({"classified": len(rows), "out": str(output_path)}), err=True)


def train(out: Path = typer.Option(None, help="Berkas model (bawaan: SIAGA_DATA_DIR/models)")
          ) -> None:
    """Retrain the brawl model on the corpus plus the analysts' verdicts, and save it."""
    from siaga.db import get_database
    from siaga.intel import brawl_model
    from siaga.intel.warnings import labelled_posts

    with get_database().session() as session:
        extra = labelled_posts(session)
    model = brawl_model.train(extra=extra)
    path = out or brawl_model.model_path()
    model.save(path)
    brawl_model.forget_model()
    typer.echo(json.dumps({"corpus": len(brawl_model.read_corpora(brawl_model.TRAIN_FILES)[0]),
                           "analyst_labels": len(extra),
                           "analyst_positive": sum(lb for _, lb in extra),
                           "path": str(path)}))


def train_abuse(
    data: Path = typer.Option(..., exists=True, dir_okay=False,
                              help="CSV berlabel, mis. kolom Tweet, Abusive, HS"),
    label: str = typer.Option("Abusive", help="Kolom label 0/1 yang dipelajari"),
    text_column: str = typer.Option("Tweet", help="Kolom teks"),
    out: Path = typer.Option(None, dir_okay=False,
                             help="Berkas model (bawaan: SIAGA_DATA_DIR/models/abuse_model.pkl)"),
    limit: int = typer.Option(None, min=10, help="Hanya N baris pertama (uji cepat)"),
) -> None:
    """Train the abuse / hate-speech model on a labelled CSV and save it for default_scorer."""
    from siaga.mediaintel.training import train_from_csv

    try:
        report = train_from_csv(data_csv=data, label=label, text_column=text_column, out=out,
                                limit=limit)
    except ValueError as exc:
        _fail(str(exc))
    typer.echo(json.dumps(report.as_dict()))


def add_connector(name: str = typer.Argument(...),
                  org: str = typer.Option(None, help="Kode satuan, mis. polres-tegal")) -> None:
    """Create a connector token for the webhook (printed once)."""
    from siaga.db import get_database
    from siaga.errors import DomainError
    from siaga.intel.posts import create_connector
    from siaga.orgs.service import org_by_code

    try:
        with get_database().session() as session:
            organisation = org_by_code(session, code=org) if org else None
            _, token = create_connector(session, name=name, org=organisation, actor=None)
    except DomainError as exc:
        _fail(exc.message)
    typer.echo(token)


def plan_patrols(
    day: str = typer.Option(None, "--date", help="Tanggal (YYYY-MM-DD, WIB); bawaan hari ini"),
    min_risk: float = typer.Option(0.5, help="Skor risiko sekolah minimum"),
) -> None:
    """Plan dismissal-time patrols for high-risk schools."""
    from siaga.db import get_database
    from siaga.schools.patrols import plan_dismissal_patrols

    try:
        target = date.fromisoformat(day) if day else None
    except ValueError:
        _fail(f"tanggal tidak valid: {day} (format YYYY-MM-DD)")
        return
    with get_database().session() as session:
        patrols = plan_dismissal_patrols(session, day=target, min_risk=min_risk, actor=None)
        typer.echo(json.dumps({"planned": len(patrols)}))


def check_patrols() -> None:
    """Check finished patrols against unit GPS tracks (a unit within 200 m in the window)."""
    from siaga.db import get_database
    from siaga.schools.patrols import check_due_patrols

    with get_database().session() as session:
        checked = check_due_patrols(session)
        typer.echo(json.dumps({"checked": len(checked),
                               "covered": sum(1 for p in checked if p.status == "covered"),
                               "missed": sum(1 for p in checked if p.status == "missed")}))


def eval_brawl(
    train_csv: Path = typer.Option(None, "--train", exists=True, dir_okay=False),
    test_csv: Path = typer.Option(None, "--test", exists=True, dir_okay=False),
    heldout: Path = typer.Option(None, "--heldout", exists=True, dir_okay=False,
                                 help="Berkas uji dengan kolom expected_time (mis. Ngapak)"),
) -> None:
    """Train the brawl model and score the held-out corpus; prints one JSON object."""
    from siaga.intel import brawl_model

    if heldout is not None:
        from siaga.intel.heldout_eval import evaluate_heldout

        sys.stdout.write(json.dumps(evaluate_heldout(heldout), ensure_ascii=False) + "\n")
        return
    result = brawl_model.evaluate(train_csv=train_csv or brawl_model.TRAIN_FILES,
                                  test_csv=test_csv or brawl_model.HELDOUT_CSV)
    sys.stdout.write(json.dumps(result) + "\n")
