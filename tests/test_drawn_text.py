"""The text layer as drawn, and paragraphs as the page sets them (issue 25, points 4 and 5).

Each PDF is drawn here, by hand, with reportlab; where a producer's text layer is meant (a ligature
glyph whose ToUnicode entry gives its letters, a visible hyphen mapped to U+00AD), the font's
ToUnicode CMap is rewritten with PyMuPDF after drawing. The expected texts are written out below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import octa
from octa import clean, layout, taxonomy

#: The bundled taxonomy's edition, for input whose family and year are not known.
ANY = taxonomy.resolve(None, None)
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
ENGINES = ("pymupdf", "pdfplumber")

needs_serif = pytest.mark.skipif(not SERIF.exists(), reason="DejaVu Serif (fonts-dejavu-core) is not installed")


def _serif() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "OctaTestSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("OctaTestSerif", str(SERIF)))
    return "OctaTestSerif"


def _remap(path: Path, cmap: dict[str, str]) -> None:
    """Rewrite every ToUnicode CMap of ``path``: the code drawn for each character of ``cmap`` is
    mapped to that entry's text instead (one glyph, several characters; or another code point)."""
    import pymupdf

    doc = pymupdf.open(path)
    changed = 0
    for xref in range(1, doc.xref_length()):
        if not doc.xref_is_stream(xref):
            continue
        data = doc.xref_stream(xref)
        if b"beginbfchar" not in data:
            continue
        text = data.decode("latin-1")
        for ch, to in cmap.items():
            hexes = "".join(f"{ord(c):04X}" for c in to)
            text, n = re.subn(rf"(<[0-9A-F]{{2}}>) <{ord(ch):04X}>", lambda m, h=hexes: f"{m.group(1)} <{h}>", text)
            changed += n
        doc.update_stream(xref, text.encode("latin-1"))
    assert changed >= len(cmap), "the CMap entries to rewrite were not found"
    out = path.with_suffix(".tmp.pdf")
    doc.save(out)
    doc.close()
    out.replace(path)


