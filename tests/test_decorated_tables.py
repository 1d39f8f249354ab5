"""Score tables as other producers print them (issue 25, points 1–5 of the table side), on small
PDFs drawn here with reportlab (tests/pdf_tables.py): every expected value is written by hand in
tests/pdf_tables.py or below, never produced by octa.

- scores printed with their scale (``7.5/10``, ``7.5 out of 10``): a whole profile read fully;
- a row whose score's place holds a token not understood (``abc``, ``65%``): that row missing with
  an ``unread_cell`` finding quoting it, every other value read, its change never taken as its score;
- two summary boxes stacked, three rank lines each: each line goes to its own box's metric;
- a table flowing into the next column without repeating its header; a table ending above the
  narrative on one page; narrative in the column beside the table: no row takes a paragraph's number.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from octa.errors import NotAProfile
from octa.layout.page import Line, Page, Word
from octa.parse.scores import parse_token
from octa.pipeline import extract
from tests import oracle
from tests.pdf_tables import (
    ACTORS,
    MARKETS,
    RESILIENCE,
    ROWS,
    SUMMARY,
    draw,
    head,
    narrative,
    summary_box,
    table,
)

CRIM_RANKS = ["76th of 193 countries", "30th of 54 countries in Africa", "5th of 15 countries in West Africa"]
RES_RANKS = ["150th of 193 countries", "40th of 54 countries in Africa", "12th of 15 countries in West Africa"]
RANKS = [("criminality", "global", 76, 193), ("criminality", "continent", 30, 54), ("criminality", "region", 5, 15),
         ("resilience", "global", 150, 193), ("resilience", "continent", 40, 54), ("resilience", "region", 12, 15)]


def _change(printed: str) -> float | None:
    return None if printed == "n/a" else float(printed)


def _tables(rows: list[tuple[str, str, str, str]], score: str = "{}", x: float = 40, top: float = 230) -> list:
    """The three pillar tables, one under the other, each under its pillar heading and average."""
    items: list = []
    for heading, key, part in (("CRIMINAL MARKETS", "criminal_markets", rows[:15]),
                               ("CRIMINAL ACTORS", "criminal_actors", rows[15:20]),
                               ("RESILIENCE", "resilience", rows[20:])):
        items += [(x, top, heading, 10), (x + 190, top, SUMMARY[key], 10)]
        items += table(x, top + 14, part, score=score)
        top += 14 + 13 * len(part) + 6
    return items


def _profile(rows: list[tuple[str, str, str, str]] = ROWS, score: str = "{}") -> list:
    return [head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS)
            + summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS) + _tables(rows, score)]


def _check_all(profile, rows=ROWS, skip: frozenset[str] = frozenset()) -> list[str]:
    problems = []
    for _label, key, score, change in rows:
        if key in skip:
            continue
        ind = profile.indicator(key)
        got = None if ind is None else (ind.score, ind.change)
        if got != (float(score), _change(change)):
            problems.append(f"{key}: read {got}, printed {score} {change}")
    for key, value in SUMMARY.items():
        if getattr(profile.summary, key) != float(value):
            problems.append(f"summary {key}: read {getattr(profile.summary, key)}, printed {value}")
    return problems


def test_the_hand_written_profile_adds_up() -> None:
    """The summary scores written by hand are what the independent oracle computes."""
    scores = {key: score for _l, key, score, _c in ROWS}
    assert {k: str(v) for k, v in oracle.summary(scores, 2023).items()} == SUMMARY
    assert len(MARKETS) == 15 and len(ACTORS) == 5 and len(RESILIENCE) == 12


@pytest.mark.parametrize("form", ["{}/10", "{} / 10", "{} out of 10", "{}*"])
def test_a_profile_printing_every_score_decorated_is_read_fully(tmp_path: Path, form: str) -> None:
    profile = extract(draw(tmp_path / "p.pdf", _profile(score=form)))
    assert not _check_all(profile)
    for _label, key, score, _c in ROWS:
        ind = profile.indicator(key)
        assert ind.score_printed == form.format(score)  # the token as printed, kept
        assert ind.status == "ok"  # the printed averages reproduce
    assert sorted((r.metric, r.scope, r.rank, r.of) for r in profile.ranks) == sorted(RANKS)
    assert not [f for f in profile.validation if f.rule == "unread_cell" or f.severity == "error"]


@pytest.mark.parametrize(("token", "reason"), [("abc", "not a number"), ("65%", "percentage"),
                                               ("6.0/100", "scale of 100")])
def test_a_row_with_a_token_not_understood_is_reported_and_the_rest_read(tmp_path: Path, token: str,
                                                                          reason: str) -> None:
    rows = list(ROWS)
    k = next(i for i, r in enumerate(rows) if r[1] == "cannabis_trade")
    label, key, _score, _change = rows[k]
    rows[k] = (label, key, token, "+1.50")  # its change 1.50 lies on the score grid: never its score
    profile = extract(draw(tmp_path / "p.pdf", _profile(rows)))  # a profile, not "not a profile"
    assert not _check_all(profile, skip=frozenset({key}))
    ind = profile.indicator(key)
    assert ind.score is None and ind.status in ("missing", "inferred") and ind.score_printed == token
    found = [f for f in profile.validation if f.rule == "unread_cell"]
    assert len(found) == 1 and found[0].indicator == key
    assert f"Cannabis trade: {token!r}" in found[0].message and reason in found[0].message


def test_only_unread_rows_are_still_a_profile(tmp_path: Path) -> None:
    """Every score printed in a form octa does not read (a percentage): the rows are the table's all
    the same; the file is a profile with every row reported, not 'not a profile'."""
    rows = [(label, key, f"{int(Decimal(score) * 10)}%", change) for label, key, score, change in ROWS]
    profile = extract(draw(tmp_path / "p.pdf", _profile(rows)))
    unread = {f.indicator for f in profile.validation if f.rule == "unread_cell"}
    assert unread >= {key for _l, key, _s, _c in ROWS}
    assert all(i.score is None for i in profile.indicators)


def test_stacked_summary_boxes_give_each_rank_line_to_its_own_box(tmp_path: Path) -> None:
    """The resilience box right under the criminality box: the criminality's third rank line is
    nearer the resilience caption below it than its own caption above, and still the criminality's."""
    items = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS)
    items += summary_box(40, 154, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)
    profile = extract(draw(tmp_path / "p.pdf", [items + _tables(ROWS)]))
    assert sorted((r.metric, r.scope, r.rank, r.of) for r in profile.ranks) == sorted(RANKS)
    assert not _check_all(profile)


