"""Reading PDFs back the way a reader sees them: poppler's pdftotext and pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path


def need_poppler() -> None:
    missing = [t for t in ("pdftotext", "pdftoppm") if shutil.which(t) is None]
    assert not missing, f"install Debian's poppler-utils (make chromium does): {missing}"


def text_of(pdf: Path) -> str:
    need_poppler()
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, timeout=60)
    return done.stdout.decode("utf-8")


def pages_as_png(pdf: Path, prefix: Path, dpi: int = 80) -> list[Path]:
    need_poppler()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True,
                   timeout=120)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")
PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def overlapping_words(pdf: Path) -> list[tuple[int, str, str]]:
    """Pairs of words on one page whose boxes overlap (text printed over other text)."""
    need_poppler()
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          check=True, timeout=60)
    found = []
    for page_no, page in enumerate(PAGE.findall(done.stdout.decode("utf-8")), start=1):
        words = [(float(a), float(b), float(c), float(d), unescape(w))
                 for a, b, c, d, w in WORD.findall(page)]
        for i, (x0, y0, x1, y1, w) in enumerate(words):
            for u0, v0, u1, v1, other in words[i + 1:]:
                # Boxes touch at glyph edges; only a real overlap (> 0.5 pt both ways) counts.
                if min(x1, u1) - max(x0, u0) > 0.5 and min(y1, v1) - max(y0, v0) > 0.5:
                    found.append((page_no, w, other))
    return found
