"""Pydantic's English validation messages, said in Bahasa Indonesia for the people reading them.

Every 422 the API answers goes through `indonesian_message`; intel also uses
`indonesian_errors` for the posts it validates itself and for file imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticKnownError

GENERIC = "nilai tidak sah"
TIME_FORMAT = "bukan waktu yang sah; pakai ISO 8601 dengan zona, mis. 2026-11-22T14:00:00+07:00"
DATE_FORMAT = "bukan tanggal yang sah; pakai format YYYY-MM-DD, mis. 2026-11-22"

_SIMPLE = {
    "missing": "wajib diisi",
    "string_type": "harus berupa teks",
    "string_unicode": "harus berupa teks",
    "string_not_ascii": "hanya boleh berisi huruf dan angka biasa (ASCII)",
    "string_pattern_mismatch": "format tidak sesuai",
    "bool_type": "harus berupa true atau false",
    "bool_parsing": "harus berupa true atau false",
    "list_type": "harus berupa daftar",
    "tuple_type": "harus berupa daftar",
    "set_type": "harus berupa daftar",
    "frozen_set_type": "harus berupa daftar",
    "iterable_type": "harus berupa daftar",
    "model_type": "harus berupa objek JSON",
    "model_attributes_type": "harus berupa objek JSON",
    "dataclass_type": "harus berupa objek JSON",
    "dict_type": "harus berupa objek JSON",
    "mapping_type": "harus berupa objek JSON",
    "json_invalid": "bukan JSON yang sah",
    "json_type": "harus berupa teks JSON",
    "extra_forbidden": "kolom ini tidak dikenal",
    "none_required": "harus dikosongkan (null)",
    "finite_number": "harus berupa angka terhingga",
    "uuid_parsing": "harus berupa UUID yang sah",
    "uuid_type": "harus berupa UUID yang sah",
    "uuid_version": "versi UUID tidak sesuai",
    "url_parsing": "bukan alamat URL yang sah",
    "url_type": "bukan alamat URL yang sah",
    "url_syntax_violation": "bukan alamat URL yang sah",
    "url_scheme": "skema alamat URL tidak diizinkan",
    "url_too_long": "alamat URL terlalu panjang",
    "decimal_type": "harus berupa angka",
    "decimal_parsing": "harus berupa angka",
    "bytes_type": "harus berupa teks",
    "timezone_aware": "waktu harus menyertakan zona waktu (mis. 2026-11-22T14:00:00+07:00)",
    "timezone_naive": "waktu tidak boleh menyertakan zona waktu",
    "date_future": "tanggal harus di masa depan",
    "date_past": "tanggal harus di masa lalu",
    "datetime_future": "waktu harus di masa depan",
    "datetime_past": "waktu harus di masa lalu",
    "time_type": "bukan jam yang sah; pakai format JJ:MM, mis. 14:00",
    "time_parsing": "bukan jam yang sah; pakai format JJ:MM, mis. 14:00",
    "time_delta_type": "bukan durasi yang sah",
    "time_delta_parsing": "bukan durasi yang sah",
    "enum": "nilainya tidak dikenal",
    "literal_error": "nilainya tidak dikenal",
    "union_tag_invalid": "jenisnya tidak dikenal",
    "union_tag_not_found": "jenisnya wajib diisi",
}

_BOUNDS = {
    "greater_than": "harus lebih dari {}",
    "greater_than_equal": "minimal {}",
    "less_than": "harus kurang dari {}",
    "less_than_equal": "maksimal {}",
    "multiple_of": "harus kelipatan {}",
}
_BOUND_KEYS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt",
               "less_than_equal": "le", "multiple_of": "multiple_of"}


def _choices(expected: Any) -> str:
    """Pydantic's "'a', 'b' or 'c'" in Indonesian: "'a', 'b' atau 'c'"."""
    text = str(expected)
    head, sep, tail = text.rpartition(" or ")
    return f"{head} atau {tail}" if sep else text