def test_tie_ranks_in_a_pdf(tmp_path: Path) -> None:
    crim = ["=76th of 193 countries", "30th= of 54 countries in Africa", "5th of 15 countries in West Africa"]
    items = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], crim)
    items += summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)
    profile = extract(draw(tmp_path / "p.pdf", [items + _tables(ROWS)]))
    assert sorted((r.metric, r.scope, r.rank, r.of) for r in profile.ranks) == sorted(RANKS)
    ties = {(r.metric, r.scope) for r in profile.ranks if r.tie}
    assert ties == {("criminality", "global"), ("criminality", "continent")}


def test_rank_lines_of_two_boxes_joined_into_one_line(tmp_path: Path) -> None:
    """Two summary boxes side by side, the left box's last rank line running up to the right box's
    (round 15's generator Turkmenistan 198): the layout joins them into one line, and each phrase
    still goes to its own box (before, the right box's was read as the left's, and dropped)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from octa.layout import load

    crim = ["10th of 193 countries", "1st of 46 countries in Asia", "=1st of 8 countries in Central Asia and the Caucasus"]
    res = ["152nd of 193 countries", "37th of 46 countries in Asia", "=7th of 8 countries in Central Asia and the Caucasus"]
    right = 40 + stringWidth(crim[2], "Helvetica", 8) + 2.0  # less than a space's width after its last word
    items = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], crim)
    items += [(right, 100, "RESILIENCE SCORE", 11), (right + 140, 100, SUMMARY["resilience"], 11)]
    items += [(right, 115 + 12 * k, line, 8) for k, line in enumerate(res)]
    pdf = draw(tmp_path / "p.pdf", [items + _tables(ROWS)])
    joined = [ln.text for ln in load(pdf).pages[0].lines if "=1st of 8" in ln.text]
    assert joined and "=7th of 8" in joined[0]  # (the drawing: one line holds both phrases)
    profile = extract(pdf)
    want = [("criminality", "global", 10, 193), ("criminality", "continent", 1, 46), ("criminality", "region", 1, 8),
            ("resilience", "global", 152, 193), ("resilience", "continent", 37, 46), ("resilience", "region", 7, 8)]
    assert sorted((r.metric, r.scope, r.rank, r.of) for r in profile.ranks) == sorted(want)
    assert {(r.metric, r.scope) for r in profile.ranks if r.tie} == {("criminality", "region"), ("resilience", "region")}


def test_a_table_flowing_into_the_next_column(tmp_path: Path) -> None:
    """The markets table fills the left column and goes on at the top of the right column, with no
    header repeated there; the other tables follow in the right column."""
    items = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS)
    items += summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)
    items += [(40, 230, "CRIMINAL MARKETS", 10), (40 + 190, 230, SUMMARY["criminal_markets"], 10)]
    items += table(40, 244, MARKETS[:9])
    items += table(320, 244, MARKETS[9:])  # the same table, on in the next column
    top = 244 + 13 * 6 + 6
    for heading, key, part in (("CRIMINAL ACTORS", "criminal_actors", ACTORS), ("RESILIENCE", "resilience", RESILIENCE)):
        items += [(320, top, heading, 10), (320 + 190, top, SUMMARY[key], 10)]
        items += table(320, top + 14, part)
        top += 14 + 13 * len(part) + 6
    profile = extract(draw(tmp_path / "p.pdf", [items]))
    assert not _check_all(profile)


def test_a_pillar_row_at_the_foot_of_its_column_over_the_note_on_its_marks(tmp_path: Path) -> None:
    """The markets table then the actors' pillar row (heading, average, change) fill the left
    column; under them stands the note explaining a footnote mark of the table (a line of words
    long as a sentence); the actors' rows and the resilience table go on in the right column. The
    note is not the narrative under a heading: the pillar row keeps its average."""
    rows = [r if r[1] != "flora_crimes" else (r[0], r[1], r[2] + "*", r[3]) for r in ROWS]
    items = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS)
    items += summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)
    items += [(40, 230, "CRIMINAL MARKETS", 10), (40 + 190, 230, SUMMARY["criminal_markets"], 10)]
    items += table(40, 244, rows[:15])
    foot = 244 + 13 * 15
    items += [(40, foot, "CRIMINAL ACTORS", 10), (40 + 190, foot, SUMMARY["criminal_actors"], 10)]
    items += [(40, foot + 24, "* Score revised after the regional review of the panel.", 7)]
    items += table(320, 244, rows[15:20])
    top = 244 + 13 * 5 + 6
    items += [(320, top, "RESILIENCE", 10), (320 + 190, top, SUMMARY["resilience"], 10)]
    items += table(320, top + 14, rows[20:])
    profile = extract(draw(tmp_path / "p.pdf", [items]))
    assert not _check_all(profile)


PARAGRAPH = [
    "Human trafficking is pervasive. Some 7.5 thousand victims were counted in 2022 and 6.0 per cent",
    "of them were minors; 3.5 of every 10 cases involved 5.0 or more people, and 4.0 million dollars",
    "were seized, 1.50 of them in cash, while 8.5 tonnes of goods and 2.0 boats were held at ports.",
]


def test_a_table_ending_above_the_narrative_on_its_page(tmp_path: Path) -> None:
    """The narrative starts on the page where the tables end, under them, its lines full of numbers
    in the table's columns: every row keeps its own numbers and none takes the paragraph's."""
    items = _profile()[0]
    items += [(40, 760, "CRIMINAL MARKETS", 12)] + narrative(40, 776, PARAGRAPH)
    profile = extract(draw(tmp_path / "p.pdf", [items]))
    assert not _check_all(profile)


@pytest.mark.parametrize("line", ["5.5 million more than in the year before, and",
                                  "5.5 per cent more than in the year before, and"])
def test_narrative_in_the_column_beside_the_table(tmp_path: Path, line: str) -> None:
    """The tables in the left column, the narrative in the right column from the same height, a row
    of the table (flora crimes) printed without a score, level with a paragraph line that starts
    with a number: the row takes no number of the paragraph, nor reports its words as a token."""
    rows = [r if r[1] != "flora_crimes" else (r[0], r[1], "", "") for r in ROWS]
    text = [line for part in PARAGRAPH for line in (part[:48], part[48:])]
    # the paragraph's line level with the flora row (the table's 7th row) starts with a number
    text += [line, "the 2.0 ports of the coast saw most of it."]
    items = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS)
    items += summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)
    items += _tables(rows) + narrative(330, 244, text, pitch=13.0)
    profile = extract(draw(tmp_path / "p.pdf", [items]))
    assert not _check_all(profile, rows, skip=frozenset({"flora_crimes"}))
    flora = profile.indicator("flora_crimes")
    assert flora is None or (flora.score is None and flora.score_printed is None)
    assert not [f for f in profile.validation if f.rule == "unread_cell"]


def test_narrative_column_beside_the_table_above_the_narrative_heading(tmp_path: Path) -> None:
    """The tables in the left column down to the narrative's first heading at its foot, the
    paragraph under that heading running on into the right column, whose lines stand level with the
    tables (WeasyPrint's Cabo Verde 50 of seed 5150031): those lines of running text are the
    paragraph's, not the tables' (before, the lines level with the tables were moved out of the
    narrative as a table's, and the paragraph ran on with the lines under them)."""
    import textwrap

    first = ("Human trafficking in the country is shaped by its long coast and weak border controls, and the "
             "networks that run it rely on officials at the ports who look away in exchange for regular "
             "payments. Victims are recruited with promises of work abroad and moved through the capital "
             "before they leave the country by sea or by road towards the north, where the routes divide "
             "again and some of them are sold on to other groups that control the crossings.")
    second = ("Human smuggling follows the same routes and often the same people, who move migrants for a "
              "fee and hand them over at the border to partners on the other side of it.")
    lines = textwrap.wrap(first, 50)
    items = _profile()[0] + [(40, 730, "CRIMINALITY", 12), (40, 748, "Criminal markets", 10)]
    items += narrative(40, 766, lines[:4])
    right = lines[4:] + textwrap.wrap(second, 50)
    items += [(330, 236 + 12 * k + (10 if k >= len(lines) - 4 else 0), line, 9) for k, line in enumerate(right)]
    profile = extract(draw(tmp_path / "p.pdf", [items]))
    texts = [p.text for sec in profile.sections for p in sec.paragraphs]
    assert first in texts, texts
    assert not _check_all(profile)


def _row_page(texts: list[str], size: float = 9.0) -> Page:
    """One line of words set at ``size`` in Helvetica with a word space between them (widths by
    reportlab's metrics), as the layout gives it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words, x = [], 40.0
    for t in texts:
        w = stringWidth(t, "Helvetica", size)
        words.append(Word(t, x, 100.0, x + w, 100.0 + size, 107.0, "Helvetica", size, 1))
        x += w + stringWidth(" ", "Helvetica", size)
    return Page(1, 595.0, 842.0, [], [], words=words, lines=[Line(words, 1)], built=True)


def test_a_number_ending_a_sentence_run_of_prose_is_prose() -> None:
    """Round 16's browser Malaysia 80: a narrative heading that is an indicator's label stood level
    with the other column's line of prose ending in a number, ``assessment. Authorities estimate
    that roughly 1.5`` (five words of letters before it, fewer than a run of running text needs, one
    ending a sentence), and took it as its score. A run with a sentence's end in it is running text
    from four words; a label's words, however many, end no sentence."""
    from octa.parse.scores.words import _prose_words
    from octa.parse.settings import DEFAULT_SETTINGS

    page = _row_page(["assessment.", "Authorities", "estimate", "that", "roughly", "1.5"])
    assert id(page.words[-1]) in _prose_words(page, DEFAULT_SETTINGS)
    for label in (["Extortion", "and", "protection", "racketeering", "7.50"],
                  ["Illicit", "trade", "in", "excisable", "goods", "6.5"]):
        page = _row_page(label)
        assert id(page.words[-1]) not in _prose_words(page, DEFAULT_SETTINGS), label


def test_the_methodology_report_is_still_not_a_profile(methodology_pdf: Path) -> None:
    """The index's methodology names every indicator in prose and in lists: no table of labels with
    a token beside each, so not a profile (also with rows not understood counted as table rows)."""
    with pytest.raises(NotAProfile):
        extract(methodology_pdf)


def test_narrative_headings_in_the_column_beside_the_table(tmp_path: Path) -> None:
    """Rows printed score first (``7.5  Human trafficking  +0.50``), the pillar headings label first
    with their average and its change; the narrative starts in the column beside the tables: its
    pillar heading CRIMINALITY stands on the baseline of the CRIMINAL MARKETS row, the markets
    average and its change between them, nearer the heading. A heading of the narrative (running
    text under it) takes no number: the criminality score stays the headline's, the markets
    average the table's."""
    items = head()
    for x, caption, value, ranks in ((40, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS),
                                     (320, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)):
        # the figure under its caption, large, then the rank lines
        items += [(x, 100, caption, 11), (x + 60, 126, value, 22)]
        items += [(x, 144 + 12 * k, line, 8) for k, line in enumerate(ranks)]
    top = 230
    for heading, key, part in (("CRIMINAL MARKETS", "criminal_markets", ROWS[:15]),
                               ("CRIMINAL ACTORS", "criminal_actors", ROWS[15:20]),
                               ("RESILIENCE", "resilience", ROWS[20:])):
        items += [(40, top, heading, 10), (220, top, SUMMARY[key], 10), (250, top, "+0.10", 10)]
        for k, (label, _id, value, change) in enumerate(part):
            y = top + 14 + 13 * k
            items += [(40, y, value, 8), (70, y, label, 8), (250, y, change, 8)]
        top += 14 + 13 * len(part) + 6
    items += [(300, 230, "CRIMINALITY", 11), (300, 246, "Criminal markets", 10)]
    items += narrative(300, 262, [line for part in PARAGRAPH for line in (part[:48], part[48:])], pitch=13.0)
    profile = extract(draw(tmp_path / "p.pdf", [items]))
    assert not _check_all(profile)


@pytest.mark.parametrize("form", ["{} out of 10", "{} / 10"])
def test_pillar_average_decorated_beside_its_heading_level_with_prose(tmp_path: Path, form: str) -> None:
    """The tables in the right column, each pillar heading with its average right after it as
    ``CRIMINAL ACTORS 5.50 out of 10``; in the left column a line of running text on the same
    baseline. The average sits between two words of letters (the heading's and the scale's), on a row
    of many words: it is the table's all the same, read with its scale, never the scale's ``10``."""
    items = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS)
    items += summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)
    top = 230
    for heading, key, part in (("CRIMINAL MARKETS", "criminal_markets", ROWS[:15]),
                               ("CRIMINAL ACTORS", "criminal_actors", ROWS[15:20]),
                               ("RESILIENCE", "resilience", ROWS[20:])):
        items += [(320, top, f"{heading} {form.format(SUMMARY[key])}", 9),
                  (40, top, "the trade grew in the north where many routes cross", 9)]
        items += table(320, top + 14, part, score=form)
        top += 14 + 13 * len(part) + 6
    profile = extract(draw(tmp_path / "p.pdf", [items]))
    assert not _check_all(profile)