def _draw(path: Path, lines: list[tuple[float, float, str, float, str]]) -> None:
    """One A4 page: each line is (x, y from the top, font, size, text)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for x, y, font, size, text in lines:
        c.setFont(font, size)
        c.drawString(x, 842 - y, text)
    c.showPage()
    c.save()


def _paragraphs(path: Path, engine: str) -> list[str]:
    cleaned = clean.clean_document(layout.load(path, engine=engine), ANY)
    return [b.text for b in cleaned.blocks if b.kind == "paragraph"]


# ---------------------------------------------------------------------------------------------
# Ligatures
# ---------------------------------------------------------------------------------------------

LIGATURE_LINES = [
    "Criminal networks that \ufb02uctuate in size and the way the state classi\ufb01es",
    "them make the foodstu\ufb00s trade hard to follow; its pro\ufb01t and its de\ufb01nitional",
    "limits are disputed, and the of\ufb01ce in charge is often shifting its focus.",
]
LIGATURE_TEXT = ("Criminal networks that fluctuate in size and the way the state classifies them make the "
                 "foodstuffs trade hard to follow; its profit and its definitional limits are disputed, and the "
                 "office in charge is often shifting its focus.")


def _ligature_pdf(path: Path, letters: bool) -> Path:
    """The lines above in DejaVu Serif, whose ff, fi and fl ligature glyphs are drawn. ``letters``:
    the text layer maps each ligature glyph to its letters (one glyph box, several characters, as
    InDesign writes it); otherwise to the ligature code point U+FB00-FB02 (as Chromium writes it)."""
    font = _serif()
    _draw(path, [(60.0, 80.0 + 13 * k, font, 10.0, line) for k, line in enumerate(LIGATURE_LINES)])
    if letters:
        _remap(path, {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl"})
    return path


@needs_serif
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("letters", [True, False], ids=["one-box-several-letters", "ligature-code-point"])
def test_a_ligature_glyph_never_splits_its_word(tmp_path: Path, engine: str, letters: bool) -> None:
    pdf = _ligature_pdf(tmp_path / "ligatures.pdf", letters)
    doc = layout.load(pdf, engine=engine)
    words = [w.text for w in doc.pages[0].words]
    for word in ("fluctuate", "classifies", "foodstuffs", "profit", "definitional", "office"):
        assert any(w.strip(".,;") == word for w in words), (word, words)
    assert not any("\ufb00" <= c <= "\ufb06" for w in words for c in w)  # the layout reads the letters
    assert _paragraphs(pdf, engine) == [LIGATURE_TEXT]


# ---------------------------------------------------------------------------------------------
# Hyphens drawn as other code points
# ---------------------------------------------------------------------------------------------

@needs_serif
@pytest.mark.parametrize("engine", ENGINES)
def test_a_soft_hyphen_drawn_inside_a_line_is_a_hyphen(tmp_path: Path, engine: str) -> None:
    """A font whose text layer maps its visible hyphen to U+00AD (soft hyphen): the hyphen is drawn,
    with its width, inside the line, so it is a hyphen (not a break point to remove)."""
    font = _serif()
    pdf = tmp_path / "shy.pdf"
    _draw(pdf, [(60.0, 80.0, font, 10.0, "Networks of state-embedded actors run the cross-border trade in fuel, and"),
                (60.0, 93.0, font, 10.0, "their patrons protect them from the courts of the region.")])
    _remap(pdf, {"-": "\u00ad"})
    assert "\u00ad" in "".join(c.c for c in layout.load(pdf, engine=engine).pages[0].chars)  # the text layer's
    assert _paragraphs(pdf, engine) == [
        "Networks of state-embedded actors run the cross-border trade in fuel, and their patrons protect them "
        "from the courts of the region."]


def test_code_points_read_as_drawn_in_text_mode() -> None:
    """Text mode reads the code points of the layout's table as the layout does: a hyphen drawn as
    U+2010/U+2011 inside a line, fullwidth digits, a ligature code point, no-break and narrow spaces."""
    text = ("CRIMINALITY\n\nCriminal markets\n\nPEOPLE\n\n"
            "Non\u2011state groups and cross\u2010border gangs control \ufb01ve routes since \uff12\uff10\uff12\uff13,"
            " with\u00a0about\u202f40 boats.\n")
    out, repairs = clean.clean_text(text, ANY)
    assert "Non-state groups and cross-border gangs control five routes since 2023, with about 40 boats." in out
    assert {r.rule for r in repairs} >= {"code_point", "ligature"}


#: Lines of a document whose line-end hyphens all stand after words (with the two lines tested, six)
HARD_BREAKS = ("laundered through cash-", "intensive businesses since mid-", "2022 along the south-",
               "western border, a cross-", "border route for state-", "embedded actors")


@pytest.mark.parametrize(("lines", "words", "joined"), [
    # a hyphen beside a digit is a hard hyphen: no space, the hyphen kept
    (["plans for a 24-", "month period"], (), "plans for a 24-month period"),
    (["prices rose until mid-", "2023 and fell"], (), "prices rose until mid-2023 and fell"),
    # a compound the document prints with its hyphen elsewhere keeps it, before the lexicon is asked
    (["along the south-", "western border"], ("the south-western routes are long",), "along the south-western border"),
    # and one it prints whole is joined
    (["along the south-", "western border"], ("the southwestern routes are long",), "along the southwestern border"),
    # a compound of the same second part that the document prints with its hyphen shows how it
    # writes such compounds; one of the same first part does not
    (["covered the north-", "eastern provinces"], ("the south-eastern border is long",),
     "covered the north-eastern provinces"),
    (["laws on cyber-", "crime and fraud"], ("the cyber-dependent crimes",), "laws on cybercrime and fraud"),
    # a document that never breaks a word at a line end (six line-end hyphens, all after words)
    # keeps them: they are its compounds'; one that breaks words (``compli-``) leaves it to the lexicon
    (["across the land-", "locked state"], HARD_BREAKS, "across the land-locked state"),
    (["across the land-", "locked state"], (*HARD_BREAKS, "which compli-", "cates enforcement"),
     "across the landlocked state"),
    # and a few breaks between words prove nothing
    (["across the land-", "locked state"], HARD_BREAKS[:3], "across the landlocked state"),
    # a compass compound with no evidence either way: the index's house style (the real ENACT text
    # prints south-western), not the lexicon, which knows both forms
    (["covered the north-", "eastern provinces"], (), "covered the north-eastern provinces"),
    # two words whose concatenation is no word at all keep their hyphen
    (["the profit-", "maximizing actor"], (), "the profit-maximizing actor"),
    # a word broken at the line end is whole again
    (["their res-", "ponse was slow"], (), "their response was slow"),
])
def test_line_end_hyphens_beside_digits_and_document_compounds(lines: list[str], words: tuple[str, ...],
                                                                joined: str) -> None:
    log = clean.Log(lambda: [*words, *lines])
    assert clean.join_lines(lines, log) == joined


# ---------------------------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------------------------

PARAGRAPHS = [
    "Criminal networks move cocaine through the northern ports, where customs checks are rare and officials are "
    "paid to look away. Seizures remain small compared with the flows that analysts estimate.",
    "Arms trafficking follows the same routes. Weapons from old conflicts in the region are sold to armed groups "
    "and to gangs in the capital, and the police rarely trace them.",
    "Fuel smuggling is the largest illicit market by value. Subsidised fuel crosses the border in trucks and small "
    "boats, and local officials take a share of the profits.",
    "Illegal logging has grown since the forest service lost its funding. Timber leaves the country with false "
    "papers, and the courts have not convicted anyone in the past decade.",
]


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    cur = ""
    for w in text.split():
        t = f"{cur} {w}".strip()
        if cur and stringWidth(t, font, size) > width:
            lines.append(cur)
            cur = w
        else:
            cur = t
    lines.append(cur)
    return lines


def _set(blocks: list[tuple[str, float, float, float, list[str]]], width: float = 400.0,
         raise_line: tuple[int, int, float] | None = None) -> list[tuple[float, float, str, float, str]]:
    """Paragraphs set flush left with no indent: each block is (font, size, leading, baseline step
    between two paragraphs, texts); blocks 3 leadings apart. ``raise_line`` (block, line, points):
    that line of the block is set lower by that much (a line whose box a taller glyph raised)."""
    out = []
    y = 80.0
    for b, (font, size, lead, step, texts) in enumerate(blocks):
        k = 0
        for i, text in enumerate(texts):
            if i:
                y += step - lead
            for line in _wrap(text, font, size, width):
                if raise_line is not None and raise_line[:2] == (b, k):
                    y += raise_line[2]
                out.append((80.0, y, font, size, line))
                y += lead
                k += 1
        y += 3 * lead
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_paragraphs_apart_by_a_little_more_than_the_leading(tmp_path: Path, engine: str) -> None:
    """Two fonts, each with its own leading and a paragraph space of 2 pt and 1.5 pt (16% and 14%
    of the leading, well under the quarter of a line that used to be needed): four paragraphs."""
    pdf = tmp_path / "spaced.pdf"
    _draw(pdf, _set([("Helvetica", 10.0, 12.5, 14.5, PARAGRAPHS[:2]), ("Times-Roman", 9.0, 10.5, 12.0, PARAGRAPHS[2:])]))
    assert _paragraphs(pdf, engine) == PARAGRAPHS


def test_lines_of_one_paragraph_stay_one(tmp_path: Path) -> None:
    """With no extra space between paragraphs, the first two are one block of lines; and a line set
    lower by 2 pt inside a sentence (a taller glyph's box) does not start a paragraph."""
    pdf = tmp_path / "one.pdf"
    _draw(pdf, _set([("Helvetica", 10.0, 12.5, 12.5, PARAGRAPHS[:2]), ("Times-Roman", 9.0, 10.5, 12.0, PARAGRAPHS[2:])],
                    raise_line=(1, 1, 2.0)))
    assert _paragraphs(pdf, "pymupdf") == [f"{PARAGRAPHS[0]} {PARAGRAPHS[1]}", *PARAGRAPHS[2:]]


TABLE = [("Human trafficking", "6.50", "+0.50"), ("Human smuggling", "5.00", "0.00"), ("Arms trafficking", "7.00", "-1.00"),
         ("Criminality score", "5.33", "+0.17"), ("Resilience score", "6.00", "-0.50")]
NARRATIVE = [
    "Human traffickers recruit young women from rural areas with promises of work abroad. Victims are moved by "
    "road to the coast and then by sea, and few cases reach the courts.",
    "Smugglers charge migrants high fees for the crossing to the islands. The trade is run by small family "
    "networks that pay the border guards, and the authorities seldom act against them.",
]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_table_ending_above_the_narrative_stays_out_of_its_paragraphs(tmp_path: Path, engine: str) -> None:
    """A score table whose numbers stand right of the page's middle ends above the narrative, which
    is set in two columns on the same page: the numbers are read with the table, never into the
    paragraph that goes on in the right column."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = [(60.0, 50.0, "Helvetica-Bold", 12.0, "ORGANISED CRIME INDEX 2023: RURITANIA")]
    y = 76.0
    for label, score, change in TABLE:
        lines.append((60.0, y, "Helvetica", 9.5, label))
        lines.append((360.0 - stringWidth(score, "Helvetica", 9.5), y, "Helvetica", 9.5, score))
        lines.append((420.0 - stringWidth(change, "Helvetica", 9.5), y, "Helvetica", 9.5, change))
        y += 15
    y += 20
    for font, size, text, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 20), ("Helvetica-Bold", 11.0, "Criminal markets", 16),
                                   ("Helvetica-Bold", 10.0, "PEOPLE", 15)]:
        lines.append((60.0, y, font, size, text))
        y += step
    top = y
    for line in _wrap(NARRATIVE[0], "Helvetica", 9.5, 225):
        lines.append((60.0, y, "Helvetica", 9.5, line))
        y += 12
    y += 6
    second = _wrap(NARRATIVE[1], "Helvetica", 9.5, 225)
    for line in second[:2]:
        lines.append((60.0, y, "Helvetica", 9.5, line))
        y += 12
    y = top
    for line in second[2:]:  # the paragraph goes on at the top of the right column
        lines.append((315.0, y, "Helvetica", 9.5, line))
        y += 12
    pdf = tmp_path / "table_above.pdf"
    _draw(pdf, lines)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == NARRATIVE
    # the table's numbers are still read, as the table's text before the narrative
    other = " ".join(b.text for b in cleaned.blocks if b.kind == "other")
    assert all(score in other and change in other for _, score, change in TABLE)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_table_beside_the_narrative_stays_out_of_its_paragraphs(tmp_path: Path, engine: str) -> None:
    """The narrative starts at the top of the left column, and the score table's last rows (label,
    score, change) stand in the right column beside it, at the heights of its headings and first
    lines: neither the labels nor the numbers are read into a paragraph."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    y = 70.0
    for font, size, text, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 20), ("Helvetica-Bold", 11.0, "Criminal markets", 16),
                                   ("Helvetica-Bold", 10.0, "PEOPLE", 15)]:
        lines.append((60.0, y, font, size, text))
        y += step
    for text in NARRATIVE:
        for line in _wrap(text, "Helvetica", 9.5, 225):
            lines.append((60.0, y, "Helvetica", 9.5, line))
            y += 12
        y += 6
    y = 70.0
    for label, score, change in TABLE:
        lines.append((315.0, y, "Helvetica", 9.5, label))
        lines.append((480.0 - stringWidth(score, "Helvetica", 9.5), y, "Helvetica", 9.5, score))
        lines.append((535.0 - stringWidth(change, "Helvetica", 9.5), y, "Helvetica", 9.5, change))
        y += 15
    pdf = tmp_path / "table_beside.pdf"
    _draw(pdf, lines)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == NARRATIVE
    assert [b.text for b in cleaned.blocks if b.kind == "heading"] == ["CRIMINALITY", "Criminal markets", "PEOPLE"]
    other = " ".join(b.text for b in cleaned.blocks if b.kind == "other")
    assert all(label in other and score in other and change in other for label, score, change in TABLE)


