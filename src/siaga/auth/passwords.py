"""What counts as a password good enough for a police command center's staff account."""

from __future__ import annotations

from zxcvbn import zxcvbn

from siaga.errors import Invalid

MIN_LENGTH = 10
# zxcvbn's scale: 3 = "safely unguessable" against an online attack with throttling.
MIN_SCORE = 3
MAX_CHECKED_LENGTH = 128  # zxcvbn's cost grows with length; beyond this the length suffices


def check_password(password: str, *, username: str) -> None:
    """Refuse short, common or guessable passwords, saying why in Indonesian."""
    if len(password) < MIN_LENGTH:
        raise Invalid(f"Kata sandi minimal {MIN_LENGTH} karakter", field="password")
    if password.lower() == username.lower():
        raise Invalid("Kata sandi tidak boleh sama dengan nama pengguna", field="password")
    if len(password) > MAX_CHECKED_LENGTH:
        return
    if zxcvbn(password, user_inputs=[username])["score"] < MIN_SCORE:
        raise Invalid("Kata sandi terlalu mudah ditebak (kata umum, pola atau pengulangan); "
                      "pakai beberapa kata acak dengan angka atau tanda baca",
                      field="password")