def _with_misprint(key: str, printed: str) -> list[tuple[str, str, str, str]]:
    return [(label, k, printed if k == key else score, change) for label, k, score, change in ROWS]


@pytest.mark.parametrize("series", [1, 2])
def test_a_pair_of_rects_that_is_no_bar_chart_confirms_nothing(tmp_path: Path, series: int) -> None:
    """No bar chart on the page; under the human trafficking row, misprinted 8.5 (its pillar's
    printed average 5.23 needs 7.5), a grey box with a red box inside it from the same left edge,
    85% as long: a highlight, not a bar. Rects one inside the other are a bar only in a chart (at
    least three tracks of one length): the misprinted score is never ``ok``, and no bar is read."""
    rows = _with_misprint("human_trafficking", "8.5")
    boxes = []
    for k in range(series):  # one pair, or two pairs of one length: still no chart
        boxes += [(40, 246 + 13 * k, 100, 3, (0.85, 0.85, 0.85)), (40, 246 + 13 * k, 85, 3, (0.8, 0.1, 0.1))]
    profile = extract(draw(tmp_path / "p.pdf", _profile(rows), [boxes]))
    ind = profile.indicator("human_trafficking")
    assert ind.score == 8.5  # read as printed
    assert ind.bar_score is None and ind.status != "ok" and "bar" not in ind.confirmed_by