def test_paragraphs_by_the_documents_own_small_indent(tmp_path: Path) -> None:
    """Paragraphs with no extra space, whose first lines are indented by 4 pt (0.4 of the size,
    half of what was needed before): four paragraphs."""
    lines = []
    y = 80.0
    for text in PARAGRAPHS:
        for k, line in enumerate(_wrap(text, "Helvetica", 10.0, 396.0)):
            lines.append((84.0 if k == 0 else 80.0, y, "Helvetica", 10.0, line))
            y += 12.5
    pdf = tmp_path / "indented.pdf"
    _draw(pdf, lines)
    assert _paragraphs(pdf, "pymupdf") == PARAGRAPHS


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("code", ["\u00ad", "\u2010"])
def test_a_soft_hyphen_drawn_from_an_icon_font_between_letters_is_a_hyphen(tmp_path: Path, engine: str,
                                                                            code: str) -> None:
    """A visible hyphen drawn from another font, one whose name says icons (a fallback font mapping it
    to U+00AD, or giving its actual text U+2010 as WeasyPrint does), between the letters of a
    compound: still a hyphen, and the compound one word (it came out ``Anti corruption``, and with
    U+2010 ``Anti ‐ corruption``). Drawn glyph by glyph with the font that octa's generator ships."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font_file = Path(octa.__file__).parent / "fonts" / "OctaIcons.ttf"
    pdfmetrics.registerFont(TTFont("OctaIconsTest", str(font_file)))
    pdf = tmp_path / "icon_shy.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(595, 842))
    x = 60.0
    for font, text in (("Helvetica", "Anti"), ("OctaIconsTest", code), ("Helvetica", "corruption bodies exist,"),
                       ("Helvetica", " and long"), ("OctaIconsTest", code), ("Helvetica", "term funding is scarce.")):
        c.setFont(font, 10)
        c.drawString(x, 842 - 80, text)
        x += pdfmetrics.stringWidth(text, font, 10)
    c.showPage()
    c.save()
    assert _paragraphs(pdf, engine) == ["Anti-corruption bodies exist, and long-term funding is scarce."]


# ---------------------------------------------------------------------------------------------
# Paragraphs on a grid, and regions side by side (issue 25 point 5)
# ---------------------------------------------------------------------------------------------

GRID_PARAGRAPHS = PARAGRAPHS + [
    "Extortion of small traders is common in the markets of the capital. Gangs collect weekly payments and punish "
    "those who refuse, and the victims rarely report it.",
    "Cyber fraud has spread with mobile money. Call centres abroad target older people, and the banks are slow to "
    "freeze the accounts that receive the money.",
]


def _on_grid(blocks: list[list[str]], lead: float, extra: float, grid: float = 0.75,
             shifts: dict[tuple[int, int], float] | None = None) -> list[tuple[float, float, str, float, str]]:
    """Paragraphs of lines given by hand, set flush left with leading ``lead`` and ``extra`` points
    more between paragraphs, every baseline rounded to a grid of ``grid`` points (a producer that
    sets whole pixels). ``shifts`` (paragraph, line) -> points: from that line on, everything is set
    that much lower (a line box a taller glyph made taller)."""
    out = []
    y = 80.0
    for p, lines in enumerate(blocks):
        for k, line in enumerate(lines):
            y += (shifts or {}).get((p, k), 0.0)
            out.append((80.0, round(y / grid) * grid, "Helvetica", 9.5, line))
            y += lead
        y += extra
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_paragraphs_a_grid_step_apart_on_a_pixel_grid(tmp_path: Path, engine: str) -> None:
    """Leading 12.6 pt, baselines rounded to 0.75 pt: the leading is drawn as steps of 12.75 and
    12.0; paragraphs 1.3 pt further apart (10% of the leading) are steps of 13.5 and 14.25. Six
    paragraphs (they came out as fewer: 13.5 is not 10% above a leading measured as 12.75)."""
    blocks = [_wrap(text, "Helvetica", 9.5, 300.0) for text in GRID_PARAGRAPHS]
    pdf = tmp_path / "grid.pdf"
    _draw(pdf, _on_grid(blocks, 12.6, 1.3))
    assert _paragraphs(pdf, engine) == GRID_PARAGRAPHS


# Lines given by hand: in each paragraph one line closes a sentence and the next starts with a capital
GRID_LINES = [
    ["Criminal networks move cocaine through the northern ports,", "where customs checks are rare and officials are",
     "paid to look away. Seizures remain small and rare.", "Analysts estimate much larger flows than the seizures",
     "show, and the trade grows every year."],
    ["Arms trafficking follows the same routes. Weapons from", "old conflicts in the region are sold to armed groups.",
     "Gangs in the capital buy them too, and the police rarely", "trace them to their source or to their sellers."],
    ["Fuel smuggling is the largest illicit market by value.", "Subsidised fuel crosses the border in trucks and in",
     "small boats, and local officials take a share of the", "profits. Nobody has been charged in recent years."],
    ["Illegal logging has grown since the forest service lost", "its funding. Timber leaves the country with false",
     "papers, and the courts have not convicted anyone.", "Exports of hardwood are officially banned."],
]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_taller_line_inside_a_paragraph_is_no_paragraph_on_a_grid(tmp_path: Path, engine: str) -> None:
    """Leading 12.6 pt on a 0.75 pt grid, paragraphs 1.5 pt further apart; inside the first three
    paragraphs a line set 0.6 pt lower than the grid (a taller glyph's box), right after a line that
    closes a sentence, so that its step is a paragraph's (13.5). The document's own steps decide:
    such steps also come to lines in lower case (inside sentences), and the lines after a lowered
    line stand less far below the grid than after a paragraph's space. Four paragraphs."""
    lines = [line for block in GRID_LINES for line in block]
    shifts = {k: 0.75 for k in [(0, 1), (0, 3), (1, 2), (1, 3), (2, 3), (3, 2), (3, 3)]}
    pdf = tmp_path / "grid_taller.pdf"
    _draw(pdf, _on_grid(GRID_LINES, 12.6, 1.5, shifts=shifts))
    assert _paragraphs(pdf, engine) == [" ".join(block) for block in GRID_LINES], lines


@pytest.mark.parametrize("engine", ENGINES)
def test_a_change_column_just_left_of_the_narrative_column_stays_out_of_its_lines(tmp_path: Path,
                                                                                   engine: str) -> None:
    """The narrative in the right column, the score table in the left one, its change column ending
    18 pt left of the narrative's edge, its rows on nearly the baselines of the narrative's lines:
    the changes are never read into those lines (they came out ``compre-0.0 hensive``)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    y = 250.0
    for font, size, text, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 22), ("Helvetica-Bold", 11.0, "Criminal markets", 18),
                                   ("Helvetica-Bold", 9.5, "PEOPLE", 13.5)]:
        lines.append((307.0, y, font, size, text))
        y += step
    for text in NARRATIVE:
        for line in _wrap(text, "Helvetica", 9.5, 245):
            lines.append((307.0, y, "Helvetica", 9.5, line))
            y += 12.75
        y += 5
    rows = [(f"{label} {k}", score, change) for k in range(3) for label, score, change in TABLE[:3]]
    y = 244.5
    for label, score, change in rows:
        lines.append((43.0, y, "Helvetica", 9.5, label))
        lines.append((236.0 - stringWidth(score, "Helvetica", 9.5), y, "Helvetica", 9.5, score))
        lines.append((289.0 - stringWidth(change, "Helvetica", 9.5), y, "Helvetica", 9.5, change))
        y += 13.5
    pdf = tmp_path / "change_beside.pdf"
    _draw(pdf, lines)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == NARRATIVE


@pytest.mark.parametrize("engine", ENGINES)
def test_narrative_under_a_two_column_table_goes_on_in_the_right_column(tmp_path: Path, engine: str) -> None:
    """A score table in two columns (labels at the left edge and at the right column's edge, their
    scores under them), the narrative's heading and first lines under its left column, the
    paragraph going on at the top of the right column's room, higher than it started: the widest
    gap on the page (between the table's columns) is crossed by the narrative's lines and is not
    the page's gutter. One paragraph, in order (it came out with its right column's lines first)."""
    text = NARRATIVE[0] + " " + NARRATIVE[1]
    wrapped = _wrap(text, "Helvetica", 9.5, 255)
    lines = []
    y = 60.0
    pairs = [("Human trafficking", "Arms trafficking"), ("Government transparency and oversight", "Victim support"),
             ("National policies and laws", "Prevention"), ("Judicial system and detention", "Law enforcement")]
    for left, right in pairs * 3:
        lines.append((43.0, y, "Helvetica", 9.5, left))
        lines.append((312.0, y, "Helvetica", 9.5, right))
        lines.append((66.0, y + 9, "Helvetica", 9.5, "5.0"))
        lines.append((336.0, y + 9, "Helvetica", 9.5, "6.5"))
        y += 21
    y = 340.0
    for font, size, head, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 22), ("Helvetica-Bold", 11.0, "Criminal markets", 18),
                                   ("Helvetica-Bold", 9.5, "PEOPLE", 14)]:
        lines.append((43.0, y, font, size, head))
        y += step
    for line in wrapped[:2]:
        lines.append((43.0, y, "Helvetica", 9.5, line))
        y += 12.75
    y = 330.0
    for line in wrapped[2:]:
        lines.append((315.0, y, "Helvetica", 9.5, line))
        y += 12.75
    pdf = tmp_path / "under_two_columns.pdf"
    _draw(pdf, lines)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == [text]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("half", "right_top"), [(4, 280.0), (2, 268.0)])
def test_narrative_in_two_columns_under_a_three_column_table(tmp_path: Path, engine: str, half: int,
                                                             right_top: float) -> None:
    """A score table in three columns, its middle column across the page's middle, and under it
    on the same page the narrative in two columns, the text going on from the foot of the left
    column to the top of the right one: the page has no gutter from top to foot, its lower part
    has. Two paragraphs, in order (they came out with the columns' lines interleaved). Also with
    only two lines of prose under the left column's three headings, the right column starting
    higher than the first of them (WeasyPrint's China 26 of seed 5150002: the left side held too
    little prose to show the gutter, and the columns' lines came out interleaved)."""
    labels = ["Human trafficking", "Human smuggling", "Arms trafficking", "Flora crimes", "Fauna crimes",
              "Heroin trade", "Cocaine trade", "Cannabis trade"]
    lines = []
    y = 60.0
    for k, label in enumerate(labels * 3):
        x = (43.0, 250.0, 440.0)[k // len(labels)]
        lines.append((x, 60.0 + 24 * (k % len(labels)), "Helvetica", 9.5, label))
        lines.append((x, 69.0 + 24 * (k % len(labels)), "Helvetica", 9.5, "6.50"))
    y = 280.0
    left = []
    for font, size, head, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 22), ("Helvetica-Bold", 11.0, "Criminal markets", 18),
                                   ("Helvetica-Bold", 9.5, "PEOPLE", 14)]:
        left.append((43.0, y, font, size, head))
        y += step
    body = [(k, line) for k, text in enumerate(NARRATIVE) for line in _wrap(text, "Helvetica", 9.5, 240)]
    prev = 0
    for k, line in body[:half]:
        y += 5 if k != prev else 0
        prev = k
        left.append((43.0, y, "Helvetica", 9.5, line))
        y += 12.75
    y = right_top
    for k, line in body[half:]:
        y += 5 if k != prev else 0
        prev = k
        lines.append((307.0, y, "Helvetica", 9.5, line))
        y += 12.75
    pdf = tmp_path / "under_three_columns.pdf"
    _draw(pdf, lines + left)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == NARRATIVE


# ---------------------------------------------------------------------------------------------
# Paragraph boundaries where a producer's line boxes move the grid (issue 25 point 5)
# ---------------------------------------------------------------------------------------------

# Lines given by hand, the steps between their baselines too (pixel-grid values of a 12.6 pt leading,
# as a producer that snaps baselines to whole pixels draws them): inside the first paragraph a line
# that closes a sentence is followed by one starting with a capital a step of 13.5 below it, a step
# the leading also takes twice to lines in lower case; the paragraphs are 18 pt apart.
JITTER_LINES = [
    ["Criminal networks move cocaine through the northern ports,", "where customs checks are rare and officials are",
     "paid to look away. Seizures remain small and rare.", "Analysts estimate much larger flows than the seizures",
     "show, and the trade grows every year. Arms follow", "the same routes, and weapons from old conflicts",
     "are sold to armed groups in the capital and beyond", "the borders, where the police rarely trace them",
     "to their source or to their sellers."],
    ["Fuel smuggling is the largest illicit market by value.", "Subsidised fuel crosses the border in trucks and in",
     "small boats, and local officials take a share of the", "profits, though nobody has been charged with",
     "smuggling in recent years."],
]
JITTER_STEPS = [[12.75, 12.0, 13.5, 12.0, 12.75, 13.5, 12.0, 13.5], [12.75, 12.0, 12.75, 12.75]]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_step_the_leading_takes_inside_sentences_is_no_paragraph_space(tmp_path: Path, engine: str) -> None:
    """The leading drawn as steps of 12.0, 12.75 and 13.5 (12.75 the most frequent, 12.0 a quarter
    of them): a step of 13.5 after a closed sentence is more than a tenth above the lower quartile, but the leading
    itself takes it inside sentences twice, and the lines after it stand on the paragraph's grid.
    Two paragraphs (the first came out cut in two at that step)."""
    lines = []
    y = 80.0
    for block, steps in zip(JITTER_LINES, JITTER_STEPS, strict=True):
        for k, line in enumerate(block):
            lines.append((80.0, y, "Helvetica", 9.5, line))
            y += steps[k] if k < len(steps) else 18.0
    pdf = tmp_path / "jitter.pdf"
    _draw(pdf, lines)
    assert _paragraphs(pdf, engine) == [" ".join(block) for block in JITTER_LINES]


def _draw_runs(path: Path, rows: list[tuple[float, float, list[tuple[str, str]]]], size: float = 9.5) -> None:
    """One A4 page: each row is (x, y from the top, runs of (font, text)) drawn one after another."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for x, y, runs in rows:
        for font, text in runs:
            c.setFont(font, size)
            c.drawString(x, 842 - y, text)
            x += pdfmetrics.stringWidth(text, font, size)
    c.showPage()
    c.save()


# Lines given by hand; a hyphen written ``‐`` is drawn from another font (as a browser draws a
# visible hyphen that its text font lacks from a fallback font), whose deeper box makes the line box
# deeper: every line after such a line is set 1 pt lower.
FALLBACK_LINES = [
    ["Criminal networks move cocaine through the north\u2010western", "ports, where customs checks are rare and officials are",
     "paid to look away. Seizures remain small and rare.", "Analysts estimate much larger cross\u2010border flows than the",
     "seizures show, and the trade grows every year."],
    ["Arms trafficking follows the same routes. Weapons from", "old conflicts are sold to armed groups in the south\u2010east.",
     "Gangs in the capital buy them too, and the police rarely", "trace them to their source or to their sellers."],
    ["Fuel smuggling is the largest illicit market by value, and", "subsidised fuel crosses the border in trucks and small",
     "boats. Local officials take a share of the cash\u2010based", "profits. Nobody has been charged in recent years."],
    ["Illegal logging has grown since the forest service lost", "its funding. Timber leaves the country with false papers,",
     "and the courts have not convicted anyone in a decade."],
]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_line_with_a_fallback_fonts_glyph_moves_the_grid_but_starts_no_paragraph(tmp_path: Path, engine: str) -> None:
    """Leading 12.6 pt on a 0.75 pt grid, paragraphs 1.3 pt further apart; a line holding a hyphen
    of another font sets every line after it 1 pt lower (a deeper line box), inside sentences and,
    once, after a line that closes a sentence (``south-east.`` | ``Gangs``): the document's own
    steps after such lines measure how far they move the grid, and that is no paragraph's space,
    while the paragraph's space after ``sellers.`` is. Four paragraphs (the second and the third
    came out as one: the taller steps, taken for the leading's own, hid the paragraph's space)."""
    rows = []
    y = 80.0
    for block in FALLBACK_LINES:
        for line in block:
            parts = line.split("\u2010")
            runs = [("Helvetica", parts[0])]
            for part in parts[1:]:
                runs += [("Times-Roman", "-"), ("Helvetica", part)]
            rows.append((80.0, round(y / 0.75) * 0.75, runs))
            y += 12.6 + (1.0 if len(parts) > 1 else 0.0)
        y += 1.3
    pdf = tmp_path / "fallback_hyphen.pdf"
    _draw_runs(pdf, rows)
    assert _paragraphs(pdf, engine) == [" ".join(block).replace("\u2010", "-") for block in FALLBACK_LINES]


def _three_column_table(rows: int, score_x: tuple[float, float, float]) -> list[tuple[float, float, str, float, str]]:
    """A score table of three columns (labels at x 43, 230 and 440, each score on its label's
    baseline at ``score_x``) of ``rows`` rows 12 pt apart, from y 60."""
    labels = [i.label for i in taxonomy.INDICATORS][:rows]
    out = []
    for col, (x, sx) in enumerate(zip((43.0, 230.0, 440.0), score_x, strict=True)):
        for k in range(rows):
            label = labels[(k + col * 7) % len(labels)]
            out.append((x, 60.0 + 12 * k, "Helvetica", 7.5, label[:24]))
            out.append((sx, 60.0 + 12 * k, "Helvetica", 7.5, "6.50"))
    return out


NARRATIVE_HEADINGS = [("Helvetica-Bold", 14.0, "CRIMINALITY", 22.0), ("Helvetica-Bold", 11.0, "Criminal markets", 18.0),
                      ("Helvetica-Bold", 9.5, "PEOPLE", 14.0)]

# Lines given by hand, set across the page: several close a sentence at their end
ACROSS_LINES = [
    ["Human traffickers recruit young women from rural areas with promises of work abroad in the large cities.",
     "Victims are moved by road to the coast and then by sea, and very few cases ever reach the courts there.",
     "The police have opened more inquiries in recent years, but convictions remain rare in the whole country."],
    ["Smugglers charge migrants high fees for the crossing to the islands off the coast in every dry season.",
     "The trade is run by small family networks that pay the border guards and the port officials each month.",
     "The authorities seldom act against them."],
]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_one_column_narrative_under_a_table_of_three_columns_is_one_column(tmp_path: Path, engine: str) -> None:
    """A score table of three columns of twenty rows, and under it on the same page the narrative
    in one column across the whole page: its lines cross the gaps between the table's columns,
    one under the other, and are one column (each came out as a column of its own, so that every
    line closing a sentence ended its paragraph). Two paragraphs."""
    lines = _three_column_table(20, (150.0, 360.0, 540.0))
    y = 330.0
    for font, size, head, step in NARRATIVE_HEADINGS:
        lines.append((43.0, y, font, size, head))
        y += step
    for block in ACROSS_LINES:
        for line in block:
            lines.append((43.0, y, "Helvetica", 9.5, line))
            y += 12.75
        y += 5.0
    pdf = tmp_path / "across.pdf"
    _draw(pdf, lines)
    assert _paragraphs(pdf, engine) == [" ".join(block) for block in ACROSS_LINES]


@pytest.mark.parametrize("engine", ENGINES)
def test_two_columns_under_a_table_whose_column_gap_the_left_column_crosses(tmp_path: Path, engine: str) -> None:
    """A score table of three columns of twenty rows, the gap between its first two columns left of
    the page's middle, and under it the narrative in two columns: the left column's lines cross
    that gap (it is no gutter of the narrative's), the right column's first line stands higher
    than the narrative's first heading. Two paragraphs, in order (the two columns' lines came out
    read in turn, line by line)."""
    lines = _three_column_table(20, (190.0, 380.0, 540.0))
    y = 340.0
    for font, size, head, step in NARRATIVE_HEADINGS:
        lines.append((43.0, y, font, size, head))
        y += step
    body = [(k, line) for k, text in enumerate(NARRATIVE) for line in _wrap(text, "Helvetica", 9.5, 245)]
    half = 4
    prev = 0
    for k, line in body[:half]:
        y += 5 if k != prev else 0
        prev = k
        lines.append((43.0, y, "Helvetica", 9.5, line))
        y += 12.75
    y = 330.0
    for k, line in body[half:]:
        y += 5 if k != prev else 0
        prev = k
        lines.append((307.0, y, "Helvetica", 9.5, line))
        y += 12.75
    pdf = tmp_path / "across_gap.pdf"
    _draw(pdf, lines)
    assert _paragraphs(pdf, engine) == NARRATIVE


# ---------------------------------------------------------------------------------------------
# Table text never in the narrative's paragraphs (issue 25 point 5)
# ---------------------------------------------------------------------------------------------

NARROW_ROWS = [("Mafia-style groups", "9.50*", "0.0"), ("Criminal networks", "7.00*", "0.5"),
               ("State-embedded actors", "6.00*", "1.0"), ("Foreign actors", "7.50*", "0.0"),
               ("Private sector actors", "10.00*", "new"), ("Political leadership and", "1.00*", "0.0"),
               ("Law enforcement", "2.00*", "0.5"), ("Territorial integrity", "4.50*", "0.5"),
               ("Prevention", "1.50*", "0.0"), ("Non-state actors", "3.00*", "0.5")]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_narrow_table_beside_the_narrative_column_stays_out_of_its_paragraphs(tmp_path: Path,
                                                                                engine: str) -> None:
    """A narrow score table (labels, each with its score and change under it) in a column that ends
    a quarter of the way across the page, the narrative in the right column beside it from the
    page's top: no line ends in the page's middle third, and the gutter is the gap between the two.
    Neither a label nor a number is read into a paragraph (the page was read as one column, row by
    row: ``Identification of victims Mafia-style Groups remains difficult``)."""
    lines = []
    y = 62.0
    for label, score, change in NARROW_ROWS:
        lines.append((43.0, y, "Helvetica", 8.0, label))
        lines.append((43.0, y + 9, "Helvetica-Bold", 8.0, score))
        lines.append((75.0, y + 9, "Helvetica", 8.0, change))
        y += 34
    y = 70.0
    for font, size, text, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 22), ("Helvetica-Bold", 11.0, "Criminal markets", 18),
                                   ("Helvetica-Bold", 9.5, "PEOPLE", 14)]:
        lines.append((307.0, y, font, size, text))
        y += step
    for text in NARRATIVE:
        for line in _wrap(text, "Helvetica", 9.5, 245):
            lines.append((307.0, y, "Helvetica", 9.5, line))
            y += 12.75
        y += 5
    pdf = tmp_path / "narrow_table_beside.pdf"
    _draw(pdf, lines)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == NARRATIVE
    assert [b.text for b in cleaned.blocks if b.kind == "heading"] == ["CRIMINALITY", "Criminal markets", "PEOPLE"]
    other = " ".join(b.text for b in cleaned.blocks if b.kind == "other")
    assert all(label in other and score in other for label, score, _ in NARROW_ROWS)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("average", ["6.13 / 10", "6.13/10¹", "(6.13*)"])
def test_a_decorated_pillar_average_left_of_the_narrative_stays_out_of_its_paragraph(tmp_path: Path, engine: str,
                                                                                     average: str) -> None:
    """A score table on the left whose scores print their scale (``5.5 / 10``), its pillar averages
    set flush right at the table's right edge, just left of the narrative's column; the second
    pillar's average stands level with the middle of a paragraph. The average is the table's, with
    its scale, marks or brackets, and never a word of the paragraph (it came out ``porous 6.13 / 10
    frontiers``)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    y = 100.0
    for pillar, value, rows in [("Criminal markets", "6.00 / 10", MARKETS_SCALED), ("Criminal actors", average, ACTORS_SCALED)]:
        lines.append((43.0, y, "Helvetica-Bold", 9.0, pillar))
        lines.append((289.0 - stringWidth(value, "Helvetica-Bold", 9.0), y, "Helvetica-Bold", 9.0, value))
        y += 15
        for score, label in rows:
            lines.append((66.0, y, "Helvetica", 8.0, score))
            lines.append((96.0, y, "Helvetica", 8.0, label))
            y += 13.6
        y += 8
    y = 103.0
    for font, size, text, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 22), ("Helvetica-Bold", 11.0, "Criminal markets", 18),
                                   ("Helvetica-Bold", 9.5, "PEOPLE", 14)]:
        lines.append((307.0, y, font, size, text))
        y += step
    for text in NARRATIVE + NARRATIVE:
        for line in _wrap(text, "Helvetica", 9.5, 245):
            lines.append((307.0, y, "Helvetica", 9.5, line))
            y += 12.75
        y += 5
    pdf = tmp_path / "decorated_average.pdf"
    _draw(pdf, lines)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == NARRATIVE + NARRATIVE
    assert average in " ".join(b.text for b in cleaned.blocks if b.kind == "other")


