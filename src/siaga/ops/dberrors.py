"""Input the database cannot hold is the caller's mistake (422), not a server failure (500)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from siaga.jsonlimits import NUL_MESSAGE

log = logging.getLogger(__name__)
OUT_OF_RANGE = "Nilai di luar batas yang dapat disimpan (angka terlalu besar atau teks terlalu " \
               "panjang)"


def install_handlers(app: FastAPI) -> None:
    """Answer out-of-range values with 422 on every backend.

    PostgreSQL refuses an id above 2**31-1 in `WHERE id = ...` (the psycopg dialect casts bound
    parameters to the column type) and text longer than a VARCHAR; SQLite's driver refuses
    integers above 2**63-1 before the query runs. Path and query integers are unbounded in
    the published schema, so both reach the database from ordinary requests.
    """

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError) -> JSONResponse:
        log.warning("refused out-of-range value on %s: %s", request.url.path, exc.orig)
        if "NUL" in str(exc.orig):  # psycopg: text fields cannot contain NUL (0x00) bytes
            return JSONResponse({"detail": NUL_MESSAGE}, status_code=422)
        return JSONResponse({"detail": OUT_OF_RANGE}, status_code=422)

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> JSONResponse:
        log.warning("refused out-of-range value on %s: %s", request.url.path, exc)
        return JSONResponse({"detail": OUT_OF_RANGE}, status_code=422)