def test_a_bar_chart_of_three_tracks_is_read(tmp_path: Path) -> None:
    """The same page with a bar under each of the first three rows, on tracks of one length: a
    chart; each bar reads its row's printed score (7.5, 6.0, 5.5 of 10, drawn 75, 60, 55 of 100)."""
    widths = [75, 60, 55]
    boxes = []
    for k, w in enumerate(widths):
        boxes += [(40, 246 + 13 * k, 100, 3, (0.85, 0.85, 0.85)), (40, 246 + 13 * k, w, 3, (0.8, 0.1, 0.1))]
    profile = extract(draw(tmp_path / "p.pdf", _profile(), [boxes]))
    for key, want in (("human_trafficking", 7.5), ("human_smuggling", 6.0),
                      ("extortion_and_protection_racketeering", 5.5)):
        assert profile.indicator(key).bar_score == want


def _draw_clipped(path: Path, clip_right: float) -> Path:
    """The hand-written profile with the pillar tables drawn under a clip path whose right edge is
    ``clip_right`` (a table wider than its page's clip, as a browser cuts an overflowing column): the
    text layer keeps every glyph, the page draws only what is inside."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFillColorRGB(0, 0, 0)
    items = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS) \
        + summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)
    for x, top, text, size in items:
        c.setFont("Helvetica-Bold" if size >= 11 else "Helvetica", size)
        c.drawString(x, height - top, text)
    c.saveState()
    p = c.beginPath()
    p.rect(30, 40, clip_right - 30, height - 260)
    c.clipPath(p, stroke=0, fill=0)
    for x, top, text, size in _tables(ROWS):
        c.setFont("Helvetica-Bold" if size >= 10 else "Helvetica", size)
        c.drawString(x, height - top, text)
    c.restoreState()
    c.showPage()
    c.save()
    return path


def test_a_change_cut_off_by_a_clip_path_is_not_read(tmp_path: Path) -> None:
    """A change column that a clip path cuts through (its right edge 10.5 pt into each change, which
    starts at x = 290: through the point of ``+1.50`` and the second digit of ``-1.00``): the page
    draws ``+1.`` or ``-1.0`` cut in half, so no change can be read; each is left out with a finding,
    and every score (wholly inside the clip) is read. With the clip's edge past the column, the
    same file's changes are all read: the clip, not the file, decides."""
    whole = extract(_draw_clipped(tmp_path / "whole.pdf", 400))
    assert _check_all(whole) == []
    cut = extract(_draw_clipped(tmp_path / "cut.pdf", 290 + 10.5))
    for _label, key, score, change in ROWS:
        ind = cut.indicator(key)
        assert ind is not None and ind.score == float(score), key
        assert ind.change is None, (key, change, ind.change)
        if change != "n/a":  # the change as drawn, with the mark of its cut, and a finding that says so
            assert "\u2026" in (ind.change_printed or ""), (key, ind.change_printed)
            assert any(f.indicator == key and f.rule == "indicator_change" and "cut off" in f.message
                       for f in cut.validation), key
    for key, value in SUMMARY.items():
        assert getattr(cut.summary, key) == float(value)


