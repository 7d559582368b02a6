"""Data dictionaries of the CSV exports (`?kamus=1`): each column and what it means."""

from __future__ import annotations

import io

from fastapi import Response

from siaga.csvsafe import SafeCsvWriter


def kamus_csv(columns: dict[str, str]) -> str:
    """`kolom,arti` rows, one per column of an export, in the export's column order."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(["kolom", "arti"])
    for name, meaning in columns.items():
        writer.writerow([name, meaning])
    return out.getvalue()


def csv_response(body: str, filename: str) -> Response:
    """A CSV download, UTF-8."""
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'})
