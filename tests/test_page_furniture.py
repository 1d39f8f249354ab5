"""Page furniture is no table's cell (round 14's generator Ethiopia 97): a running footer's figures
(``PAGE 1 OF 3``) stood beside a narrative heading at the foot of the table's page that reads like a
summary's label (``CRIMINALITY``), and were taken as that summary's score and change. A line in the
page's top or bottom band that every page (but at most one) repeats at its height, with the same
words but for its figures, is a page's furniture: its numbers are no score.

The PDFs are drawn here (tests/pdf_tables.py); every expected value is written by hand there or
below, never produced by octa.
"""

from __future__ import annotations

from pathlib import Path

from octa.pipeline import extract
from tests.pdf_tables import HEIGHT, ROWS, SUMMARY, draw, head, narrative, table

PROSE = ["Organised crime in the country is shaped by its position on trade routes and by",
         "weak institutions in the border regions, where armed groups and smugglers operate."]


def _tables(rows: list, x: float = 40, top: float = 240) -> list:
    items: list = []
    for heading, key, part in (("CRIMINAL MARKETS", "criminal_markets", rows[:-17]),
                               ("CRIMINAL ACTORS", "criminal_actors", rows[-17:-12]),
                               ("RESILIENCE", "resilience", rows[-12:])):
        items += [(x, top, heading, 10), (x + 190, top, SUMMARY[key], 10)]
        items += table(x, top + 14, part)
        top += 14 + 13 * len(part) + 6
    return items


def _footer(n: int, total: int, text: str = "PAGE {n} OF {total}") -> list:
    return [(42, HEIGHT - 28, "© ENACT 2025", 7), (530.5, HEIGHT - 28, text.format(n=n, total=total), 7)]


def _pages(rows: list, footer: str = "PAGE {n} OF {total}", total: int = 3, top: float = 240) -> list:
    """A table page whose headline summaries are stacked (caption over score), the narrative's first
    heading ``CRIMINALITY`` at its foot beside the running footer, then narrative pages."""
    first = head() + [(40, 100, "CRIMINALITY SCORE", 10), (40, 122, "5.37 (0.10)", 22),
                      (320, 100, "RESILIENCE SCORE", 10), (320, 122, "3.25 (0.25)", 22)]
    first += _tables(rows, top=top) + [(315, HEIGHT - 36.4, "CRIMINALITY", 13)] + _footer(1, total, footer)
    return [first] + [narrative(40, 80, PROSE * 10) + _footer(n, total, footer) for n in range(2, total + 1)]


def test_footer_figures_are_no_summary(tmp_path: Path) -> None:
    # one market row left out: the pillar is not whole, so no average can point at the right number
    # and only where the numbers stand decides
    rows = ROWS[:14] + ROWS[15:]
    p = extract(draw(tmp_path / "footer.pdf", _pages(rows)))
    crim = next(s for s in p.summary_scores if s.metric == "criminality")
    assert crim.score == float(SUMMARY["criminality"]), f"criminality read {crim.score} from {crim.bbox}"
    assert crim.bbox is not None and crim.bbox[1] < 200  # the headline's, not the footer's
    for read in [*p.summary_scores, *p.indicators]:
        assert read.bbox is None or read.bbox[1] < HEIGHT * 0.9, f"{read} stands in the footer"


def test_footer_with_page_number_of_other_wording(tmp_path: Path) -> None:
    # another wording, a page number of two digits on the last page: the same furniture
    rows = ROWS[:14] + ROWS[15:]
    pages = _pages(rows, footer="Page {n} / {total}", total=10)
    p = extract(draw(tmp_path / "footer10.pdf", pages))
    crim = next(s for s in p.summary_scores if s.metric == "criminality")
    assert crim.score == float(SUMMARY["criminality"])


def test_table_rows_in_the_bottom_band_are_read(tmp_path: Path) -> None:
    # the table runs down into the page's bottom band, beside the footer: its rows there are no
    # furniture (no other page repeats them) and are read; the footer's figures are not
    pages = _pages(ROWS, top=330)
    low = [it for it in pages[0] if it[1] > HEIGHT * 0.9 and it[3] == 8]
    assert len(low) >= 6  # (the drawing: two rows or more stand in the band)
    p = extract(draw(tmp_path / "low_rows.pdf", pages))
    for _label, key, score, change in ROWS:
        ind = p.indicator(key)
        assert ind is not None and ind.score == float(score), f"{key}: {ind}"
        assert ind.change == (None if change == "n/a" else float(change)), f"{key}: {ind}"
    crim = next(s for s in p.summary_scores if s.metric == "criminality")
    assert crim.score == float(SUMMARY["criminality"])