def _wrapped_scale_tables(rows: list[tuple[str, str, str, str]], x: float = 40, top: float = 230) -> list:
    """The three pillar tables with each score's scale wrapped by a narrow cell: ``7.5 out of`` on
    the line of the label's first word, ``10`` under ``of`` on the next line, with the rest of the
    label (capitals, wrapped after its first word), as a browser sets ``7.50 out of 10`` and a label
    in cells too narrow for them."""
    items: list = []
    for heading, key, part in (("CRIMINAL MARKETS", "criminal_markets", rows[:15]),
                               ("CRIMINAL ACTORS", "criminal_actors", rows[15:20]),
                               ("RESILIENCE", "resilience", rows[20:])):
        items += [(x, top, heading, 10), (x + 190, top, SUMMARY[key], 10)]
        for k, (label, _id, value, change) in enumerate(part):
            y = top + 14 + 20 * k
            first, _, rest = label.upper().partition(" ")
            items += [(x, y, f"{value} out of", 8), (x + 26, y + 9, "10", 8), (x + 60, y, first, 8),
                      (x + 250, y, change, 8)]
            if rest:
                items.append((x + 60, y + 9, rest, 8))
        top += 14 + 20 * len(part) + 6
    return items


def test_a_score_whose_scale_a_narrow_cell_wrapped_onto_the_next_line(tmp_path: Path) -> None:
    """``7.5 out of`` beside the label and ``10`` under it: the scale is the number's (its ``out of``
    no label's words, its ``10`` no score), and every row reads its own score (before: ``10``
    read as the score of rows whose label starts lower, the others missing)."""
    pages = [head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS)
             + summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS)]
    top = 60
    second: list = []
    items = _wrapped_scale_tables(ROWS, top=230)
    # the resilience table on a second page (the three tables are taller than one A4 page)
    for it in items:
        (pages[0] if it[1] < 800 else second).append(it if it[1] < 800 else (it[0], it[1] - 800 + top, *it[2:]))
    if second:
        pages.append(second)
    p = extract(draw(tmp_path / "wrapped_scale.pdf", pages))
    assert _check_all(p) == []
    assert all(i.score_printed and i.score_printed.endswith("out of 10") for i in p.indicators)