MARKETS_SCALED = [("5.5 / 10", "Human Trafficking"), ("5.0 / 10", "Human Smuggling"), ("6.5 / 10", "Arms Trafficking"),
                  ("6.5 / 10", "Flora Crimes"), ("6.0 / 10", "Fauna Crimes"), ("6.5 / 10", "Non-Renewable Resource Crimes"),
                  ("6.0 / 10", "Heroin Trade"), ("6.0 / 10", "Cocaine Trade"), ("6.0 / 10", "Cannabis Trade"),
                  ("6.0 / 10", "Synthetic Drug Trade")]
ACTORS_SCALED = [("5.5 / 10", "Mafia-Style Groups"), ("6.5 / 10", "Criminal Networks"),
                 ("6.0 / 10", "State-Embedded Actors"), ("6.5 / 10", "Foreign Actors")]


THREE_COLUMNS = ["Human trafficking", "Human smuggling", "Arms trafficking", "Flora crimes", "Fauna crimes",
                 "Heroin trade", "Cocaine trade", "Cannabis trade", "Mafia-style groups", "Criminal networks",
                 "Foreign actors", "Prevention"]


#: Two paragraphs set across the page, lines given by hand: a long line that closes a sentence, then
#: a short one (each line well across the page's middle, or well left of it).
ACROSS = [["Human traffickers recruit young women from rural areas with promises of work abroad, and move them by road.",
           "Few cases reach the courts."],
          ["Smugglers charge migrants high fees for the crossing to the islands, and small family networks run the trade.",
           "The networks pay the border guards."]]


