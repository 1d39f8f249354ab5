"""A third, independent producer of profile PDFs: Typst markup compiled by the Typst compiler.

Typst (the PyPI package ``typst``, Python bindings around the Rust compiler, fonts included) shares
nothing with the other two producers: its own layout engine (not reportlab's canvas, not Chromium's
Blink/Skia), its own font handling (rustybuzz shaping with the fonts' real ligatures ``fi``, ``fl``,
``ff``, ``ffi``, ``ft`` drawn as one glyph, kerning, CID fonts embedded as Identity-H with a ToUnicode
map of its own), its own hyphenation and its own image handling (PNG images embedded as image
XObjects, SVG converted to PDF paths). The templates here are written for Typst; only the names
(indicator ids, labels, groups, editions, countries) come from :mod:`octa.taxonomy` and the
summaries from :mod:`tests.oracle` (plain :mod:`decimal`). The truth numbers are drawn here from a
seeded random stream of their own: no octa parser is asked anything.

    from tests.producers import typeset
    pdfs = typeset.generate(20, seed=9191001, family="mixed", out_dir="/tmp/t")
    pdfs = typeset.generate(4, 7, "global", "/tmp/t", variations={"change_form": "png_triangle"})

Each profile writes ``<stem>.pdf``, ``<stem>.truth.json`` (an :class:`octa.model.Profile`) and
``<stem>.variation.json`` (the choice made in every class of :data:`VARIATIONS`; ``"none"`` where a
class does not apply). Everything is deterministic for a seed, the PDF bytes included (the PDF's
date is fixed). Choices come from a random stream of their own, so forcing a class leaves the truth
unchanged, except ``summary_change_decimals``: a summary change printed with one decimal is, in the
truth, the value printed (``+0.1`` for a difference of 0.0667: what the page says).

When the ``typst`` package is not installed, :class:`TypstUnavailable` is raised (tests turn that,
and only that, into a skip); a compile error of an installed Typst is a plain error.
"""

from __future__ import annotations

import hashlib
import json
import random
import struct
import tempfile
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from octa import taxonomy
from octa.model import Indicator, Paragraph, Profile, Rank, Section, Source, SummaryScore
from octa.model import Summary as SummaryModel
from tests.oracle import indicator_change, summary, unrounded

PRODUCER = "typst"
ENGINE = "typst"

PUBLISHER = {"global": "Global Organized Crime Index", "enact": "ENACT Africa Organised Crime Index"}

#: Every variation class and its values. A class that does not apply to a profile records "none".
VARIATIONS: dict[str, tuple[Any, ...]] = {
    # fonts: the two Typst ships inside the package, and two system fonts when installed
    "font": ("New Computer Modern", "Libertinus Serif", "DejaVu Sans", "Liberation Serif"),
    # standard: the font's own liga (fi, fl, ff, ffi, ffl; ft in Libertinus); discretionary: dlig too
    "ligatures": ("standard", "discretionary", "off"),
    "page_size": ("a4", "us-letter"),
    # summary boxes: side by side, or stacked one above the other (each with all its rank lines)
    "summary_layout": ("side_by_side", "stacked"),
    "summary_decimals": ("2", "short"),
    # a summary change printed with one decimal: `+0.1` for a difference of 0.0667
    "summary_change_decimals": (2, 1),
    # a tie: some rank lines printed `=23rd of 193 countries`
    "rank_ties": (False, True),
    "score_decimals": (1, 2),
    # a scale suffix on every indicator score and pillar average: `6.50/10`, `6.5 / 10`
    "score_suffix": ("none", "slash", "spaced_slash"),
    # a footnote mark on a few indicator scores (`7.50*`, `7.50¹`, `7.50†`) and the note under the table
    "footnote_mark": ("none", "asterisk", "superscript", "dagger"),
    # how a change's direction is printed: a sign; a raster PNG triangle (13 x 13 px); an SVG arrow
    # (Typst turns it into stroked paths); a Typst polygon (a filled vector path); a dingbat glyph
    # of a font (DejaVu Sans: diagonal arrows ➚ ➘); glyphs of an icon font of our own (ICON_FONT) whose
    # code points mislead: triangles at Private Use Area points, triangles at ≥ and ≤, diagonal arrows
    # at the Arabic letters ذ and د (the way the real ENACT 2025 text decodes); each icon beside the
    # unsigned number
    "change_form": ("sign", "png_triangle", "svg_arrow", "vector_triangle", "glyph_arrow", "icon_font_pua",
                    "icon_font_mapped", "icon_font_arabic"),
    "icon_side": ("before", "after"),
    "change_decimals": (1, 2),
    "new_form": ("n/a", "new", "\u2014"),
    "label_case": ("sentence", "upper", "smallcaps"),
    "group_rows": (False, True),
    # the score table in one column, or flowing from one column into the next (no repeated header)
    "table_columns": (1, 2),
    "table_rules": ("none", "rows", "grid"),
    # the narrative on a page of its own, or right after the table (sharing its last page)
    "narrative_start": ("new_page", "after_table"),
    "narrative_columns": (1, 2),
    # soft: U+00AD inside long words (Typst breaks there and draws a hyphen); auto: Typst's own
    # hyphenation patterns
    "hyphenation": ("none", "soft", "auto"),
    "text_align": ("left", "justify"),
    # the gap between paragraphs: ample, just above the leading, or none (a first-line indent only)
    "paragraph_break": ("gap", "tight_gap", "indent"),
}