def _tracked(x: float, top: float, text: str, size: float, tracking: float) -> list:
    """``text`` drawn a glyph at a time, ``tracking`` points apart beyond each glyph's width (as wide
    letter spacing sets it: the layout sees each glyph as a word of its own)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out = []
    for ch in text:
        out.append((x, top, ch, size))
        x += stringWidth(ch, "Helvetica", size) + tracking
    return out


def test_a_score_of_10_with_its_footnote_mark_torn_by_tracking(tmp_path: Path) -> None:
    """Scores printed with a footnote mark and wide letter spacing (``1`` ``0`` ``¹``, each glyph a
    word of its own): the score is 10 (before: ``1`` read as the score 1.0), and every other row
    (``7`` ``.`` ``5`` ``¹``) keeps its own."""
    rows = [(label, key, "10" if key == "national_policies_and_laws" else value, change)
            for label, key, value, change in ROWS]
    items: list = []
    for it in _tables(rows):
        x, top, text, size = it
        if size == 8 and any(text == r[2] for r in rows) and x == 40 + 190:
            items += _tracked(x, top, text + "¹", size, 2.5)
        else:
            items.append(it)
    p = extract(draw(tmp_path / "tracked_ten.pdf", [head() + items]))
    assert p.indicator("national_policies_and_laws").score == 10.0
    problems = _check_all(p, rows, skip=frozenset())
    # the printed resilience average was written for 3.5, not 10: only that arithmetic may disagree
    assert [x for x in problems if not x.startswith("summary")] == []


def _clip_words(path: Path, edge: float, texts: list[tuple[float, float, str]], font: str = "Helvetica") -> list[str]:
    """The words the layout reads on an A4 page whose texts ``(x, top, text)`` (size 8) are drawn
    under a clip path whose right edge is at ``edge``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from octa import layout

    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    c.saveState()
    p = c.beginPath()
    p.rect(30, 40, edge - 30, height - 80)
    c.clipPath(p, stroke=0, fill=0)
    c.setFont(font, 8)
    for x, top, text in texts:
        c.drawString(x, height - top, text)
    c.restoreState()
    c.showPage()
    c.save()
    return [w.text for pg in layout.load(path).pages for w in pg.words]


