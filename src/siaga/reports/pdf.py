"""The official report page: letterhead, title, period, page numbers, WIB stamp, signature.

Text is set in DejaVu Sans (full Unicode, shipped by the npm package dejavu-fonts-ttf), so
names such as "Nguyễn" or "Şükrü" print as written. Table cells never spill into the next
column: text that does not fit is wrapped onto more lines of the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fpdf import FPDF
from sqlalchemy.orm import Session

from siaga.config import REPO_ROOT
from siaga.errors import Unavailable
from siaga.orgs.models import Organisation
from siaga.reports.fmt import date_time_wib, long_date
from siaga.reports.service import signature_for

FONT_DIR = REPO_ROOT / "node_modules" / "dejavu-fonts-ttf" / "ttf"
FONT = "DejaVu"
TEXT_PT = 9
SMALL_PT = 8  # the smallest size anything is printed in (chart labels included)
BLUE = (11, 61, 145)
GREY_TEXT = (90, 90, 90)
Align = Literal["L", "R", "C"]
LEVEL_WORDS = {"polda": "DAERAH", "polres": "RESOR", "polsek": "SEKTOR"}
PREFIXES = ("polda ", "polres ", "polsek ", "polresta ", "polrestabes ")


def font_files() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold; a clear error when the npm package is not installed."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not regular.is_file() or not bold.is_file():
        raise Unavailable(f"Font laporan DejaVu tidak ditemukan di {FONT_DIR}; pasang paket npm "
                          "dejavu-fonts-ttf (jalankan `make node` atau `npm ci`)")
    return regular, bold


@dataclass(frozen=True)
class Signer:
    place: str
    position: str
    name: str
    rank: str
    nrp: str


@dataclass(frozen=True)
class Heading:
    """Everything above and below a report's content."""

    letterhead: list[str]
    title: str
    period: str
    generated_at: datetime
    signer: Signer | None


def _bare(name: str) -> str:
    lower = name.lower()
    for prefix in PREFIXES:
        if lower.startswith(prefix):
            return name[len(prefix):]
    return name


def letterhead_lines(session: Session, org: Organisation | None) -> list[str]:
    """KEPOLISIAN NEGARA REPUBLIK INDONESIA / DAERAH <Polda> / RESOR <Polres> [/ SEKTOR ...]."""
    chain: list[Organisation] = []
    node = org
    while node is not None:
        chain.append(node)
        node = session.get(Organisation, node.parent_id) if node.parent_id else None
    lines = ["KEPOLISIAN NEGARA REPUBLIK INDONESIA"]
    for item in reversed(chain):
        word = LEVEL_WORDS.get(item.level)
        lines.append(f"{word} {_bare(item.name)}".upper() if word else item.name.upper())
    return lines


def document_info(session: Session, *, org: Organisation | None) -> dict[str, Any]:
    """Letterhead lines and the signer configured for the organisation's Polres (or None)."""
    row = signature_for(session, org=org) if org is not None else None
    signer = None if row is None else {"place": row.place, "position": row.position,
                                       "name": row.name, "rank": row.rank, "nrp": row.nrp}
    return {"letterhead": letterhead_lines(session, org), "signer": signer}


def heading_from(info: dict[str, Any], *, title: str, period: str,
                 generated_at: str | datetime) -> Heading:
    """A report's heading from its `document` section (see document_info)."""
    at = datetime.fromisoformat(generated_at) if isinstance(generated_at, str) else generated_at
    signer = info.get("signer")
    return Heading(list(info["letterhead"]), title, period, at,
                   Signer(**signer) if signer else None)