#: (family, year) in the order a mixed run cycles through them.
EDITIONS: tuple[tuple[str, int], ...] = (("global", 2023), ("enact", 2025), ("global", 2021), ("enact", 2019),
                                         ("global", 2025), ("enact", 2023), ("enact", 2021))

#: A fixed date for the PDF (Typst writes it into the document info): same seed, same bytes.
TIMESTAMP = 1767225600  # 2026-01-01T00:00:00Z


class TypstUnavailable(RuntimeError):
    """The ``typst`` package is not installed: callers (tests) turn this, and only this, into a skip."""


class FontMissing(RuntimeError):
    """A font a variation names is not installed: Typst would silently set the text in another
    one and the variation record would lie, so the profile is not made (an error, not a skip)."""


def _compiler() -> Any:
    try:
        import typst
    except ImportError as exc:
        raise TypstUnavailable(f"the typst package is not installed (pip install typst): {exc}") from exc
    return typst


# ------------------------------------------------------------------------------------------------
# Truth
# ------------------------------------------------------------------------------------------------


@dataclass
class Truth:
    family: str
    year: int
    country: str
    continent: str
    region: str
    scores: dict[str, Decimal]
    previous: dict[str, Decimal] | None
    previous_year: int | None
    summary: dict[str, Decimal]
    summary_change_exact: dict[str, Decimal] | None  # unrounded differences of the means
    changes: dict[str, Decimal | None]
    ranks: list[tuple[str, str, int, int, str]]  # metric, scope, rank, of, area
    paragraphs: dict[str, str] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return self.previous is not None


def _grid(x: float) -> Decimal:
    return Decimal(min(20, max(2, round(x * 2)))) / 2


def draw_truth(rng: random.Random, family: str, year: int) -> Truth:
    pool = [c for c in taxonomy.COUNTRIES if family == "global" or c[1] == "Africa"]
    country, continent, region = pool[rng.randrange(len(pool))]
    centre = {"criminal_markets": rng.triangular(1.5, 8.5, 5.0), "criminal_actors": rng.triangular(2.0, 9.0, 5.5),
              "resilience": rng.triangular(1.5, 8.5, 4.0)}
    scores = {i.id: _grid(centre[i.pillar] + rng.uniform(-2.5, 2.5)) for i in taxonomy.indicators_for(year)}
    prev_year = taxonomy.previous_edition(family, year)
    previous = None
    if prev_year is not None:
        previous = {i.id: _grid(float(scores.get(i.id, _grid(centre[i.pillar]))) + rng.choice(
            (-1.5, -1, -0.5, -0.5, 0, 0, 0, 0, 0.5, 0.5, 1, 2))) for i in taxonomy.indicators_for(prev_year)}
    changes = {i: (indicator_change(s, previous.get(i)) if previous is not None else None)
               for i, s in scores.items()}
    exact = None
    if previous is not None and prev_year is not None:
        now, before = unrounded(scores, year), unrounded(previous, prev_year)
        exact = {k: now[k] - before[k] for k in now}
    cont_n, reg_n = taxonomy.area_counts()
    n = len(taxonomy.COUNTRIES)
    ranks = []
    for metric in ("criminality", "resilience"):
        g = rng.randint(1, n)
        c = max(1, min(cont_n[continent], round(g * cont_n[continent] / n) + rng.randint(-2, 2)))
        r = max(1, min(reg_n[region], c, round(c * reg_n[region] / cont_n[continent]) + rng.randint(0, 1)))
        if family == "global":
            ranks.append((metric, "global", g, n, "countries"))
        ranks += [(metric, "continent", c, cont_n[continent], continent), (metric, "region", r, reg_n[region], region)]
    return Truth(family, year, country, continent, region, scores, previous, prev_year, summary(scores, year),
                 exact, changes, ranks)