@pytest.mark.parametrize("engine", ENGINES)
def test_narrative_across_the_page_under_a_three_column_table(tmp_path: Path, engine: str) -> None:
    """A score table in three columns (label and score each), the narrative under it on the same
    page set across the whole page: the gap between the table's second and third columns is the
    page's gutter above, crossed by the narrative's long lines under it. The narrative is read as
    one column: two paragraphs (each long line came out as a band of its own and each short one as
    the left column: four paragraphs, cut where a line closes a sentence). Two summary lines above
    the table, of six words or more, cross the gaps between its columns too: where the narrative
    starts is under the table's last line."""
    lines = [(90.0, 40.0, "Helvetica", 8.0, "30th of 54 African countries +2 since 2021"),
             (300.0, 40.0, "Helvetica", 8.0, "31st of 54 African countries -2 since 2021")]
    for k, label in enumerate(THREE_COLUMNS * 3):
        x = (43.0, 230.0, 420.0)[k // len(THREE_COLUMNS)]
        y = 60.0 + 14 * (k % len(THREE_COLUMNS))
        lines.append((x, y, "Helvetica", 8.0, label))
        lines.append((x + 100, y, "Helvetica", 8.0, "6.50"))
    y = 260.0
    for font, size, head, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 22), ("Helvetica-Bold", 11.0, "Criminal markets", 18),
                                   ("Helvetica-Bold", 9.5, "PEOPLE", 14)]:
        lines.append((43.0, y, font, size, head))
        y += step
    for block in ACROSS:
        for line in block:
            lines.append((43.0, y, "Helvetica", 9.5, line))
            y += 12.75
        y += 4
    pdf = tmp_path / "across_under_three_columns.pdf"
    _draw(pdf, lines)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == [" ".join(block) for block in ACROSS]