def test_a_number_ending_in_its_point_at_a_clip_edge_is_cut(tmp_path: Path) -> None:
    """A change of which a browser gave only ``1.`` (the ``5`` past the page's clip not drawn and not
    in the text layer), its point just reaching the clip's edge: the number is cut there (``1.…``),
    never read as 1. A line of prose ending in a number and its full stop at the same edge is text,
    and stays as printed."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    edge = 300 + stringWidth("1.", "Helvetica", 8) - 0.1
    prose = "Seizures fell sharply in 2019."
    words = _clip_words(tmp_path / "point.pdf", edge,
                        [(300, 100, "1."), (edge + 0.1 - stringWidth(prose, "Helvetica", 8), 140, prose)])
    assert "1.\u2026" in words and "1." not in words, words
    assert "2019." in words, words
    assert parse_token("1.\u2026").kind == "unread"


def test_a_number_ending_in_its_point_short_of_a_clip_edge_is_cut(tmp_path: Path) -> None:
    """A browser's print of a change column past the page's clip: the ``5`` of ``0.5`` starts just
    inside the clip's edge but its ink is wholly beyond, so the producer neither draws it nor puts it
    in the text layer, and ``0.`` ends a little short of the edge (Tunisia 74 of seed 9090992: 0.19 pt
    short). No digit fits between the point and the edge, so the number is cut (``0.…``), never read
    as 0; the same ``0.`` a whole digit's width or more inside the clip is left as printed, and so is
    a line of prose ending in its full stop short of the edge."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    edge = 300 + stringWidth("0.", "Helvetica", 8) + 0.3
    prose = "Seizures fell sharply."
    words = _clip_words(tmp_path / "short.pdf", edge,
                        [(300, 100, "0."), (300 - stringWidth("0", "Helvetica", 8) - 0.5, 120, "1."),
                         (edge - 0.3 - stringWidth(prose, "Helvetica", 8), 140, prose)])
    assert "0.\u2026" in words and "0." not in words, words
    assert "1." in words, words
    assert "sharply." in words, words


