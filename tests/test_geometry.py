"""Layouts no generator of this project prints this way, drawn by hand with reportlab's canvas, one
quirk per PDF, each value written here by hand: the reading rests on geometry that every producer
must keep (labels, numbers, their order and alignment), not on one producer's habits.

Each case was met in profiles of the browser producer or the generator's variation matrix (the
README's accuracy runs) and is drawn here in its plainest form."""

from __future__ import annotations

from pathlib import Path

import pytest

from octa import clean, layout, taxonomy
from octa.parse import scores
from octa.parse.scores.bars import _too_coarse
from octa.parse.sections import parse_sections

#: The bundled taxonomy's edition, for input whose family and year are not known.
ANY = taxonomy.resolve(None, None)

A4 = (595.0, 842.0)


def _pdf(path: Path, pages: list[list[tuple]]) -> Path:
    """A PDF from drawing items per page, in PDF points from the top-left corner:
    ``("t", x, y_baseline, size, text[, font])`` a text run, ``("tri", x, y_top, side, up)`` a filled
    triangle."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setPageCompression(0)
    for items in pages:
        for it in items:
            if it[0] == "t":
                _, x, y, size, text, *font = it
                c.setFont(font[0] if font else "Helvetica", size)
                c.drawString(x, A4[1] - y, text)
            else:
                _, x, y, a, up = it
                top, bottom = A4[1] - y, A4[1] - y - a
                pts = [(x, bottom), (x + a, bottom), (x + a / 2, top)] if up else \
                    [(x, top), (x + a, top), (x + a / 2, bottom)]
                p = c.beginPath()
                p.moveTo(*pts[0])
                for q in pts[1:]:
                    p.lineTo(*q)
                p.close()
                c.drawPath(p, fill=1, stroke=0)
        c.showPage()
    c.save()
    return path


def _read(path: Path) -> scores.ScoreResult:
    return scores.parse_document(layout.load(path))


def _score(res: scores.ScoreResult, key: str) -> float | None:
    r = res.indicators.get(key)
    return None if r is None or r.score is None else float(r.score)


def _change(res: scores.ScoreResult, key: str) -> float | None:
    r = res.indicators.get(key)
    return None if r is None or r.change is None else float(r.change)


def _below_rows(x: float, y: float, rows: list[tuple[list[str], str]], size: float = 9.0) -> tuple[list[tuple], float]:
    """Rows printed label above score (the label's lines, then the score under them)."""
    items: list[tuple] = []
    for lines, score in rows:
        for ln in lines:
            items.append(("t", x, y, size, ln))
            y += 1.15 * size
        items.append(("t", x, y, size, score))
        y += 2.2 * size
    return items, y


# ------------------------------------------------------------------------------------------------
# Labels and scores
# ------------------------------------------------------------------------------------------------

def test_label_squeezed_a_syllable_a_line(tmp_path: Path) -> None:
    """A label cell so narrow that each line holds a syllable (seven lines): the label is every line
    between the score above and the score under it."""
    items, _ = _below_rows(46, 100, [
        (["Human", "smuggling"], "2.50"),
        (["Inter-", "natio-", "nal", "coo-", "pera-", "tion"], "3.50"),
        (["Pre-", "ven-", "tion"], "6.00"),
        (["Government", "transpa-", "rency", "and", "accoun-", "tabi-", "lity"], "4.00"),
    ])
    res = _read(_pdf(tmp_path / "narrow.pdf", [items]))
    assert _score(res, "human_smuggling") == 2.5
    assert _score(res, "international_cooperation") == 3.5
    assert _score(res, "prevention") == 6.0
    assert _score(res, "government_transparency_and_accountability") == 4.0


def test_score_right_aligned_under_a_short_label(tmp_path: Path) -> None:
    """A cell whose number is set to the right of its column, past the end of a short label."""
    items = [
        ("t", 312, 100, 9, "Pre-"), ("t", 312, 110, 9, "vention"), ("t", 352, 120, 9, "5"),
        ("t", 312, 140, 9, "Law"), ("t", 312, 150, 9, "enforcement"), ("t", 346, 160, 9, "3.5"),
        ("t", 312, 180, 9, "Non-state"), ("t", 312, 190, 9, "actors"), ("t", 352, 200, 9, "7"),
    ]
    res = _read(_pdf(tmp_path / "right.pdf", [items]))
    assert (_score(res, "prevention"), _score(res, "law_enforcement"), _score(res, "non_state_actors")) == (5.0, 3.5, 7.0)


def test_label_and_score_broken_by_the_page(tmp_path: Path) -> None:
    """A label at the foot of a page whose last line and score are printed overleaf, and a label
    whose score alone went overleaf (under a repeated table header)."""
    first, y = _below_rows(46, 500, [(["Political leadership", "and governance"], "3.00"),
                                     (["Judicial system", "and detention"], "4.50")])
    first += [("t", 46, 780, 9, "Government"), ("t", 46, 790.4, 9, "transparency and")]
    first += [("t", 312, 500, 9, "Law enforcement"), ("t", 312, 510.4, 9, "5.50"),
              ("t", 312, 540, 9, "Territorial integrity"), ("t", 312, 550.4, 9, "6.00"),
              ("t", 312, 790.4, 9, "Prevention")]
    second = [("t", 46, 50, 8, "INDICATOR / SCORE"), ("t", 312, 50, 8, "INDICATOR / SCORE"),
              ("t", 46, 64, 9, "accountability"), ("t", 46, 74.4, 9, "2.50"),
              ("t", 312, 64, 9, "7.00")]
    more, _ = _below_rows(46, 100, [(["International", "cooperation"], "8.00"), (["Anti-money", "laundering"], "1.50")])
    res = _read(_pdf(tmp_path / "broken.pdf", [first, second + more]))
    assert _score(res, "government_transparency_and_accountability") == 2.5
    assert _score(res, "prevention") == 7.0
    assert _score(res, "international_cooperation") == 8.0
    assert res.indicators["prevention"].page == 2  # provenance: where the score was printed


def test_tracked_label_box_reaching_past_the_number(tmp_path: Path) -> None:
    """Letter-spaced labels whose last letter's box ends past the start of the score beside them,
    and a score set between the two lines of a label, under the longer one."""
    def tracked(x: float, y: float, text: str) -> list[tuple]:
        return [("t", x + 9.2 * k, y, 9, ch) for k, ch in enumerate(text)]
    items = tracked(46, 100, "TRANSPARENCY") + [("t", 150, 105, 9, "7.50"), ("t", 180, 105, 9, "+0.5")]
    items = tracked(46, 90, "GOVERNMENT") + items + tracked(46, 110, "& ACCOUNTABILITY")
    items += tracked(46, 140, "INTERNATIONAL") + [("t", 150, 145, 9, "5.00"), ("t", 180, 145, 9, "-1.0")]
    items += tracked(46, 150, "COOPERATION")
    items += tracked(46, 180, "PREVENTION") + [("t", 150, 180, 9, "3.00"), ("t", 180, 180, 9, "0.0")]
    res = _read(_pdf(tmp_path / "tracked.pdf", [items]))
    assert (_score(res, "government_transparency_and_accountability"), _change(res, "government_transparency_and_accountability")) == (7.5, 0.5)
    assert (_score(res, "international_cooperation"), _change(res, "international_cooperation")) == (5.0, -1.0)
    assert (_score(res, "prevention"), _change(res, "prevention")) == (3.0, 0.0)


def test_label_overflowing_onto_the_change_column(tmp_path: Path) -> None:
    """A label wider than its cell drawn over the change of the next column, a little lower: the
    layout keeps two texts (``TRAFFICKING`` and ``0.5``), never ``TRAFFICKIN0G.5``."""
    items = [("t", 46, 100, 9, "HUMAN"), ("t", 46, 110, 9, "TRAFFICKING"), ("t", 98, 112.3, 9, "0.5"),
             ("tri", 112, 104.5, 5, False), ("t", 46, 121, 9, "6.0"),
             ("t", 46, 140, 9, "HUMAN"), ("t", 46, 150, 9, "SMUGGLING"), ("t", 98, 152.3, 9, "1.0"),
             ("t", 46, 161, 9, "3.5"),
             ("t", 46, 180, 9, "ARMS"), ("t", 46, 190, 9, "TRAFFICKING"), ("t", 98, 192.3, 9, "0.0"),
             ("t", 46, 201, 9, "4.0")]
    pdf = _pdf(tmp_path / "overflow.pdf", [items])
    words = [w.text for w in layout.load(pdf).pages[0].words]
    assert "TRAFFICKING" in words and "0.5" in words and "SMUGGLING" in words
    res = _read(pdf)
    assert [_score(res, k) for k in ("human_trafficking", "human_smuggling", "arms_trafficking")] == [6.0, 3.5, 4.0]
    assert _change(res, "human_trafficking") == -0.5  # the triangle beside it points down
    assert _change(res, "arms_trafficking") == 0.0


def test_each_table_has_its_own_change_column(tmp_path: Path) -> None:
    """A CHANGE header is its own table's: the next table's score column may stand where the first
    table's changes stood (two columns of rows, then three)."""
    items = [("t", 46, 100, 8, "SCORE"), ("t", 83, 100, 8, "INDICATOR"), ("t", 251, 100, 8, "CHANGE")]
    rows1 = [("Mafia-style groups", "7", "+0.5"), ("Criminal networks", "10", "0.0")]
    y = 115
    for label, sc, ch in rows1:
        items += [("t", 66, y, 9, sc), ("t", 83, y, 9, label), ("t", 251, y, 9, ch)]
        y += 15
    y += 20
    items += [("t", 46, y, 8, "SCORE"), ("t", 83, y, 8, "INDICATOR"), ("t", 165, y, 8, "CHANGE"),
              ("t", 220, y, 8, "SCORE"), ("t", 257, y, 8, "INDICATOR"), ("t", 338, y, 8, "CHANGE")]
    y += 15
    rows2 = [("Prevention", "1", "0.0", "Law enforcement", "4", "+1.0"),
             ("Non-state actors", "4", "-2.0", "Territorial integrity", "3", "0.0")]
    for l1, s1, c1, l2, s2, c2 in rows2:
        items += [("t", 70, y, 9, s1), ("t", 83, y, 9, l1), ("t", 165, y, 9, c1),
                  ("t", 247, y, 9, s2), ("t", 257, y, 9, l2), ("t", 338, y, 9, c2)]
        y += 15
    res = _read(_pdf(tmp_path / "headers.pdf", [items]))
    assert [(_score(res, k), _change(res, k)) for k in ("law_enforcement", "territorial_integrity", "prevention",
                                                        "non_state_actors", "mafia_style_groups")] == [
        (4.0, 1.0), (3.0, 0.0), (1.0, 0.0), (4.0, -2.0), (7.0, 0.5)]


def test_summary_change_is_the_one_beside_it(tmp_path: Path) -> None:
    """A pillar heading printed label, score, change, on a line shared with a row of the table's
    first column, whose rows print score, label, change: the heading's change is the one beside its
    score, not the row's change across its label."""
    items = [("t", 42, 100, 9, "7"), ("t", 59, 100, 9, "Human Trafficking"), ("t", 150, 100, 9, "+1.5"),
             ("t", 223, 100, 10, "Criminal Actors"), ("t", 300, 100, 10, "5.0"), ("t", 318, 100, 10, "-0.5"),
             ("t", 42, 120, 9, "8.5"), ("t", 59, 120, 9, "Human Smuggling"), ("t", 150, 120, 9, "0.0"),
             ("t", 223, 120, 9, "6.5"), ("t", 240, 120, 9, "Mafia-style groups"), ("t", 330, 120, 9, "-0.5"),
             ("t", 42, 140, 9, "3"), ("t", 59, 140, 9, "Arms Trafficking"), ("t", 150, 140, 9, "-1.0"),
             ("t", 223, 140, 9, "4"), ("t", 240, 140, 9, "Criminal networks"), ("t", 330, 140, 9, "+1.0")]
    res = _read(_pdf(tmp_path / "summary.pdf", [items]))
    s = res.summary["criminal_actors"]
    assert (float(s.score), float(s.change)) == (5.0, -0.5)
    assert [_change(res, k) for k in ("human_trafficking", "human_smuggling", "mafia_style_groups")] == [1.5, 0.0, -0.5]


def test_pillar_average_beside_the_next_columns_row_is_not_its_headline(tmp_path: Path) -> None:
    """Rows printed score, label (and change); a pillar heading and its average, in bold a size
    larger, on a line of their own a few points under (or level with the middle line of) a row of
    the next column: that row's score is the number beside its label, as large as its label; the
    larger average further out is the heading's, not a headline figure of the row."""
    bold = "Helvetica-Bold"
    one = [("t", 42, 274.5, 10.5, "Criminal markets", bold), ("t", 276, 274.5, 10.5, "5.0", bold),
           ("t", 331, 266.8, 9, "4.00"), ("t", 354, 266.8, 9, "Economic regulatory capacity"),
           ("t", 331, 290, 9, "3.50"), ("t", 354, 290, 9, "Prevention"),
           ("t", 331, 303, 9, "5.00"), ("t", 354, 303, 9, "Non-state actors"),
           ("t", 56, 290, 9, "4.50"), ("t", 80, 290, 9, "Human trafficking"),
           ("t", 56, 303, 9, "5.50"), ("t", 80, 303, 9, "Human smuggling")]
    res = _read(_pdf(tmp_path / "level.pdf", [one]))
    s = res.summary.get("criminal_markets")
    assert s is not None and float(s.score) == 5.0
    assert [_score(res, k) for k in ("economic_regulatory_capacity", "prevention", "human_trafficking")] == [
        4.0, 3.5, 4.5]
    three = [("t", 42, 274.5, 10.5, "Criminal markets", bold), ("t", 247, 274.5, 10.5, "2.50", bold),
             ("t", 282, 274.5, 10.5, "0.0", bold),
             ("t", 354, 267, 9, "State-"), ("t", 328, 277.5, 9, "5.50"), ("t", 354, 277.5, 9, "embedded"),
             ("t", 441, 277.5, 9, "0.00"), ("t", 354, 288, 9, "actors"),
             ("t", 328, 302, 9, "1.00"), ("t", 354, 302, 9, "Foreign actors"), ("t", 441, 302, 9, "-0.50"),
             ("t", 55, 294, 9, "1.00"), ("t", 82, 294, 9, "Human trafficking"), ("t", 166, 294, 9, "-0.50"),
             ("t", 55, 307, 9, "2.00"), ("t", 82, 307, 9, "Human smuggling"), ("t", 166, 307, 9, "0.00")]
    res = _read(_pdf(tmp_path / "middle.pdf", [three]))
    s = res.summary.get("criminal_markets")
    assert s is not None and (float(s.score), float(s.change)) == (2.5, 0.0)
    assert [(_score(res, k), _change(res, k)) for k in ("state_embedded_actors", "foreign_actors")] == [
        (5.5, 0.0), (1.0, -0.5)]


def _right(x1: float, y: float, size: float, text: str) -> tuple:
    """A text run set flush right at ``x1`` (Helvetica, as ``_pdf`` draws it)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return ("t", x1 - stringWidth(text, "Helvetica", size), y, size, text)


def test_pillar_average_aligned_with_the_change_column_under_it(tmp_path: Path) -> None:
    """A pillar heading's average set flush right where the changes of the table under it end, level
    with a row of the next table column (``Private sector`` / ``actors``, its score between its two
    lines): the average is nearer that row's label than its own heading, but it is printed on its
    heading's line, not on one of that label's: it is the heading's average, not a change of the
    column under it."""
    items = [("t", 42, 100, 10, "Criminal Markets"), _right(250, 100, 10, "5.30"), ("t", 262, 100, 10, "+0.40"),
             ("t", 307, 95, 9, "Private sector"), ("t", 307, 105.5, 9, "actors"), _right(470, 100, 9, "8.5"),
             _right(515, 100, 9, "n/a")]
    rows = [("Human trafficking", "5.5", "-0.50"), ("Human smuggling", "5.5", "+1.00"),
            ("Extortion and protection racketeering", "4.5", "n/a"), ("Arms trafficking", "2.5", "-1.00"),
            ("Trade in counterfeit goods", "7", "n/a"), ("Flora crimes", "4", "0.00"),
            ("Fauna crimes", "6.5", "0.00")]
    for k, (label, score, change) in enumerate(rows):
        y = 120 + 16 * k
        items += [("t", 42, y, 9, label), _right(207, y, 9, score), _right(250, y, 9, change)]
    items += [("t", 307, 130, 10, "Resilience")]
    for k, (label, score, change) in enumerate([("Political leadership and governance", "5", "-1.00"),
                                                ("Law enforcement", "6.5", "0.00"),
                                                ("Territorial integrity", "4.5", "+0.50")]):
        y = 150 + 16 * k
        items += [("t", 307, y, 9, label), _right(470, y, 9, score), _right(515, y, 9, change)]
    res = _read(_pdf(tmp_path / "average.pdf", [items]))
    s = res.summary.get("criminal_markets")
    assert s is not None and (float(s.score), float(s.change)) == (5.3, 0.4)
    assert (_score(res, "private_sector_actors"), _change(res, "private_sector_actors")) == (8.5, None)
    assert [(_score(res, k), _change(res, k)) for k in ("human_trafficking", "flora_crimes", "law_enforcement")] == [
        (5.5, -0.5), (4.0, 0.0), (6.5, 0.0)]
    # the next column's label in three lines, its middle line 2.6 pt under the heading's line: the
    # average is on the heading's line more closely
    items = [it for it in items if it[2] != 95 and it[2] != 105.5 and not (it[2] == 100 and it[1] > 300)]
    items += [("t", 307, 92.5, 9, "State-"), ("t", 307, 102.6, 9, "embedded"), ("t", 307, 112.7, 9, "actors"),
              _right(470, 102.6, 9, "8"), _right(515, 102.6, 9, "+1.0")]
    res = _read(_pdf(tmp_path / "three.pdf", [items]))
    s = res.summary.get("criminal_markets")
    assert s is not None and (float(s.score), float(s.change)) == (5.3, 0.4)
    assert (_score(res, "state_embedded_actors"), _change(res, "state_embedded_actors")) == (8.0, 1.0)


# ------------------------------------------------------------------------------------------------
# Narrative
# ------------------------------------------------------------------------------------------------

def _narrative_pdf(path: Path, pages: list[list[tuple]]) -> list[tuple[str | None, str]]:
    cleaned = clean.clean_document(layout.load(_pdf(path, pages)), ANY)
    return [(p.indicator, p.text) for s in parse_sections(cleaned, ANY) for p in s.paragraphs]


def _words_at(x: float, y: float, text: str, gap: float, size: float = 10.0) -> list[tuple]:
    """A line set word by word with ``gap`` points between words (a loose justified line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out = []
    for w in text.split():
        out.append(("t", x, y, size, w))
        x += stringWidth(w, "Helvetica", size) + gap
    return out


HEAD = [("t", 42, 60, 14, "CRIMINALITY", "Helvetica-Bold"), ("t", 42, 80, 12, "Criminal markets", "Helvetica-Bold"),
        ("t", 42, 100, 11, "TRADE", "Helvetica-Bold")]


def test_short_word_at_one_height_on_two_pages_is_not_a_header(tmp_path: Path) -> None:
    """Loose justified lines break into pieces; a lone ``in`` standing at the same height near the
    top of two pages is a word of the text, not a running header."""
    p1 = HEAD + [("t", 42, 120, 10, "Arms trafficking in Mali is pervasive. Routes cross the north.")]
    p2 = _words_at(42, 60, "Networks have grown in size and the trade", 14)
    p2 += _words_at(42, 72, "goes on. Cocaine trade in Mali is limited.", 9)
    p3 = _words_at(42, 60, "Seizures are rare and grow in number each", 14)
    p3 += [("t", 42, 72, 10, "year.")]
    paras = _narrative_pdf(tmp_path / "loose.pdf", [p1, p2, p3])
    text = " ".join(t for _, t in paras)
    assert "grown in size" in text and "grow in number" in text


def test_heading_broken_by_the_page_and_prose_cut_before_a_name(tmp_path: Path) -> None:
    """A two-line group heading whose second line starts the next page; a paragraph cut by the page
    after ``In`` goes on before a capitalised name."""
    p1 = [("t", 42, 60, 14, "RESILIENCE", "Helvetica-Bold"), ("t", 42, 80, 11, "CRIMINAL JUSTICE AND SECURITY", "Helvetica-Bold"),
          ("t", 42, 100, 10, "Law enforcement in Mali is weak. Police presence is thin."),
          ("t", 42, 112, 10, "Corruption is common among officers. In"),
          ("t", 42, 800, 11, "ECONOMIC AND FINANCIAL", "Helvetica-Bold")]
    p2 = [("t", 42, 60, 11, "ENVIRONMENT", "Helvetica-Bold"),
          ("t", 42, 80, 10, "The anti-money laundering regime in Mali is weak. Controls are few.")]
    text = "\n".join(f"{i}: {t}" for i, t in _narrative_pdf(tmp_path / "broken.pdf", [p1, p2]))
    assert "officers. In The anti-money" not in text
    cleaned = clean.clean_document(layout.load(tmp_path / "broken.pdf"), ANY)
    headings = [s.heading for s in parse_sections(cleaned, ANY)]
    assert "ECONOMIC AND FINANCIAL ENVIRONMENT" in headings


def test_prose_cut_by_a_column_break_goes_on_whatever_the_case(tmp_path: Path) -> None:
    p1 = HEAD + [("t", 42, 120, 10, "Arms trafficking in Mali is pervasive. Ivory and skins are seized. In"),
                 ("t", 42, 132, 10, "")]
    p2 = [("t", 42, 60, 10, "Mali, the routes cross the north and the trade grows."),
          ("t", 42, 80, 10, "Observers describe cocaine trade in Mali as limited.")]
    paras = _narrative_pdf(tmp_path / "cut.pdf", [p1, p2])
    assert any("are seized. In Mali, the routes" in t for _, t in paras)


def test_line_end_hyphen_decided_by_the_document_first(tmp_path: Path) -> None:
    """``cyber-`` | ``criminal`` at a line end: the same document prints ``cybercriminal`` whole
    elsewhere, so the hyphen goes (the lexicon alone keeps it: ``cybercriminal`` is rare)."""
    p1 = HEAD + [("t", 42, 120, 10, "Arms trafficking in Mali is pervasive. Most groups are cyber-"),
                 ("t", 42, 132, 10, "criminal gangs now. A cybercriminal gang was arrested last year.")]
    text = " ".join(t for _, t in _narrative_pdf(tmp_path / "hyphen.pdf", [p1]))
    assert "groups are cybercriminal gangs" in text
    assert clean.join_hyphenated("cyber", "criminal") == ("cyber-criminal", False)  # the lexicon alone
    p2 = HEAD + [("t", 42, 120, 10, "Arms trafficking in Mali is pervasive. Trade in bush-"),
                 ("t", 42, 132, 10, "meat is large. The bush-meat markets are open.")]
    text = " ".join(t for _, t in _narrative_pdf(tmp_path / "hyphen2.pdf", [p2]))
    assert "Trade in bush-meat is large" in text  # printed with its hyphen elsewhere: kept
    assert clean.join_hyphenated("bush", "meat") == ("bushmeat", True)  # the lexicon alone


@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
def test_engines_agree_on_the_overlaid_label(tmp_path: Path, engine: str) -> None:
    items = [("t", 46, 110, 9, "TRAFFICKING"), ("t", 98, 112.3, 9, "0.5")]
    doc = layout.load(_pdf(tmp_path / "o.pdf", [items]), engine=engine)
    assert sorted(w.text for w in doc.pages[0].words) == ["0.5", "TRAFFICKING"]


def test_label_running_into_the_change_on_its_line(tmp_path: Path) -> None:
    """A label wider than its cell that runs into the change printed on its own line (their boxes
    overlap): two words, ``COOPERATION`` and ``-0.5``; in one run of text a kerned pair stays one word."""
    items = [("t", 46, 100, 9, "INTERNATIONAL"), ("t", 46, 110, 9, "COOPERATION"), ("t", 111.5, 110, 9, "-0.5"),
             ("t", 46, 120, 9, "8.0"),
             ("t", 46, 140, 9, "LAW"), ("t", 46, 150, 9, "ENFORCEMENT"), ("t", 112, 150, 9, "0.0"),
             ("t", 46, 160, 9, "3.0"),
             ("t", 46, 180, 9, "PREVENTION"), ("t", 120, 182, 9, "+1.0"), ("t", 46, 190, 9, "5.5")]
    pdf = _pdf(tmp_path / "run_into.pdf", [items])
    words = {w.text for w in layout.load(pdf).pages[0].words}
    assert {"COOPERATION", "-0.5", "ENFORCEMENT", "0.0"} <= words
    res = _read(pdf)
    assert [(_score(res, k), _change(res, k)) for k in ("international_cooperation", "law_enforcement", "prevention")] \
        == [(8.0, -0.5), (3.0, 0.0), (5.5, 1.0)]


def test_score_overleaf_beside_the_next_columns_label(tmp_path: Path) -> None:
    """The score of a label ending its page, printed overleaf at the height where the next
    column's first label starts."""
    first, _ = _below_rows(46, 500, [(["Political leadership", "and governance"], "8.50"),
                                     (["Government", "transparency", "and", "accountability"], "")])
    first = [it for it in first if it[4] != ""]
    first += [("t", 120, 500, 9, "Judicial system"), ("t", 120, 510.4, 9, "and detention"), ("t", 120, 520.8, 9, "6.00"),
              ("t", 120, 540, 9, "Anti-money"), ("t", 120, 550.4, 9, "laundering"), ("t", 120, 560.8, 9, "7.50")]
    second = [("t", 46, 50, 8, "INDICATOR / SCORE"), ("t", 120, 50, 8, "INDICATOR / SCORE"),
              ("t", 46, 69, 9, "8.50"), ("t", 120, 70.5, 9, "Economic"), ("t", 120, 79.5, 9, "regulatory"),
              ("t", 120, 88.5, 9, "capacity"), ("t", 120, 97.5, 9, "9.50"),
              ("t", 46, 82, 9, "International"), ("t", 46, 91, 9, "cooperation"), ("t", 46, 100, 9, "5.50")]
    res = _read(_pdf(tmp_path / "overleaf.pdf", [first, second]))
    assert [_score(res, k) for k in ("government_transparency_and_accountability", "economic_regulatory_capacity",
                                     "international_cooperation")] == [8.5, 9.5, 5.5]


def _flowing_columns(right_head: list[tuple]) -> list[tuple]:
    """Criminal actors in rows printed label above score, the change beside the label: the left
    column's last label (Foreign actors) at its foot with nothing under it, the table going on in
    the right column with ``right_head`` atop it, then the number 3.5, then Private sector actors."""
    items = [("t", 46, 100, 8, "INDICATOR / SCORE"), ("t", 150, 100, 8, "CHANGE")]
    for k, (label, change, score) in enumerate([("Mafia-style groups", "0.00", "5.0"),
                                                ("Criminal networks", "+0.50", "6.5"),
                                                ("State-embedded actors", "-1.00", "5.0")]):
        y = 118 + 30 * k
        items += [("t", 46, y, 9, label), ("t", 150, y, 9, change), ("t", 46, y + 10.4, 9, score)]
    items += [("t", 46, 208, 9, "Foreign actors"), ("t", 150, 208, 9, "-0.50")]
    items += right_head + [("t", 320, 118, 9, "3.5"),
                           ("t", 320, 138, 9, "Private sector actors"), ("t", 424, 138, 9, "n/a"),
                           ("t", 320, 148.4, 9, "4.5")]
    return items


def test_score_of_a_columns_last_label_atop_the_next_column(tmp_path: Path) -> None:
    """The lowest label of its column with nothing under it: its score is the number atop the next
    column of its page, above that column's first label, where no label could end right above the
    number but the table's header repeated (or nothing at all); its change stays beside it. Where
    a line of words stands right above that number that is not the header printed above the
    label's own rows (the lines of a label not recognised could own it), the score is left
    missing, never taken."""
    header = [("t", 320, 100, 8, "INDICATOR / SCORE"), ("t", 424, 100, 8, "CHANGE")]
    for name, head in (("header", header), ("bare", [])):
        res = _read(_pdf(tmp_path / f"{name}.pdf", [_flowing_columns(head)]))
        assert [(_score(res, k), _change(res, k)) for k in ("foreign_actors", "private_sector_actors",
                                                            "state_embedded_actors")] == [
            (3.5, -0.5), (4.5, None), (5.0, -1.0)], name
    for name, head in (("unknown", [("t", 320, 107.6, 9, "Qxzv wbtk")]),
                       ("other_header", [("t", 320, 100, 8, "INDICATOR / SCORES"), ("t", 424, 100, 8, "CHANGE")])):
        res = _read(_pdf(tmp_path / f"{name}.pdf", [_flowing_columns(head)]))
        assert _score(res, "foreign_actors") is None, name
        assert (_score(res, "private_sector_actors"), _score(res, "state_embedded_actors")) == (4.5, 5.0), name


def test_label_broken_by_its_column(tmp_path: Path) -> None:
    """A label broken by its column: its first lines at the foot of the left column (its change
    beside them), its last line atop the right column under the table's header repeated there.
    Scores under their labels: the score under the last line; scores beside their labels (score,
    label, change): the score beside the first lines."""
    below = [("t", 46, 100, 8, "INDICATOR / SCORE"), ("t", 150, 100, 8, "CHANGE")]
    for k, (lines, change, score) in enumerate([(["Human", "smuggling"], "+1.00", "6.5"),
                                                (["Arms", "trafficking"], "0.00", "4.0"),
                                                (["Criminal actors"], "", "")]):
        y = 118 + 36 * k
        below += [("t", 46, y + 10.4 * n, 9, ln) for n, ln in enumerate(lines)]
        if score:
            below += [("t", 150, y, 9, change), ("t", 46, y + 10.4 * len(lines), 9, score)]
    below += [("t", 46, 208, 9, "Mafia-"), ("t", 46, 218.4, 9, "style"), ("t", 150, 208, 9, "0.00"),
              ("t", 320, 100, 8, "INDICATOR / SCORE"), ("t", 424, 100, 8, "CHANGE"),
              ("t", 320, 118, 9, "groups"), ("t", 320, 128.4, 9, "3.0"),
              ("t", 320, 148, 9, "Criminal networks"), ("t", 424, 148, 9, "-0.50"), ("t", 320, 158.4, 9, "4.0"),
              ("t", 320, 178, 9, "Foreign actors"), ("t", 424, 178, 9, "+1.50"), ("t", 320, 188.4, 9, "7.5")]
    res = _read(_pdf(tmp_path / "below.pdf", [below]))
    assert [(_score(res, k), _change(res, k)) for k in ("mafia_style_groups", "criminal_networks",
                                                        "arms_trafficking")] == [(3.0, 0.0), (4.0, -0.5), (4.0, 0.0)]
    beside = [("t", 46, 100, 8, "SCORE"), ("t", 90, 100, 8, "INDICATOR"), ("t", 190, 100, 8, "CHANGE")]
    for k, (lines, score, change) in enumerate([(["Political leadership", "and governance"], "5.5", "-1.00"),
                                                (["Government", "transparency"], "10.0", "0.00")]):
        y = 118 + 26 * k
        beside += [("t", 90, y + 10.4 * n, 9, ln) for n, ln in enumerate(lines)]
        beside += [("t", 46, y + 5, 9, score), ("t", 190, y + 5, 9, change)]
    beside += [("t", 320, 100, 8, "SCORE"), ("t", 364, 100, 8, "INDICATOR"), ("t", 464, 100, 8, "CHANGE"),
               ("t", 364, 112, 9, "and accountabi-"), ("t", 364, 122.4, 9, "lity"),
               ("t", 320, 140, 9, "8.0"), ("t", 364, 140, 9, "International cooperation"), ("t", 464, 140, 9, "+1.00"),
               ("t", 320, 160, 9, "6.0"), ("t", 364, 160, 9, "National policies and laws"), ("t", 464, 160, 9, "0.00")]
    res = _read(_pdf(tmp_path / "beside.pdf", [beside]))
    assert [(_score(res, k), _change(res, k)) for k in ("government_transparency_and_accountability",
                                                        "international_cooperation",
                                                        "political_leadership_and_governance")] == [
        (10.0, 0.0), (8.0, 1.0), (5.5, -1.0)]


def test_columns_of_rows_ending_at_different_heights(tmp_path: Path) -> None:
    """Scores under their labels, changes beside them, a table in two columns of its page. The
    left column ends lower than the right one: its last label (Synthetic drug trade) has its score
    atop the right column, under the header repeated there, with the next group's heading (printed
    as its one indicator's label) between that score and the column's first row; the right
    column's last label (National policies and laws) is the last row of the page, its score atop
    the next page's first column, though a label of the left column stands lower than it."""
    first = [("t", 46, 100, 8, "INDICATOR / SCORE"), ("t", 150, 100, 8, "CHANGE")]
    for k, (label, change, score) in enumerate([("Flora crimes", "0.0", "3.0"), ("Heroin trade", "-1.0", "9.0"),
                                                ("Cocaine trade", "+0.5", "7.5"), ("Cannabis trade", "0.0", "7.0")]):
        y = 118 + 30 * k
        first += [("t", 46, y, 9, label), ("t", 150, y, 9, change), ("t", 46, y + 10.4, 9, score)]
    first += [("t", 46, 238, 9, "Synthetic drug trade"), ("t", 150, 238, 9, "+0.5"),
              ("t", 320, 100, 8, "INDICATOR / SCORE"), ("t", 424, 100, 8, "CHANGE"), ("t", 320, 118, 9, "7.5"),
              ("t", 320, 134, 9, "CYBER-DEPENDENT CRIMES", "Helvetica-Bold"),
              ("t", 320, 148, 9, "Cyber-dependent crimes"), ("t", 424, 148, 9, "n/a"), ("t", 320, 158.4, 9, "6.5"),
              ("t", 320, 174, 9, "FINANCIAL CRIMES", "Helvetica-Bold"),
              ("t", 320, 188, 9, "Financial crimes"), ("t", 424, 188, 9, "n/a"), ("t", 320, 198.4, 9, "5.5"),
              ("t", 320, 218, 9, "National policies and laws"), ("t", 424, 218, 9, "+1.0")]
    second = [("t", 46, 50, 8, "INDICATOR / SCORE"), ("t", 150, 50, 8, "CHANGE"), ("t", 46, 68, 9, "6.0"),
              ("t", 46, 88, 9, "Judicial system and detention"), ("t", 150, 88, 9, "-2.0"), ("t", 46, 98.4, 9, "4.0"),
              ("t", 46, 118, 9, "Law enforcement"), ("t", 150, 118, 9, "0.0"), ("t", 46, 128.4, 9, "5.0")]
    res = _read(_pdf(tmp_path / "heights.pdf", [first, second]))
    assert [(_score(res, k), _change(res, k)) for k in (
        "synthetic_drug_trade", "national_policies_and_laws", "cyber_dependent_crimes", "judicial_system_and_detention",
        "cannabis_trade")] == [(7.5, 0.5), (6.0, 1.0), (6.5, None), (4.0, -2.0), (7.0, 0.0)]


def test_change_column_of_another_table_is_not_this_ones(tmp_path: Path) -> None:
    """Tables side by side under their headers (label, score, change), one band under the other:
    the scores of the lower band's table, wider, end where the changes of the upper band's table
    end. A column is one table's (the numbers under one header row): those scores are scores."""
    items = [("t", 218, 245, 8, "INDICATOR"), ("t", 290, 245, 8, "SCORE"), ("t", 340, 245, 8, "CHANGE")]
    for k, (label, score, change) in enumerate([("Fauna crimes", "10.0", "0.00"), ("Heroin trade", "6.5", "-0.50"),
                                                ("Cocaine trade", "9.5", "0.00"), ("Flora crimes", "4.0", "n/a")]):
        y = 262 + 14 * k
        items += [("t", 218, y, 8, label), _right(333, y, 8, score), _right(366, y, 8, change)]
    items += [("t", 228, 347, 8, "INDICATOR"), ("t", 300, 347, 8, "SCORE"), ("t", 378, 347, 8, "CHANGE")]
    for k, (label, score, change) in enumerate([("State-embedded actors", "6.0", "0.00"),
                                                ("Foreign actors", "9.5", "+1.00")]):
        y = 364 + 14 * k
        items += [("t", 228, y, 8, label), _right(366, y, 8, score), ("t", 378, y, 8, change)]
    res = _read(_pdf(tmp_path / "bands.pdf", [items]))
    assert [(_score(res, k), _change(res, k)) for k in ("state_embedded_actors", "foreign_actors", "heroin_trade")] \
        == [(6.0, 0.0), (9.5, 1.0), (6.5, -0.5)]


def test_last_row_of_a_column_above_the_next_pillars_table(tmp_path: Path) -> None:
    """Scores under their labels: the left column's last label (whole, or broken by the column) has
    its score atop the right column, under the table's header repeated there; the next pillar's
    table starts right under it (its heading, its header, its rows; the pillar's score is in the
    summary box above)."""
    def page(foot: list[tuple], top: list[tuple]) -> list[tuple]:
        items = [("t", 46, 60, 9, "CRIMINALITY SCORE"), ("t", 150, 64, 16, "5.50"),
                 ("t", 320, 60, 9, "RESILIENCE SCORE"), ("t", 424, 64, 16, "6.25"),
                 ("t", 46, 100, 8, "INDICATOR / SCORE"), ("t", 150, 100, 8, "CHANGE")]
        for k, (label, change, score) in enumerate([("Mafia-style groups", "-1.5", "8.5"),
                                                    ("Criminal networks", "0.0", "8.0"),
                                                    ("Foreign actors", "+1.0", "6.0")]):
            y = 118 + 30 * k
            items += [("t", 46, y, 9, label), ("t", 150, y, 9, change), ("t", 46, y + 10.4, 9, score)]
        items += foot + [("t", 320, 100, 8, "INDICATOR / SCORE"), ("t", 424, 100, 8, "CHANGE")] + top
        items += [("t", 320, 144, 10.5, "Resilience", "Helvetica-Bold"),
                  ("t", 320, 160, 8, "INDICATOR / SCORE"), ("t", 424, 160, 8, "CHANGE"),
                  ("t", 320, 178, 9, "Political leadership and governance"), ("t", 424, 178, 9, "0.0"),
                  ("t", 320, 188.4, 9, "5.5"),
                  ("t", 320, 208, 9, "International cooperation"), ("t", 424, 208, 9, "+1.0"), ("t", 320, 218.4, 9, "7.0")]
        return items
    whole = page([("t", 46, 208, 9, "State-embedded actors"), ("t", 150, 208, 9, "+0.5")], [("t", 320, 118, 9, "7.0")])
    res = _read(_pdf(tmp_path / "whole.pdf", [whole]))
    assert [(_score(res, k), _change(res, k)) for k in ("state_embedded_actors", "political_leadership_and_governance",
                                                        "criminal_networks")] == [(7.0, 0.5), (5.5, 0.0), (8.0, 0.0)]
    broken = page([("t", 46, 208, 9, "State-"), ("t", 46, 218.4, 9, "embedded"), ("t", 150, 208, 9, "+0.5")],
                  [("t", 320, 118, 9, "actors"), ("t", 320, 128.4, 9, "7.0")])
    res = _read(_pdf(tmp_path / "broken.pdf", [broken]))
    assert [(_score(res, k), _change(res, k)) for k in ("state_embedded_actors", "political_leadership_and_governance",
                                                        "criminal_networks")] == [(7.0, 0.5), (5.5, 0.0), (8.0, 0.0)]


def test_label_broken_by_its_column_under_a_group_heading_ending_the_page(tmp_path: Path) -> None:
    """Rows printed score, label, change. The left column's last label, under its group's heading,
    is broken by the column (``Political`` / ``Leadership and``, its score and change beside
    them), its last line (``Governance``) atop the right column, drawn a little into the next
    label's first line. The group heading at the foot of the page and a heading atop the next page
    (``PEOPLE``) do not make that label; the label broken by its column does."""
    bold = "Helvetica-Bold"
    first = [("t", 56, 660, 9, "6.0"), ("t", 96, 660, 9, "Cannabis trade"), ("t", 283, 660, 9, "0.0"),
             ("t", 56, 680, 9, "8.0"), ("t", 96, 680, 9, "Synthetic drug trade"), ("t", 283, 680, 9, "-2.0"),
             ("t", 43, 710.4, 8.5, "LEADERSHIP AND GOVERNANCE", bold),
             ("t", 96, 721.1, 9, "Political"), ("t", 96, 731.5, 9, "Leadership and"),
             ("t", 56, 731.5, 9, "3.0 / 10"), ("t", 283, 731.5, 9, "0.0"),
             ("t", 368, 182.8, 9, "Governance"), ("t", 368, 189.6, 9, "Government"),
             ("t", 368, 200.1, 9, "Transparency and"), ("t", 368, 210.6, 9, "Accountability"),
             ("t", 329, 200.1, 9, "1.0"), ("t", 556, 200.1, 9, "0.0"),
             ("t", 329, 235, 9, "2.5"), ("t", 368, 230, 9, "International"), ("t", 368, 240.4, 9, "Cooperation"),
             ("t", 556, 235, 9, "+0.5"),
             ("t", 329, 260, 9, "3.0"), ("t", 368, 260, 9, "National policies and laws"), ("t", 556, 260, 9, "+0.5")]
    second = [("t", 43, 104, 9.5, "PEOPLE", bold),
              ("t", 43, 120, 9, "Human trafficking in the country is pervasive and closely tied to its economy.")]
    res = _read(_pdf(tmp_path / "group.pdf", [first, second]))
    assert [(_score(res, k), _change(res, k)) for k in ("political_leadership_and_governance",
                                                        "government_transparency_and_accountability",
                                                        "international_cooperation", "synthetic_drug_trade")] == [
        (3.0, 0.0), (1.0, 0.0), (2.5, 0.5), (8.0, -2.0)]


def test_tight_row_with_a_new_indicator_is_not_prose(tmp_path: Path) -> None:
    """``Illicit Trade in 4.0 new``: a label's last word, its score and the word a table prints for a
    new indicator's change, set close as words of a sentence, are still a table row."""
    items = [("t", 42, 100, 8, "Illicit Trade in"), ("t", 92.5, 100, 8, "4.0"), ("t", 106.5, 100, 8, "new"),
             ("t", 42, 108, 8, "Excisable Goods"),
             ("t", 42, 130, 8, "Trade in Counterfeit"), ("t", 122, 130, 8, "2.5"), ("t", 138, 130, 8, "+0.5"),
             ("t", 42, 138, 8, "Goods"),
             ("t", 42, 160, 8, "Arms Trafficking"), ("t", 122, 160, 8, "6.0"), ("t", 138, 160, 8, "0.0")]
    res = _read(_pdf(tmp_path / "tight.pdf", [items]))
    assert [_score(res, k) for k in ("illicit_trade_in_excisable_goods", "trade_in_counterfeit_goods",
                                     "arms_trafficking")] == [4.0, 2.5, 6.0]
    assert _change(res, "illicit_trade_in_excisable_goods") is None


def test_number_drawn_over_the_end_of_a_label(tmp_path: Path) -> None:
    """A change drawn over the last letters of a label on the same baseline: glyph by glyph in x
    order they would read ``COUNTERFEI0T.00``; the layout keeps the word and the number apart."""
    items = [("t", 85, 90, 9, "TRADE IN"), ("t", 73, 100, 9, "3"), ("t", 85, 100, 9, "COUNTERFEIT"), ("t", 141, 100, 9, "0.00"),
             ("t", 85, 110, 9, "GOODS"),
             ("t", 73, 130, 9, "5"), ("t", 85, 130, 9, "ARMS TRAFFICKING"), ("t", 180, 130, 9, "+0.50"),
             ("t", 73, 150, 9, "7"), ("t", 85, 150, 9, "HEROIN TRADE"), ("t", 180, 150, 9, "-1.00")]
    pdf = _pdf(tmp_path / "drawn_over.pdf", [items])
    for engine in ("pymupdf", "pdfplumber"):  # (runs of the text trace; glyphs in the order drawn)
        words = {w.text for w in layout.load(pdf, engine).pages[0].words}
        assert {"COUNTERFEIT", "0.00"} <= words, engine
    res = _read(pdf)
    assert (_score(res, "trade_in_counterfeit_goods"), _change(res, "trade_in_counterfeit_goods")) == (3.0, 0.0)


def test_tracked_label_joiner_is_not_a_number(tmp_path: Path) -> None:
    """The hyphen of a letter-spaced ``N O N -`` is a word of the label, not a token that ends the
    row's cell before its score."""
    def tracked(x: float, y: float, text: str) -> list[tuple]:
        return [("t", x + 11 * k, y, 9, ch) for k, ch in enumerate(text)]
    items = tracked(220, 100, "NON-") + [("t", 220, 110, 9, "RENEWABLE"), ("t", 220, 120, 9, "RESOURCE"),
                                         ("t", 220, 130, 9, "CRIMES"), ("t", 321, 115, 9, "8.0"),
                                         ("t", 338, 115, 9, "+0.50"),
                                         ("t", 46, 100, 9, "HUMAN SMUGGLING"), ("t", 148, 100, 9, "6.5"),
                                         ("t", 165, 100, 9, "-1.00")]
    items += [("t", 220, 150, 9, "FAUNA CRIMES"), ("t", 321, 150, 9, "5.5"), ("t", 338, 150, 9, "-0.50"),
              ("t", 220, 170, 9, "FLORA CRIMES"), ("t", 321, 170, 9, "4.0"), ("t", 338, 170, 9, "0.00")]
    res = _read(_pdf(tmp_path / "joiner.pdf", [items]))
    assert (_score(res, "non_renewable_resource_crimes"), _change(res, "non_renewable_resource_crimes")) == (8.0, 0.5)



def test_word_joined_across_wide_gaps_is_recorded(tmp_path: Path) -> None:
    """A letter-spaced heading read as one word is a repair like any other: ``kerning_gap``, with
    the word as a reader cutting at every space-wide gap would have it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    items, x = [], 42.0
    for ch in "TRADE":
        items.append(("t", x, 100, 12, ch, "Helvetica-Bold"))
        x += stringWidth(ch, "Helvetica-Bold", 12) + 4.0  # a third of the size between letters
    items += [("t", 42, 120, 10, "Arms trafficking in Mali is pervasive and growing.")]
    cleaned = clean.clean_document(layout.load(_pdf(tmp_path / "tracked.pdf", [items])), ANY)
    assert [(r.before, r.after) for r in cleaned.repairs if r.rule == "kerning_gap"] == [("T R A D E", "TRADE")]


def _bars(track: float, widths: list[float]) -> list[tuple[layout.Rect, layout.Rect]]:
    """(track, bar) pairs, one row each, for bars of the given widths on tracks of one length."""
    return [(layout.Rect(100.0, 10.0 * k, 100.0 + track, 10.0 * k + 4, (0.9, 0.9, 0.9)),
             layout.Rect(100.0, 10.0 * k, 100.0 + w, 10.0 * k + 4, (0.5, 0.1, 0.2))) for k, w in enumerate(widths)]


@pytest.mark.parametrize("track,widths,coarse", [
    # exact bars of a 100 pt track: 7.0, 8.0, 9.0 and 5.0 (no two scores half a point apart)
    (100.0, [70.0, 80.0, 90.0, 50.0], False),
    # exact bars with half points: 7.5, 8.0, 3.5
    (100.0, [75.0, 80.0, 35.0], False),
    # a browser's 18 pt track (24 pixels of 0.75 pt): 8.0 drawn 15.0 (20 px), 5.0 as 9.0, 8.5 as 15.75
    (18.0, [15.0, 9.0, 15.75, 13.5, 6.0], True),
    # pixels of 0.7235 pt (a page scaled to fit), a 17.364 pt track
    (17.364, [1.447, 2.1705, 2.894, 12.2995, 7.235], True),
    # the same pixels on a 150 pt track: a pixel is worth 0.05 of a score, fine enough
    (150.0, [112.5, 120.0, 52.5, 75.75], False),
])
def test_bars_too_coarse_to_tell_a_score(track: float, widths: list[float], coarse: bool) -> None:
    """Bars drawn on a device's pixel grid whose pixel is worth more than the bar agreement (0.25)
    on the track cannot tell one score from the next and check none; exact bars (widths on the
    score grid's half-point step or a multiple of it) and fine pixel grids stay checks."""
    assert _too_coarse(_bars(track, widths), scores.DEFAULT_SETTINGS) is coarse