@pytest.mark.parametrize("engine", ENGINES)
def test_two_narrative_columns_under_a_table_whose_column_gap_they_cross(tmp_path: Path, engine: str) -> None:
    """A score table in three columns (score, label, change), the narrative under it in two columns:
    the gap between the table's first and second columns is crossed only by the few lines of the
    narrative's left column (fewer than the table's middle column, whose labels run across the
    page's middle), and is no gutter for the narrative. Read column by column: the two paragraphs
    in order (each left line came out as a band across the page, between them the right column's
    lines and the table's rows, read into the paragraphs)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    for k, label in enumerate(THREE_COLUMNS * 3):
        x = (43.0, 246.0, 430.0)[k // len(THREE_COLUMNS)]
        y = 60.0 + 14 * (k % len(THREE_COLUMNS))
        lines.append((x, y, "Helvetica", 8.0, "6.5/10"))
        lines.append((x + 30, y, "Helvetica", 8.0, label))
        change = "-0.5"
        lines.append((x + 170 - stringWidth(change, "Helvetica", 8.0), y, "Helvetica", 8.0, change))
    y = 260.0
    for font, size, head, step in [("Helvetica-Bold", 14.0, "CRIMINALITY", 22), ("Helvetica-Bold", 11.0, "Criminal markets", 18),
                                   ("Helvetica-Bold", 9.5, "PEOPLE", 14)]:
        lines.append((43.0, y, font, size, head))
        y += step
    body = [(k, line) for k, text in enumerate(NARRATIVE) for line in _wrap(text, "Helvetica", 9.5, 250)]
    prev = 0
    for n, (k, line) in enumerate(body):
        if n == 4:
            y = 260.0  # the text goes on at the top of the right column
        y += 5 if k != prev else 0
        prev = k
        lines.append((43.0 if n < 4 else 310.0, y, "Helvetica", 9.5, line))
        y += 12.75
    pdf = tmp_path / "two_columns_across_a_table_gap.pdf"
    _draw(pdf, lines)
    cleaned = clean.clean_document(layout.load(pdf, engine=engine), ANY)
    assert [b.text for b in cleaned.blocks if b.kind == "paragraph"] == NARRATIVE


def test_a_soft_hyphen_inside_a_ligatures_text_is_not_drawn(tmp_path: Path) -> None:
    """Typst sets ``fi`` as one ligature glyph and gives it the text of the characters it stands for,
    a soft hyphen after them included where the source breaks the word there (``fi`` U+00AD
    ``nd``): the soft hyphen has no glyph of its own, so it is not drawn and the word is ``find``
    (before: ``fi-nd``, a hyphen read from a share of the ligature's box). Typst seed 9090923,
    profile 132 had 26 paragraphs so."""
    typst = pytest.importorskip("typst", reason="the typst package (test extra) is not installed")
    src = tmp_path / "main.typ"
    words = ["fi\u00adnd", "signi\u00adfi\u00adcant", "benefi\u00adcial", "profi\u00adts"]
    src.write_text('#set page(width: 300pt, height: 200pt)\n#set text(font: "Libertinus Serif", size: 11pt)\n'
                   "Officials " + " and ".join(words) + " here.\n", encoding="utf-8")
    pdf = tmp_path / "lig.pdf"
    pdf.write_bytes(typst.compile(str(src)))
    doc = layout.load(pdf)
    got = [w.text for p in doc.pages for w in p.words]
    for w in words:
        assert w.replace("\u00ad", "") in got, (w, got)


@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
def test_two_numbers_of_two_texts_drawn_into_each_other_are_two_words(tmp_path: Path, engine: str) -> None:
    """A pillar heading's change ``0.2`` (regular) whose last digit the next column's score ``7 out of
    10`` (bold) is drawn over, 3 pt into it: two numbers, never ``0.27`` (generator seed 9090931,
    profile 155: the criminal markets change read 0.27 and heroin trade's score lost). Two digits of
    one text, kerned, stay one word."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "collide.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    y = A4[1] - 100
    c.setFont("Helvetica", 7)
    c.drawString(100, y, "0.2")
    c.setFont("Helvetica-Bold", 7)
    c.drawString(100 + stringWidth("0.2", "Helvetica", 7) - 3, y, "7 out of 10")
    c.setFont("Helvetica", 7)
    c.drawString(100, y - 40, "0.27 out of 10")  # one text: one word ``0.27``
    c.showPage()
    c.save()
    words = [w.text for p in layout.load(pdf, engine=engine).pages for w in p.words]
    assert words.count("0.2") == 1 and "7" in words and words.count("0.27") == 1, words


@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
def test_a_blank_whose_next_text_starts_where_it_starts_is_no_space(tmp_path: Path, engine: str) -> None:
    """A browser breaking a word at a hyphenation point of a letter-spaced label draws ``Synthe`` and
    a blank as one text and ``tic drug trade`` as the next, starting where the blank starts: the
    blank has no advance, so it is no space (browser seed 9090942, profile 37: ``Synthe tic`` and
    ``Inter natio nal coo pera tion`` in the layout, mended only by the cleaner's lexicon). A blank
    that advances stays a space."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(595, 842))
    size = 9.0
    for y, second in ((100, 0.0), (140, stringWidth(" ", "Helvetica", size))):
        t = c.beginText(60, 842 - y)
        t.setFont("Helvetica", size)
        t.setCharSpace(1.2)  # letter-spaced, as the label is
        t.textOut("Synthe ")
        c.drawText(t)
        x = 60 + stringWidth("Synthe", "Helvetica", size) + 6 * 1.2 + second
        t = c.beginText(x, 842 - y)
        t.setFont("Helvetica", size)
        t.setCharSpace(1.2)
        t.textOut("tic drug trade")
        c.drawText(t)
    c.showPage()
    c.save()
    lines = [[w.text for w in ln.words] for ln in layout.load(pdf, engine=engine).pages[0].lines]
    assert lines == [["Synthetic", "drug", "trade"], ["Synthe", "tic", "drug", "trade"]], lines


@needs_serif
def test_a_letter_spaced_row_whose_text_holds_an_icon_glyph(tmp_path: Path) -> None:
    """A letter-spaced table row drawn as one text (``8.5 Fauna crimes ▼0.50``, as WeasyPrint sets a
    row's cells in one run): the arrow is read as an icon and taken out, leaving two pieces of one
    run. Each piece keeps its own place in the row's measured tracking (before: both pieces took
    the run's, and the row raised IndexError, a traceback instead of a profile)."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "row.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 200))
    text = c.beginText(40, 100)
    text.setFont(_serif(), 9)
    text.setCharSpace(1.2)
    text.textOut("8.5 Fauna crimes \u25bc0.50")
    c.drawText(text)
    c.showPage()
    c.save()
    page = layout.load(pdf).pages[0]
    assert [i.direction for i in page.icons] == [-1]
    assert [w.text for w in page.words] == ["8.5", "Fauna", "crimes", "0.50"]