@pytest.mark.parametrize("engine", ["pymupdf", "pdfplumber"])
def test_a_number_the_page_edge_cuts_is_cut(tmp_path: Path, engine: str) -> None:
    """A change column running past the page's right edge, with no clip path of the producer's own
    (its glyphs are in the text layer, and the page box cuts what a viewer shows): ``0.50`` whose
    ``5`` the edge crosses at its middle reads as cut (``0.…``), never as ``0.5`` (before: a glyph
    off the page was dropped only when it began past the edge, so ``0.5`` was read from half a
    ``5``); a ``0.50`` that ends inside the page is read whole."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    from octa import layout

    pdf = tmp_path / "edge.pdf"
    width, height = 400.0, 300.0
    c = canvas.Canvas(str(pdf), pagesize=(width, height))
    c.setFont("Helvetica", 8)
    x = width - stringWidth("0.", "Helvetica", 8) - stringWidth("5", "Helvetica", 8) / 2
    c.drawString(x, height - 100, "0.50")
    c.drawString(x - 40, height - 120, "0.50")
    c.showPage()
    c.save()
    words = [w.text for pg in layout.load(pdf, engine).pages for w in pg.words]
    assert sorted(words) == ["0.50", "0.\u2026"], words


def test_a_number_with_its_arrow_ending_in_its_point_at_a_clip_edge_is_cut(tmp_path: Path) -> None:
    """Browser seed 9091002, profile 63 (Ethiopia 2023): a change printed with its arrow in the same
    text, ``▼1.`` of ``▼1.0``, its point reaching the page's clip (the ``0`` not drawn, not in the
    text layer): cut there (``▼1.…``) as a bare ``1.`` is (before: read ``1.`` with a direction
    finding, while the other rows' ``0.`` were cut)."""
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.exists():
        pytest.skip("DejaVu Sans (fonts-dejavu-core) is not installed")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("OctaTestSans", str(font)))
    edge = 300 + pdfmetrics.stringWidth("\u25bc1.", "OctaTestSans", 8) - 0.3
    words = _clip_words(tmp_path / "arrow_point.pdf", edge, [(300, 100, "\u25bc1.")], font="OctaTestSans")
    assert any(w.endswith("1.\u2026") for w in words) and "1." not in words, words


def _spread_tables(rows: list[tuple[str, str, str, str]], bars: bool, top: float = 230) -> tuple[list, list]:
    """The three pillar tables with every row laid out on its own (as WeasyPrint sets a table whose
    cells it sizes row by row): ``score [bar] change label``, the score, the change and the label
    each a little elsewhere on every row (offsets written here), the change signed or ``n/a``, a
    bar (track and fill) between score and change when ``bars``. Returns (items, boxes)."""
    items: list = []
    boxes: list = []
    shifts = [0, 7, -5, 12, 3, -8, 9, -2, 5, -6, 11, 1, -4, 8, -7]
    n = 0
    for heading, key, part in (("CRIMINAL MARKETS", "criminal_markets", rows[:15]),
                               ("CRIMINAL ACTORS", "criminal_actors", rows[15:20]),
                               ("RESILIENCE", "resilience", rows[20:])):
        items += [(40, top, heading, 10), (330, top, SUMMARY[key], 10)]
        for k, (label, _id, value, change) in enumerate(part):
            y = top + 14 + 13 * k
            a, b = shifts[n % 15], shifts[(n + 4) % 15]
            n += 1
            items += [(60 + a, y, value, 8), (150 + b, y, change, 8), (185 + b, y, label.upper(), 8)]
            if bars:  # the track from after the score to before the change, the fill on it
                x0, x1 = 60 + a + 16, 150 + b - 6
                boxes += [(x0, y - 6, x1 - x0, 4, (0.85, 0.85, 0.85)),
                          (x0, y - 6, (x1 - x0) * float(value) / 10, 4, (0.5, 0.1, 0.2))]
        top += 14 + 13 * len(part) + 6
    return items, boxes


@pytest.mark.parametrize("bars", [True, False])
def test_rows_laid_out_one_by_one_score_far_from_change_and_label(tmp_path: Path, bars: bool) -> None:
    """WeasyPrint (a layout engine octa was never tuned on) printed the browser producer's tables
    as rows ``8.5*  [bar]  0.00  HUMAN TRAFFICKING``, every cell a little elsewhere on each row,
    the score 80 pt or more from its change: the bar between them is part of the row, and with no
    bar the change alone beside the label takes the row's score past the gap (before: a file of
    such rows was "not a profile", or read with most rows missing). Each row's changes lining up
    with other rows' scores by chance makes none of them a change."""
    rows = ROWS
    items, boxes = _spread_tables(rows, bars)
    page = head() + summary_box(40, 100, "CRIMINALITY SCORE", SUMMARY["criminality"], CRIM_RANKS) \
        + summary_box(320, 100, "RESILIENCE SCORE", SUMMARY["resilience"], RES_RANKS) + items
    profile = extract(draw(tmp_path / "spread.pdf", [page], [boxes]))
    assert _check_all(profile, rows) == []
    assert all(i.status == "ok" for i in profile.indicators)