def _bound(value: Any) -> str:
    """90.0 as 90, as people write it; other values as they are."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _translate(kind: str, ctx: Mapping[str, Any]) -> str:
    if kind in ("value_error", "assertion_error"):
        if "error" in ctx:
            return str(ctx["error"])
        return GENERIC
    if kind in ("string_too_short", "too_short"):
        least = ctx.get("min_length", 1)
        if least == 1:
            return "tidak boleh kosong"
        unit = "karakter" if kind == "string_too_short" else "isian"
        return f"minimal {least} {unit}"
    if kind == "string_too_long":
        return f"terlalu panjang (maksimal {ctx.get('max_length')} karakter)"
    if kind == "too_long":
        return f"terlalu banyak (maksimal {ctx.get('max_length')})"
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return f"harus salah satu dari: {_choices(ctx['expected'])}"
    if kind in _BOUNDS and _BOUND_KEYS[kind] in ctx:
        return _BOUNDS[kind].format(_bound(ctx[_BOUND_KEYS[kind]]))
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind.startswith("datetime"):
        return TIME_FORMAT
    if kind.startswith("date"):
        return DATE_FORMAT
    if kind.startswith(("int", "float")):
        return "harus berupa angka"
    if kind.startswith("url"):
        return "bukan alamat URL yang sah"
    return GENERIC


def translate(error: Mapping[str, Any]) -> str:
    """The Indonesian message for one pydantic error (unknown kinds: "nilai tidak sah")."""
    ctx = error.get("ctx") or {}
    return _translate(str(error.get("type", "")), ctx if isinstance(ctx, Mapping) else {})


# FastAPI's own English for a body that is not JSON at all.
_FRAMEWORK_ENGLISH = frozenset({"JSON decode error"})


def _pydantic_wrote(error: Mapping[str, Any]) -> bool:
    """Whether the message is pydantic's (or FastAPI's) English, not one the code already wrote."""
    msg = error.get("msg")
    if not isinstance(msg, str) or msg in _FRAMEWORK_ENGLISH:
        return True
    try:
        kind: Any = str(error.get("type"))  # any string; unknown kinds raise KeyError
        english = PydanticKnownError(kind, error.get("ctx")).message()
    except (KeyError, TypeError, ValueError):
        # A custom kind, or a hand-made error without pydantic's context: its own words.
        return False
    return bool(msg == english)


def indonesian_message(error: Mapping[str, Any]) -> str:
    """The message a 422 shows for one error: pydantic's English translated, others kept."""
    if _pydantic_wrote(error):
        return translate(error)
    return str(error["msg"])


def indonesian_errors(errors: Sequence[Any], *, prefix: tuple[str | int, ...] = ()
                      ) -> list[dict[str, Any]]:
    """Validation errors with Indonesian messages, in the shape FastAPI's handler reads."""
    out = []
    for error in errors:
        out.append({"type": error.get("type"), "loc": (*prefix, *error.get("loc", ())),
                    "msg": translate(error), "input": error.get("input")})
    return out


def _not_a_boolean(value: Any) -> Any:
    # JSON true/false would otherwise pass as 1.0/0.0 and put the position somewhere else.
    if isinstance(value, bool):
        raise ValueError("koordinat harus berupa angka, bukan true/false")
    return value


# The one position type of every endpoint that takes one: a finite number in range, never a
# boolean. Optional positions are `Latitude | None = None`.
Latitude = Annotated[float, BeforeValidator(_not_a_boolean),
                     Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, BeforeValidator(_not_a_boolean),
                      Field(ge=-180, le=180, allow_inf_nan=False)]


# Starlette's own answers (an unknown address, a method the route lacks) carry the English
# reason phrase; said in Bahasa Indonesia like every other error.
_HTTP_REASONS = {
    400: "Permintaan tidak sah",
    401: "Perlu masuk terlebih dahulu",
    403: "Tidak diizinkan",
    404: "Alamat tidak ditemukan",
    405: "Metode ini tidak tersedia untuk alamat ini",
    406: "Format jawaban yang diminta tidak tersedia",
    413: "Isi permintaan terlalu besar",
    415: "Jenis isi permintaan tidak didukung",
    429: "Terlalu banyak permintaan; coba lagi sebentar lagi",
}


def http_detail(status_code: int, detail: Any) -> Any:
    """The detail of an HTTP error, in Bahasa Indonesia where Starlette wrote its English phrase."""
    try:
        phrase = HTTPStatus(status_code).phrase
    except ValueError:
        return detail
    if detail == phrase:
        return _HTTP_REASONS.get(status_code, detail)
    return detail