def _round(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def summary_change(t: Truth, metric: str, places: int) -> Decimal | None:
    """A summary change as printed with ``places`` decimals (the unrounded difference rounded half
    away from zero): the value the page states."""
    if t.summary_change_exact is None:
        return None
    return _round(t.summary_change_exact[metric], places)


# ------------------------------------------------------------------------------------------------
# Narrative: made-up English rich in ligatures (fi, fl, ff, ffi, ft) and hyphenated compounds
# ------------------------------------------------------------------------------------------------

_NAME = {"Congo, Dem. Rep.": "the Democratic Republic of the Congo", "Congo, Rep.": "the Republic of the Congo",
         "Korea, Rep.": "the Republic of Korea", "Korea, DPR": "North Korea", "Gambia": "the Gambia",
         "Micronesia (Federated States of)": "Micronesia", "Central African Republic": "the Central African Republic",
         "United States": "the United States", "United Kingdom": "the United Kingdom",
         "Netherlands": "the Netherlands", "Philippines": "the Philippines"}

_FIRST = {
    "criminal_markets": (
        "In {country}, {label} is a {level} market that officials find difficult to quantify.",
        "The market for {label} in {country} is {level}, and its profits flow through the {region} economy.",
        "{Label} in {country} remains {level}; the flows fluctuate with the seasons and with conflict nearby.",
        "Experts classify {label} in {country} as {level}, with traffickers shifting routes often.",
    ),
    "criminal_actors": (
        "The influence of {label} in {country} is {level} and has {trend} since the last assessment.",
        "In {country}, {label} are {level} actors whose efforts to infiltrate the economy are well-documented.",
        "{Label} exert a {level} influence in {country}, benefiting from ineffective oversight.",
    ),
    "resilience": (
        "In {country}, {label} is assessed as {level}, and it has {trend} since the previous edition.",
        "The effectiveness of {label} in {country} is {level} by the standards of {region}.",
        "{Label} in {country} is {level}; official figures on it are difficult to verify.",
    ),
}
_MORE = (
    "Cross-border flows through the south-western provinces are especially difficult to monitor.",
    "A 24-month review completed in mid-{year_before} identified significant shortfalls in staffing.",
    "Officials acknowledge that the financial flows involved are sizeable but fluctuate from year to year.",
    "Traffickers often shift their routes in response to enforcement, and profits are reinvested locally.",
    "The affluent north-eastern districts serve as a staging area for high-value consignments.",
    "Conflict in neighbouring states has amplified the flow of firearms and of fighters across the frontier.",
    "Specialised units were created in mid-{year_before}, but their effectiveness is difficult to establish.",
    "Justification for the classification of offences is often unclear, and verification of data is difficult.",
    "Several officials were dismissed after a 12-month inquiry into the misuse of official funds.",
    "Long-standing networks in the south-eastern border areas benefit from the affiliation of local officials.",
    "Efforts to identify beneficial owners have been insufficient, and offshore structures remain in use.",
    "The flow of illicit profits is facilitated by informal money transfer offices in the capital.",
    "A well-established coalition of civil-society groups offers shelter and legal aid to those affected.",
    "Few of the cases brought to court are finalised within the statutory time limits.",
    "Staff shortages and a lack of specialised training affect the office responsible for the response.",
    "Oversight of the fishing fleet and of offshore platforms remains insufficient.",
)
_LAST = (
    "Significant efforts will be required to reverse the trend.",
    "The outlook is difficult to forecast with confidence.",
    "Officials have pledged to strengthen the response in the coming cycle.",
    "",
)
_LEVEL = {
    "criminal_markets": ("negligible", "limited", "moderate", "significant", "severe"),
    "criminal_actors": ("negligible", "limited", "moderate", "significant", "severe"),
    "resilience": ("very ineffective", "largely ineffective", "moderately effective", "fairly effective",
                   "highly effective"),
}


def _trend(change: Decimal | None, pillar: str) -> str:
    if change is None:
        return "been measured for the first time"
    if change == 0:
        return "stayed flat"
    if pillar == "resilience":
        return "improved" if change > 0 else "deteriorated"
    return "intensified" if change > 0 else "diminished"


def make_paragraph(rng: random.Random, t: Truth, ind: taxonomy.Indicator) -> str:
    label = ind.label.lower()
    score = t.scores[ind.id]
    level = _LEVEL[ind.pillar][min(4, int((score - 1) / 2))]
    ctx = {"country": _NAME.get(t.country, t.country), "region": t.region, "level": level, "label": label,
           "Label": label[:1].upper() + label[1:], "trend": _trend(t.changes.get(ind.id), ind.pillar),
           "year_before": str(t.year - rng.randint(1, 4))}
    first = rng.choice(_FIRST[ind.pillar]).format(**ctx)
    more = [m.format(**ctx) for m in rng.sample(_MORE, rng.randint(2, 4))]
    return " ".join(x for x in (first, *more, rng.choice(_LAST)) if x)


_VOWEL = set("aeiouy")


def soft_hyphens(text: str) -> str:
    """U+00AD inside words of 8+ letters, between a vowel and a consonant followed by a vowel
    (``inter\u00adna\u00adtional``), 3+ letters from either end and from each other."""
    out_words = []
    for w in text.split(" "):
        core = w.rstrip(".,;:")
        if len(core) < 8 or not core.isalpha():
            out_words.append(w)
            continue
        lw = core.lower()
        cut, last = [], 0
        for k in range(3, len(core) - 3):
            if k - last >= 3 and lw[k - 1] in _VOWEL and lw[k] not in _VOWEL and lw[k + 1] in _VOWEL:
                cut.append(core[last:k])
                last = k
        cut.append(core[last:])
        out_words.append("\u00ad".join(cut) + w[len(core):])
    return " ".join(out_words)


def narrative_tree(year: int) -> list[tuple[list[str], int, list[str]]]:
    """(heading path, level, indicator ids of its paragraphs) in reading order (DOMAIN §4)."""
    inds = taxonomy.indicators_for(year)
    out: list[tuple[list[str], int, list[str]]] = [(["CRIMINALITY"], 1, []),
                                                   (["CRIMINALITY", "Criminal markets"], 2, [])]
    for g in taxonomy.groups_for("criminal_markets"):
        ids = [i.id for i in inds if i.group == g.id]
        if ids:
            out.append((["CRIMINALITY", "Criminal markets", g.heading], 3, ids))
    out.append((["CRIMINALITY", "Criminal actors"], 2, [i.id for i in inds if i.pillar == "criminal_actors"]))
    out.append((["RESILIENCE"], 1, []))
    for g in taxonomy.groups_for("resilience"):
        out.append((["RESILIENCE", g.heading], 2, [i.id for i in inds if i.group == g.id]))
    return out


# ------------------------------------------------------------------------------------------------
# Variation choices
# ------------------------------------------------------------------------------------------------


def choose_variations(rng: random.Random, family: str, year: int,
                      forced: dict[str, Any] | None = None) -> dict[str, Any]:
    forced = dict(forced or {})
    unknown = set(forced) - set(VARIATIONS)
    if unknown:
        raise ValueError(f"unknown variation classes: {', '.join(sorted(unknown))}")
    v: dict[str, Any] = {}
    for k, vals in VARIATIONS.items():
        pick = rng.choice(vals)  # always drawn: forcing one class leaves the others as they were
        if k in forced:
            if forced[k] not in vals:
                raise ValueError(f"{k} must be one of {vals!r}, not {forced[k]!r}")
            pick = forced[k]
        v[k] = pick
    if not taxonomy.has_changes(family, year):
        for k in ("change_form", "icon_side", "change_decimals", "new_form", "summary_change_decimals"):
            v[k] = "none"
    elif v["change_form"] == "sign":
        v["icon_side"] = "none"
    if not any(taxonomy.is_new_indicator(i.id, year, family) for i in taxonomy.indicators_for(year)) \
            or v["new_form"] == "none":
        v["new_form"] = "none"
    return v


# ------------------------------------------------------------------------------------------------
# Icons: PNG triangles written here with zlib, SVG arrows
# ------------------------------------------------------------------------------------------------


def png_triangle(up: bool, size: int = 13, rgb: tuple[int, int, int] = (0, 0, 0)) -> bytes:
    """A ``size`` x ``size`` RGBA PNG of a filled triangle (apex up or down) on transparency."""
    rows = []
    for y in range(size):
        yy = y if up else size - 1 - y  # distance from the apex row
        half = (yy + 0.5) * (size / 2) / size
        row = bytearray([0])  # filter: none
        for x in range(size):
            inside = abs(x + 0.5 - size / 2) <= half
            row += bytes((*rgb, 255 if inside else 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def svg_arrow(up: bool, colour: str) -> str:
    d = "M5 13 V2.5 M1.2 6.2 L5 1.5 L8.8 6.2" if up else "M5 1 V11.5 M1.2 7.8 L5 12.5 L8.8 7.8"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="14" viewBox="0 0 10 14">'
            f'<path d="{d}" stroke="{colour}" stroke-width="1.8" fill="none" stroke-linecap="round"/></svg>')


UP_COLOUR, DOWN_COLOUR = (176, 32, 40), (32, 120, 64)


def write_assets(folder: Path) -> None:
    (folder / "up.png").write_bytes(png_triangle(True, rgb=UP_COLOUR))
    (folder / "down.png").write_bytes(png_triangle(False, rgb=DOWN_COLOUR))
    (folder / "up.svg").write_text(svg_arrow(True, "#b02028"), encoding="utf-8")
    (folder / "down.svg").write_text(svg_arrow(False, "#207840"), encoding="utf-8")


#: The icon font (built by :func:`build_icon_font`, kept in the repository so that the producer
#: needs no font tools; ``tests/test_typst_producer.py`` checks that it is what the function builds).
ICON_FONT = Path(__file__).with_name("octa-icons.ttf")


def build_icon_font() -> bytes:
    """The icon font's bytes, built with fontTools (``pip install fonttools``): four glyphs, two
    triangles (apex up, apex down) and two diagonal arrows (up-right, down-right), each mapped to a
    Private Use Area point and to a misleading one, as real icon fonts are: the triangles also to
    ``≥`` and ``≤``, the arrows to the Arabic letters ``ذ`` and ``د``."""
    from io import BytesIO

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def glyph(*contours: list[tuple[int, int]]) -> Any:
        pen = TTGlyphPen(None)
        for pts in contours:
            pen.moveTo(pts[0])
            for pt in pts[1:]:
                pen.lineTo(pt)
            pen.closePath()
        return pen.glyph()

    def flip(pts: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(x, 700 - y) for x, y in reversed(pts)]

    up = [(80, 0), (500, 700), (920, 0)]  # clockwise, as TrueType outer contours go
    ne_head = [(420, 720), (880, 760), (840, 300)]
    ne_shaft = [(80, 110), (560, 590), (660, 490), (180, 10)]
    glyphs = {".notdef": glyph(), "space": glyph(), "up": glyph(up), "down": glyph(flip(up)),
              "upright": glyph(ne_head, ne_shaft), "downright": glyph(flip(ne_head), flip(ne_shaft))}
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(list(glyphs))
    fb.setupCharacterMap({0x20: "space", 0xE000: "up", 0xE001: "down", 0xE002: "upright", 0xE003: "downright",
                          0x2265: "up", 0x2264: "down", 0x0630: "upright", 0x062F: "downright"})
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({g: (1000 if g != ".notdef" else 500, 0) for g in glyphs})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Octa Icons", "styleName": "Regular", "uniqueFontIdentifier": "OctaIcons-Regular",
                       "fullName": "Octa Icons Regular", "psName": "OctaIcons-Regular", "version": "Version 1.000"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    fb.font["head"].created = fb.font["head"].modified = 3850000000  # fixed: same bytes every build
    fb.font.recalcTimestamp = False
    out = BytesIO()
    fb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------
# Formatting (Typst code: every text goes in as a string literal)
# ------------------------------------------------------------------------------------------------


def S(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ordinal(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def rank_line(family: str, scope: str, rank: int, of: int, area: str, tie: bool) -> str:
    r = ("=" if tie else "") + ordinal(rank)
    if family == "enact":
        return f"{r} of {of} {area + 'n' if area.endswith('Africa') else area} countries"
    if scope == "global":
        return f"{r} of {of} countries"
    return f"{r} of {of} countries in {area}"


def fmt_fixed(d: Decimal, places: int) -> str:
    return f"{d:.{places}f}"


def fmt_summary(d: Decimal, style: str) -> str:
    if style == "short" and d * 10 == (d * 10).to_integral_value():
        return f"{d:.1f}"
    return f"{d:.2f}"


_MARKS = {"asterisk": "*", "superscript": "\u00b9", "dagger": "\u2020"}


def score_text(d: Decimal, v: dict[str, Any], mark: bool = False) -> str:
    s = fmt_fixed(d, v["score_decimals"])
    if v["score_suffix"] == "slash":
        s += "/10"
    elif v["score_suffix"] == "spaced_slash":
        s += " / 10"
    if mark:
        s += _MARKS[v["footnote_mark"]]
    return s


def change_code(d: Decimal | None, mag: str, v: dict[str, Any], size: str) -> str:
    """Typst code (content) for a change: ``mag`` is the unsigned magnitude already formatted."""
    if d is None:
        return f"[#{S(v['new_form'])}]"
    form = v["change_form"]
    if d == 0 or form == "sign":
        sign = "" if d == 0 else ("+" if d > 0 else "\u2212")
        return f"[#{S(sign + mag)}]"
    up = d > 0
    if form == "png_triangle":
        icon = f'box(image("{"up" if up else "down"}.png", height: {size}))'
    elif form == "svg_arrow":
        icon = f'box(image("{"up" if up else "down"}.svg", height: {size}))'
    elif form == "vector_triangle":
        col = "rgb(176, 32, 40)" if up else "rgb(32, 120, 64)"
        pts = "(0pt, 6pt), (3.5pt, 0pt), (7pt, 6pt)" if up else "(0pt, 0pt), (7pt, 0pt), (3.5pt, 6pt)"
        icon = f"box(polygon(fill: {col}, {pts}))"
    elif form == "glyph_arrow":
        col = "rgb(176, 32, 40)" if up else "rgb(32, 120, 64)"
        icon = f'text(font: "DejaVu Sans", fill: {col}, {S(chr(0x279A) if up else chr(0x2798))})'
    elif form.startswith("icon_font_"):
        col = "rgb(176, 32, 40)" if up else "rgb(32, 120, 64)"
        ch = {"icon_font_pua": ("\ue000", "\ue001"), "icon_font_mapped": ("\u2265", "\u2264"),
              "icon_font_arabic": ("\u0630", "\u062f")}[form][0 if up else 1]
        icon = f'box(text(font: "Octa Icons", size: 0.8em, fill: {col}, {S(ch)}))'
    else:
        raise ValueError(form)
    gap = "h(2pt)"
    if v["icon_side"] == "before":
        return f"[#{icon}#{gap}#{S(mag)}]"
    return f"[#{S(mag)}#{gap}#{icon}]"


def indicator_change_code(d: Decimal | None, v: dict[str, Any]) -> str:
    mag = "" if d is None else f"{abs(d):.{v['change_decimals']}f}"
    return change_code(d, mag, v, "6.5pt")


def label_code(label: str, v: dict[str, Any], bold: bool = False) -> str:
    case = v["label_case"]
    inner = S(label.upper() if case == "upper" else label)
    if case == "smallcaps":
        inner = f"smallcaps({inner})"
    return f"text(weight: \"bold\", {inner})" if bold else f"[#{inner}]"


# ------------------------------------------------------------------------------------------------
# The document
# ------------------------------------------------------------------------------------------------


def _preamble(t: Truth, v: dict[str, Any]) -> str:
    pub = PUBLISHER[t.family]
    head = f"{pub.upper()} {t.year} \u2014 {t.country.upper()}"
    spacing = {"gap": "1.1em", "tight_gap": "0.78em", "indent": "0.55em"}[v["paragraph_break"]]
    indent = "1.2em" if v["paragraph_break"] == "indent" else "0pt"
    lig = v["ligatures"]
    site = "ocindex.net" if t.family == "global" else "enactafrica.org"
    return f"""
#set document(title: {S(t.country + " " + str(t.year))})
#set page(paper: "{v['page_size']}", margin: (left: 18mm, right: 18mm, top: 22mm, bottom: 20mm),
  header: context {{ if counter(page).get().first() > 1 {{
    set text(size: 7pt, fill: luma(110)); {S(head)}; h(1fr); {S(t.country)} }} }},
  footer: context {{ set text(size: 7pt, fill: luma(110)); {S(site)}; h(1fr);
    counter(page).display("1") }})
#set text(font: ({S(v['font'])}, "DejaVu Sans"), size: 9.5pt, lang: "en", hyphenate: {str(v['hyphenation'] == 'auto').lower()},
  ligatures: {str(lig != 'off').lower()}, discretionary-ligatures: {str(lig == 'discretionary').lower()})
#set par(justify: {str(v['text_align'] == 'justify').lower()}, leading: 0.55em, spacing: {spacing},
  first-line-indent: (amount: {indent}, all: true))
#set heading(numbering: none)
#show table: set par(justify: false)
#show heading.where(level: 1): it => block(above: 12pt, below: 6pt, text(size: 14pt, weight: "bold", it.body))
#show heading.where(level: 2): it => block(above: 10pt, below: 5pt, text(size: 11.5pt, weight: "bold", it.body))
#show heading.where(level: 3): it => block(above: 8pt, below: 4pt, text(size: 9.5pt, weight: "bold", it.body))
"""


def _summary_box(t: Truth, v: dict[str, Any], metric: str, ties: set[tuple[str, str]]) -> str:
    colour = "rgb(120, 20, 50)" if metric == "criminality" else "rgb(30, 80, 130)"
    num = fmt_summary(t.summary[metric], v["summary_decimals"])
    parts = [f'text(size: 8pt, weight: "bold", tracking: 0.06em, {S(metric.upper() + " SCORE")})', "linebreak()",
             f'text(size: 22pt, weight: "bold", {S(num)})']
    if t.has_changes:
        places = v["summary_change_decimals"]
        d = summary_change(t, metric, places)
        assert d is not None
        parts.append(f"h(8pt) + text(size: 10pt, {change_code(d, f'{abs(d):.{places}f}', v, '8pt')})")
    for m, scope, rank, of, area in t.ranks:
        if m == metric:
            parts.append(f"linebreak() + text(size: 8pt, fill: luma(60), "
                         f"{S(rank_line(t.family, scope, rank, of, area, (m, scope) in ties))})")
    body = " + ".join(parts)
    return f"block(width: 100%, stroke: (top: 2pt + {colour}), inset: (top: 5pt, bottom: 4pt), {{ {body} }})"


def _summary(t: Truth, v: dict[str, Any], ties: set[tuple[str, str]]) -> str:
    boxes = [_summary_box(t, v, m, ties) for m in ("criminality", "resilience")]
    if v["summary_layout"] == "side_by_side":
        return f"#grid(columns: (1fr, 1fr), column-gutter: 16pt, {boxes[0]}, {boxes[1]})\n"
    return f"#stack(dir: ttb, spacing: 10pt, {boxes[0]}, {boxes[1]})\n"


def _table(t: Truth, v: dict[str, Any], marked: set[str]) -> str:
    ncol = 3 if t.has_changes else 2
    cells: list[str] = []
    head = ["Indicator", "Score"] + (["Change"] if t.has_changes else [])
    cells += [f'text(weight: "bold", size: 7.5pt, {S(h.upper())})' for h in head]
    for pillar in taxonomy.PILLARS:
        row = [label_code(taxonomy.SUMMARY_LABELS[pillar], v, bold=True)]
        if pillar != "resilience":
            # a pillar average: always two decimals (it must reproduce), with the scale suffix if any
            row.append(f'text(weight: "bold", {S(score_text(t.summary[pillar], {**v, "score_decimals": 2}))})')
            if t.has_changes:
                places = v["summary_change_decimals"]
                d = summary_change(t, pillar, places)
                assert d is not None
                row.append(change_code(d, f"{abs(d):.{places}f}", v, "6.5pt"))
        else:
            row.append("[]")
            if t.has_changes:
                row.append("[]")
        cells += row
        last = None
        for ind in taxonomy.indicators_for(t.year, pillar):
            if v["group_rows"] and ind.group is not None and ind.group != last:
                heading = taxonomy.GROUPS_BY_ID[ind.group].heading
                cells.append(f'table.cell(colspan: {ncol}, text(size: 7pt, fill: luma(90), {S(heading)}))')
            last = ind.group
            cells.append(label_code(ind.label, v))
            cells.append(f"[#{S(score_text(t.scores[ind.id], v, ind.id in marked))}]")
            if t.has_changes:
                cells.append(indicator_change_code(t.changes[ind.id], v))
    rules = v["table_rules"]
    stroke = {"none": "none", "rows": "(x, y) => (bottom: 0.4pt + luma(190))", "grid": "0.5pt + luma(120)"}[rules]
    widths = "(1fr, auto, auto)" if t.has_changes else "(1fr, auto)"
    size = "8.5pt" if v["table_columns"] == 1 else "8pt"
    align = ", ".join(["left + horizon"] + ["right + horizon"] * (ncol - 1))
    table = (f"table(columns: {widths}, align: ({align}), "
             f"stroke: {stroke}, inset: (x: 4pt, y: 3pt), column-gutter: 6pt, "
             + ", ".join(cells) + ")")
    # the table's own text size, no hyphenation (labels wrap at spaces); set on the table itself so
    # that measuring it (two columns) sees what is drawn
    table = f"text(size: {size}, hyphenate: false, {table})"
    note = ""
    if marked:
        mark = _MARKS[v["footnote_mark"]]
        note = (f"#block(above: 4pt, text(size: 7pt, fill: luma(80), "
                f"{S(mark + ' Score revised after the regional review.')}))\n")
    if v["table_columns"] == 1:
        return f"#block(above: 12pt, {table})\n{note}"
    # two columns: the one table fills the first column and flows on into the second (a table
    # without a declared header row repeats nothing), in a block a little taller than half the table
    return (f"#block(above: 12pt, layout(size => {{ let t = {table}; "
            f"let w = (size.width - 16pt) / 2; let h = measure(block(width: w, t)).height; "
            f"block(height: h / 2 + 26pt, columns(2, gutter: 16pt, t)) }}))\n{note}")


def _narrative(t: Truth, v: dict[str, Any]) -> str:
    out = []
    for path, level, ids in narrative_tree(t.year):
        out.append(f"#heading(level: {level}, {S(path[-1])})")
        for i in ids:
            text = t.paragraphs[i]
            if v["hyphenation"] == "soft":
                text = soft_hyphens(text)
            out.append(f"#par({S(text)})")
    body = "\n".join(out)
    start = "#pagebreak()\n" if v["narrative_start"] == "new_page" else "#v(14pt)\n"
    if v["narrative_columns"] == 2:
        return f"{start}#columns(2, gutter: 18pt)[\n{body}\n]\n"
    return f"{start}{body}\n"


def profile_source(t: Truth, v: dict[str, Any], marked: set[str], ties: set[tuple[str, str]]) -> str:
    return "".join((
        _preamble(t, v),
        f'#text(size: 8.5pt, fill: rgb(120, 20, 50), tracking: 0.04em, {S(PUBLISHER[t.family] + " " + str(t.year))})\n',
        f'#block(above: 4pt, below: 10pt, text(size: 24pt, weight: "bold", {S(t.country)}))\n',
        _summary(t, v, ties),
        _table(t, v, marked),
        _narrative(t, v),
    ))


# ------------------------------------------------------------------------------------------------
# Truth profile (each paragraph's pages found in the printed text)
# ------------------------------------------------------------------------------------------------


def _letters(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t.lower() if c.isascii() and c.isalpha())


def truth_profile(t: Truth, v: dict[str, Any], stem: str, pdf: bytes, page_texts: list[str]) -> Profile:
    letters = [_letters(p) for p in page_texts]
    starts = [sum(len(x) for x in letters[:k]) for k in range(len(letters))]
    hay = "".join(letters)

    def page_at(offset: int) -> int:
        return max(k for k, s in enumerate(starts) if s <= offset) + 1

    sections: list[Section] = []
    cursor = 0
    for path, level, ids in narrative_tree(t.year):
        paras = []
        for i in ids:
            let = _letters(t.paragraphs[i])
            pages: list[int] = []
            k = hay.find(let[:50], cursor)
            if k >= 0:
                e = hay.find(let[-50:], k + 1)
                end = e + 50 if e >= 0 else k + 50
                pages = list(range(page_at(k), page_at(end - 1) + 1))
                cursor = end
            paras.append(Paragraph(text=t.paragraphs[i], indicator=i, pages=pages))
        sections.append(Section(path=path, heading=path[-1], level=level, paragraphs=paras,
                                page=paras[0].pages[0] if paras and paras[0].pages else None))
    for k, s in enumerate(sections):
        if s.page is None:
            s.page = next((x.page for x in sections[k + 1:] if x.page is not None), None)
    indicators = [Indicator(id=i.id, label=i.label, pillar=i.pillar, group=i.group, score=float(t.scores[i.id]),
                            change=None if t.changes[i.id] is None else float(t.changes[i.id]))
                  for i in taxonomy.indicators_for(t.year)]
    summ = {k: float(t.summary[k]) for k in taxonomy.SUMMARY_IDS}
    places = v["summary_change_decimals"]
    summary_scores = [SummaryScore(metric=k, score=summ[k],  # type: ignore[arg-type]
                                   change=None if not t.has_changes else float(summary_change(t, k, places)))
                      for k in taxonomy.SUMMARY_IDS]
    ranks = [Rank(metric=m, scope=s, rank=r, of=o, area=a)  # type: ignore[arg-type]
             for m, s, r, o, a in t.ranks]
    return Profile(source=Source(file=f"{stem}.pdf", sha256=hashlib.sha256(pdf).hexdigest(),
                                 pages=len(page_texts), engine=ENGINE),
                   family=t.family,  # type: ignore[arg-type]
                   country=t.country, year=t.year, summary=SummaryModel(**summ), summary_scores=summary_scores,
                   ranks=ranks, indicators=indicators, sections=sections)


# ------------------------------------------------------------------------------------------------
# Generation
# ------------------------------------------------------------------------------------------------


def _slug(country: str) -> str:
    return taxonomy.fold(country).replace(" ", "_")


@dataclass
class Plan:
    stem: str
    truth: Truth
    variation: dict[str, Any]
    marked: set[str]  # indicators whose score carries the footnote mark
    ties: set[tuple[str, str]]  # (metric, scope) of the rank lines printed with "="


def plan(index: int, seed: int, family: str, variations: dict[str, Any] | None = None,
         edition: tuple[str, int] | None = None) -> Plan:
    """Profile ``index`` of a run: stem, truth, variation choices (no rendering)."""
    if edition is None:
        eds = EDITIONS if family == "mixed" else tuple(e for e in EDITIONS if e[0] == family)
        if not eds:
            raise ValueError(f"family must be global, enact or mixed, not {family!r}")
        edition = eds[index % len(eds)]
    fam, year = edition
    t = draw_truth(random.Random(f"octa-typst:{seed}:{index}:truth"), fam, year)
    prose = random.Random(f"octa-typst:{seed}:{index}:prose")
    for ind in taxonomy.indicators_for(year):
        t.paragraphs[ind.id] = make_paragraph(prose, t, ind)
    v = choose_variations(random.Random(f"octa-typst:{seed}:{index}:variation"), fam, year, variations)
    deco = random.Random(f"octa-typst:{seed}:{index}:decoration")
    ids = [i.id for i in taxonomy.indicators_for(year)]
    marked = set(deco.sample(ids, deco.randint(1, 3))) if v["footnote_mark"] != "none" else set()
    keys = [(m, s) for m, s, *_ in t.ranks]
    ties = set(deco.sample(keys, deco.randint(1, 2))) if v["rank_ties"] else set()
    stem = f"typst_{fam}_{year}_{_slug(t.country)}_s{seed}_{index:04d}"
    return Plan(stem, t, v, marked, ties)


def render(p: Plan, folder: Path) -> bytes:
    """The PDF bytes of a planned profile (``folder``: a scratch folder holding the icons)."""
    typst = _compiler()
    write_assets(folder)
    main = folder / "main.typ"
    main.write_text(profile_source(p.truth, p.variation, p.marked, p.ties), encoding="utf-8")
    return typst.compile(str(main), root=str(folder), timestamp=TIMESTAMP, font_paths=[str(ICON_FONT.parent)])


def generate(count: int, seed: int, family: str, out_dir: str | Path, variations: dict[str, Any] | None = None,
             *, editions: Sequence[tuple[str, int]] | None = None) -> list[Path]:
    """Write ``count`` profiles (``<stem>.pdf``, ``.truth.json``, ``.variation.json``) into ``out_dir``
    and return the PDF paths. ``family``: global, enact or mixed (editions cycle with the index);
    ``variations`` forces classes (class -> value); ``editions`` overrides the (family, year) cycle.
    Raises :class:`TypstUnavailable` when the typst package is missing."""
    import pymupdf

    if family not in ("global", "enact", "mixed"):
        raise ValueError(f"family must be global, enact or mixed, not {family!r}")
    typst = _compiler()
    installed = set(typst.Fonts(font_paths=[str(ICON_FONT.parent)]).families())
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with tempfile.TemporaryDirectory(prefix="octa-typst-") as tmp:
        for i in range(count):
            ed = editions[i % len(editions)] if editions else None
            p = plan(i, seed, family, variations, ed)
            needed = {p.variation["font"], "DejaVu Sans", "Octa Icons"}
            if needed - installed:
                raise FontMissing(f"{p.stem}: font(s) {', '.join(sorted(needed - installed))} not installed "
                                  "(Debian: fonts-dejavu-core, fonts-liberation)")
            pdf = render(p, Path(tmp))
            target = out / f"{p.stem}.pdf"
            target.write_bytes(pdf)
            with pymupdf.open(stream=pdf, filetype="pdf") as doc:
                texts = [pg.get_text() for pg in doc]
            truth = truth_profile(p.truth, p.variation, p.stem, pdf, texts)
            (out / f"{p.stem}.truth.json").write_text(truth.to_json(), encoding="utf-8")
            (out / f"{p.stem}.variation.json").write_text(
                json.dumps(p.variation, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
            paths.append(target)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Typeset profile PDFs with Typst, with their truth.")
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--family", default="mixed")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--set", action="append", default=[], metavar="CLASS=JSONVALUE",
                    help="force a variation, e.g. --set change_form='\"png_triangle\"' --set table_columns=2")
    ap.add_argument("--source", action="store_true", help="also write each profile's Typst source (<stem>.typ)")
    args = ap.parse_args(argv)
    forced: dict[str, Any] = {}
    for s in args.set:
        k, _, val = s.partition("=")
        try:
            forced[k] = json.loads(val)
        except json.JSONDecodeError:
            forced[k] = val
    for path in generate(args.count, args.seed, args.family, args.out, forced or None):
        if args.source:
            p = plan(int(path.stem.rsplit("_", 1)[1]), args.seed, args.family, forced or None)
            path.with_suffix(".typ").write_text(profile_source(p.truth, p.variation, p.marked, p.ties),
                                                encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