class OfficialPdf(FPDF):
    """An A4 report with the letterhead on its first page and a footer on every page."""

    def __init__(self, heading: Heading, *, orientation: Literal["P", "L"] = "P") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        regular, bold = font_files()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.heading = heading
        self.set_margins(15, 12, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()
        self.add_page()
        self._letterhead()

    # --- frame ---------------------------------------------------------------------------

    def _letterhead(self) -> None:
        h = self.heading
        self.set_font(FONT, "B", 10)
        width = max(self.get_string_width(line) for line in h.letterhead) + 4
        for line in h.letterhead:
            self.cell(width, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        y = self.get_y() + 0.5
        self.set_line_width(0.4)
        self.line(self.l_margin, y, self.l_margin + width, y)
        self.set_line_width(0.2)
        self.ln(6)
        self.set_font(FONT, "B", 14)
        self.multi_cell(0, 7, h.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 5.5, f"Periode: {h.period}", align="C", new_x="LMARGIN",
                        new_y="NEXT")
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", SMALL_PT)
        self.set_text_color(*GREY_TEXT)
        half = (self.w - self.l_margin - self.r_margin) / 2
        self.cell(half, 5, f"Dibuat oleh Siaga, {date_time_wib(self.heading.generated_at)}")
        self.cell(half, 5, f"Halaman {self.page_no()} dari {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # --- content -------------------------------------------------------------------------

    @property
    def content_width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    def section(self, text: str) -> None:
        if self.get_y() > self.h - 45:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 11)
        self.set_text_color(*BLUE)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, "", TEXT_PT)

    def paragraph(self, text: str, *, size: float = TEXT_PT) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, 4.6, text, new_x="LMARGIN", new_y="NEXT")

    def _lines(self, text: str, width: float) -> list[str]:
        lines: list[str] = self.multi_cell(width, 4.2, text, dry_run=True,
                                           output="LINES")  # type: ignore[assignment]
        return lines or [""]

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[Any]],
              widths: Sequence[float], *, aligns: Sequence[Align] | None = None,
              dots: dict[int, Sequence[tuple[int, int, int]]] | None = None,
              size: float = SMALL_PT + 0.5) -> None:
        """A table whose cells wrap instead of overflowing; `dots`: column -> colour per row."""
        aligns = aligns or ["L"] * len(widths)
        line_h, pad = 4.2, 1.2

        def draw(cells: Sequence[Any], bold: bool, colours: Sequence[Any] | None) -> None:
            self.set_font(FONT, "B" if bold else "", size)
            texts = ["" if c is None else str(c) for c in cells]
            inner = [w - 2 * pad - (4.2 if colours and colours[i] else 0)
                     for i, w in enumerate(widths)]
            wrapped = [self._lines(t, max(inner[i], 4)) for i, t in enumerate(texts)]
            height = max(len(w) for w in wrapped) * line_h + 1.6
            if self.get_y() + height > self.h - self.b_margin:
                self.add_page()
                if not bold:
                    draw(header, True, None)
                    self.set_font(FONT, "", size)
            x0, y0 = self.l_margin, self.get_y()
            x = x0
            for i, width in enumerate(widths):
                colour = colours[i] if colours else None
                text_x = x + pad
                if colour:
                    self.set_fill_color(*colour)
                    self.ellipse(x + pad, y0 + 1.6, 2.8, 2.8, style="F")
                    text_x += 4.2
                for n, line in enumerate(wrapped[i]):
                    self.set_xy(text_x, y0 + 0.8 + n * line_h)
                    self.cell(inner[i], line_h, line, align=aligns[i])
                x += width
            self.set_draw_color(190, 195, 205)
            self.line(x0, y0 + height, x0 + sum(widths), y0 + height)
            self.set_draw_color(0, 0, 0)
            self.set_xy(x0, y0 + height)

        draw(header, True, None)
        for n, row in enumerate(rows):
            draw(row, False, [dots[i][n] if dots and i in dots else None
                              for i in range(len(widths))])
        self.ln(1)

    def bars(self, items: Sequence[tuple[str, float, str]], *, colour: tuple[int, int, int] = BLUE,
             label_w: float = 60.0, colours: Sequence[tuple[int, int, int]] | None = None
             ) -> None:
        """Horizontal bars: label, bar scaled to the largest value, the value as text."""
        top = max((v for _, v, _ in items), default=0) or 1
        bar_w = self.content_width - label_w - 24
        self.set_font(FONT, "", SMALL_PT + 1)
        for n, (label, value, text) in enumerate(items):
            if self.get_y() > self.h - self.b_margin - 6:
                self.add_page()
            y = self.get_y()
            self.set_xy(self.l_margin, y)
            self.cell(label_w, 5.5, self._fit(label, label_w - 1))
            self.set_fill_color(225, 228, 235)
            self.rect(self.l_margin + label_w, y + 1, bar_w, 3.5, style="F")
            if value:
                self.set_fill_color(*(colours[n] if colours else colour))
                self.rect(self.l_margin + label_w, y + 1, bar_w * value / top, 3.5, style="F")
            self.set_xy(self.l_margin + label_w + bar_w + 2, y)
            self.cell(22, 5.5, text, new_x="LMARGIN", new_y="NEXT")

    def _fit(self, text: str, width: float) -> str:
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def signature(self) -> None:
        """Place and date, position, room to sign, name, rank and NRP (right-hand column)."""
        signer = self.heading.signer
        if self.get_y() > self.h - self.b_margin - 48:
            self.add_page()
        self.ln(6)
        col_w = 95.0
        x = self.w - self.r_margin - col_w
        day = long_date(self.heading.generated_at)
        self.set_font(FONT, "", 10)
        if signer is None:
            lines = [f"........................, {day}", "........................"]
        else:
            lines = [f"{signer.place}, {day}", signer.position.upper()]
        for line in lines:
            self.set_x(x)
            self.multi_cell(col_w, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(18)
        self.set_x(x)
        self.set_font(FONT, "B", 10)
        name = signer.name if signer else "(........................................)"
        self.multi_cell(col_w, 5, name, align="C", new_x="LMARGIN", new_y="NEXT")
        if signer is not None:
            y = self.get_y()
            name_w = min(col_w, self.get_string_width(name))
            self.line(x + (col_w - name_w) / 2, y, x + (col_w + name_w) / 2, y)
        self.set_font(FONT, "", 10)
        self.set_x(x)
        rank_line = (f"{signer.rank} NRP {signer.nrp}" if signer
                     else "Pangkat NRP ........................")
        self.multi_cell(col_w, 5, rank_line, align="C", new_x="LMARGIN", new_y="NEXT")
        if signer is None:
            self.set_x(x)
            self.set_font(FONT, "", SMALL_PT)
            self.set_text_color(*GREY_TEXT)
            self.multi_cell(col_w, 4, "Penanda tangan belum diatur (Admin > Tanda tangan "
                                      "laporan).", align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)

    def finish(self) -> bytes:
        """The signature block, then the document's bytes."""
        self.signature()
        return bytes(self.output())
