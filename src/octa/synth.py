"""Synthetic OCTA-style profile PDFs with exact ground truth (``octa synth``).

Each profile is drawn with reportlab from a :class:`ProfileSpec` (country, edition, scores that obey
the index's exact arithmetic, ranks, narrative) and a set of layout variants, and carries the
garbling real profiles show under plain text extraction: words split by tracking gaps, two-line
labels interleaved with their neighbours, arrow glyphs from symbol fonts, ligature glyphs,
hyphenated line ends, paragraphs broken by column and page breaks, overprinted lines and chart
residue. Beside ``<stem>.pdf`` the generator writes ``<stem>.truth.json`` (a
:class:`octa.model.Profile`) and ``<stem>.variants.json`` (the layout variants it used).

``generate(..., variations="all")`` (``octa synth --variations all``) or a ``{class: value}`` dict
also draws the classes of :data:`VARIATION_CLASSES`, the habits of other producers that the parser
must not rely on (numbers with 0/1/2 decimals per role, changes signed, parenthesised or unsigned
with the direction only in a vector icon, a coloured shape or an arrow glyph, label case, spacing
and wrapping, row orders, ruled grids, table columns, group headings, soft hyphens; and, issue 25,
decorated scores ``6.50/10`` ``7.50*`` ``[6.5]``, tie ranks ``=23rd``, direction icons as PNG
images or as icon-font glyphs whose code points mislead, stacked summary boxes, the narrative
below or beside the table, a grid header only in the first column, hard hyphens at line ends,
U+00AD drawn visibly, one-decimal summary changes and a tight paragraph gap), and records them in
``<stem>.variation.json``. Without it the output is byte for byte what it was before.

Everything is a function of the seed: the same ``(count, seed, family)`` gives the same bytes.
Only fonts shipped with reportlab (the standard 14 and Bitstream Vera) are used, so the output does
not depend on the fonts installed on the machine; with variations also ``OctaIcons`` (package data,
``src/octa/fonts/OctaIcons.ttf``, rebuilt byte for byte by ``scripts/make_icon_font.py``).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from octa import prose, scoring, taxonomy
from octa.model import Indicator, Paragraph, Profile, Rank, Section, Source, Summary, SummaryScore

ENGINE = "synth"

#: (family, year) combinations, the order a mixed run cycles through them.
COMBOS: tuple[tuple[str, int], ...] = tuple((f, y) for f in taxonomy.FAMILIES for y in taxonomy.EDITIONS[f])

#: The name each family's profiles print (the taxonomy's ``name``).
PUBLISHER = {f: taxonomy.family(f).name for f in taxonomy.FAMILIES}

#: Every categorical layout variant and its possible values (booleans are listed as such).
VARIANT_CHOICES: dict[str, tuple[Any, ...]] = {
    "page_size": ("A4", "Letter"),
    "font": ("helvetica", "times", "courier", "vera"),
    "table_columns": (1, 2, 3),
    "label_side": ("left", "right"),
    "label_case": ("upper", "title", "sentence"),
    "ampersand": (False, True),
    "change_style": ("symbol_arrows", "zapf_triangles", "signs"),
    "bars": (False, True),
    "table_group_headings": (False, True),
    "narrow_labels": (False, True),
    "split_score_headings": (False, True),
    "tracked_headings": ("none", "light", "wide"),
    "narrative_columns": (1, 2),
    "header_style": ("country_first", "index_first"),
    "footer_style": ("page_of", "number"),
    "ligatures": (False, True),
    "overprint": (False, True),
    "merge_paragraphs": (False, True),
}

#: The variation matrix (``generate(..., variations=...)``, issue 15): producer habits the parser
#: must not rely on, one class per habit. A profile drawn with variations records its values in
#: ``<stem>.variation.json``. Several classes take over an existing layout variant (named in
#: :data:`VARIATION_VARIANTS`), which then records the same choice. With ``variations=None``
#: (the default) none of this is drawn and the output is what it always was.
VARIATION_CLASSES: dict[str, tuple[Any, ...]] = {
    # number formats per role
    "score_decimals": ("g", 1, 2),  # indicator scores: 7 / 7.5 (%g), 7.0 / 7.5, 7.00 / 7.50
    "summary_decimals": (1, 2),  # summary scores and their changes: 1 where exact (5.40 -> 5.4), else 2
    "change_decimals": (1, 2),  # indicator changes: 0.5 / 0.50
    # how a change shows its direction
    "change_form": ("signed", "signed_minus", "parentheses", "vector_triangle", "vector_arrow",
                    "colour_shape", "text_triangles", "text_arrows", "symbol_arrows", "zapf_triangles"),
    "change_icon_side": ("before", "after"),  # where an icon or arrow glyph sits beside the number
    "new_indicator": ("n/a", "\u2013", "new"),  # the change of an indicator new in the edition
    # labels
    "label_case": ("upper", "title", "sentence"),
    "label_amp": ("&", "and"),
    # char_space of the table labels: light 0.08 em (extracts as words), wide 0.2 em (extractors
    # space every letter out and lose the word spaces: "H u m a n t r a f f i c k i n g")
    "letter_spacing": ("none", "light", "wide"),
    "label_wrap": (1, 2, 3, 4),  # the longest labels take this many lines in a column just wide enough
    # table layout
    "row_order": ("label_score_change", "score_change_label", "score_label_change", "score_below_label"),
    "table_grid": (False, True),  # ruled cells with a header row INDICATOR SCORE CHANGE
    "table_columns": (1, 2, 3),
    "group_headings": (False, True),  # the groups' heading rows in the table
    # narrative
    "soft_hyphens": ("none", "inword", "lineend", "both"),  # U+00AD inside words / as the line-end hyphen
    # issue 25 (appended, so that the classes above draw what they drew before)
    # decorations around every score and average (the truth bbox is the number's): a scale suffix,
    # a footnote or emphasis mark, a no-break / figure / narrow space inside the token, brackets
    "score_decoration": ("none", "slash10", "spaced_slash10", "out_of_10", "nbsp_slash10", "star",
                         "superscript_one", "dagger", "figure_space", "brackets"),
    "rank_tie": ("none", "first", "all"),  # "=23rd of 193 countries" (the truth's rank is the printed number)
    # the direction of a change as a raster image or an icon-font glyph whose code point misleads
    # (drawn a triangle or arrow, mapped to ≥/≤, Arabic letters, Private Use Area points; diagonal
    # arrows ➚/➘ mapped to ذ/د), beside the unsigned number: replaces change_form's direction
    "direction_icon": ("none", "raster", "font_ge_le", "font_arabic", "font_pua", "font_diagonal"),
    "summary_layout": ("side_by_side", "stacked"),  # the two summary boxes, each with its rank lines
    # where the narrative starts: a new page, on the table's last page below it, or in the column
    # beside the table (both in two narrative columns)
    "narrative_start": ("new_page", "after_table", "beside_table"),
    "header_repeat": (True, False),  # a grid table's header row in every column, or only in its first
    "hard_hyphen_breaks": (False, True),  # compounds ("south-western", "24-month", "mid-2023") broken at line ends
    "visible_soft_hyphen": (False, True),  # a compound's hyphen mid-line drawn visibly, U+00AD in the text layer
    "summary_change_places": (2, 1),  # 1: summary changes at one decimal (+0.1 for 0.0667)
    "paragraph_gap": ("normal", "tight"),  # tight: the gap only a little larger than the leading
}

#: The classes issue 25 added, at their plain value (the first): a caller that measures only the
#: earlier matrix forces these, e.g. ``variations={**ISSUE25_PLAIN, "row_order": ...}``.
ISSUE25_PLAIN: dict[str, Any] = {c: VARIATION_CLASSES[c][0] for c in (
    "score_decoration", "rank_tie", "direction_icon", "summary_layout", "narrative_start", "header_repeat",
    "hard_hyphen_breaks", "visible_soft_hyphen", "summary_change_places", "paragraph_gap")}

#: Variation classes that decide an existing layout variant: class -> (variant, value -> variant value).
VARIATION_VARIANTS: dict[str, tuple[str, dict[Any, Any]]] = {
    "label_case": ("label_case", {c: c for c in ("upper", "title", "sentence")}),
    "label_amp": ("ampersand", {"&": True, "and": False}),
    "table_columns": ("table_columns", {1: 1, 2: 2, 3: 3}),
    "group_headings": ("table_group_headings", {False: False, True: True}),
    "row_order": ("label_side", {"label_score_change": "left", "score_change_label": "right",
                                 "score_label_change": "left", "score_below_label": "left"}),
}

FONTS = {
    "helvetica": ("Helvetica", "Helvetica-Bold"),
    "times": ("Times-Roman", "Times-Bold"),
    "courier": ("Courier", "Courier-Bold"),
    "vera": ("Vera", "VeraBd"),
}
LIG_FONT = "OctaLig"
#: Vera whose ▲▼↑↓ map to Vera glyphs (∆, v, ^, ˇ): arrows in a normal (TrueType, ToUnicode) font.
SYM_FONT = "OctaSym"
SYM_GLYPHS = {0x25B2: 0x2206, 0x25BC: ord("v"), 0x2191: ord("^"), 0x2193: 0x02C7}
SHY = "\u00ad"
#: OctaIcons (``src/octa/fonts/OctaIcons.ttf``, made by ``scripts/make_icon_font.py``): triangles and
#: arrows mapped to misleading code points, a visible U+00AD and blank figure/thin spaces
ICON_FONT = "OctaIcons"
ICON_FONT_FILE = Path(__file__).parent / "fonts" / "OctaIcons.ttf"
#: direction_icon -> (up, down) code points of OctaIcons
ICON_GLYPHS = {"font_ge_le": ("\u2265", "\u2264"), "font_arabic": ("\u0631", "\u0632"),
               "font_pua": ("\ue000", "\ue001"), "font_diagonal": ("\u0630", "\u062f")}
_SHY_VIS = "\ue0ae"  # a compound's hyphen drawn visibly as OctaIcons' U+00AD, until it is drawn
#: characters drawn in OctaIcons inside a text run of another font (the marker drawn as U+00AD)
_ICON_CHARS = {"\u2007": "\u2007", "\u2009": "\u2009", "\u202f": "\u202f", _SHY_VIS: SHY}
#: score_decoration -> (prefix, suffix) around a number (figure_space: see :func:`_decoration`)
DECORATIONS = {"none": ("", ""), "slash10": ("", "/10"), "spaced_slash10": ("", " / 10"),
               "out_of_10": ("", " out of 10"), "nbsp_slash10": ("", "\u00a0/\u00a010"), "star": ("", "*"),
               "superscript_one": ("", "\u00b9"), "dagger": ("", "\u2020"), "figure_space": ("", ""),
               "brackets": ("[", "]")}
#: sentences with compounds of digits and letters, added to some paragraphs under hard_hyphen_breaks
HARD_HYPHEN_SENTENCES = (
    "A 24-month programme launched in mid-2023 has focused on the south-western border districts.",
    "A 12-month review published in mid-2022 pointed to the north-eastern provinces.",
    "Local sources describe a 36-month plan for the south-eastern corridor, due to end in mid-2026.",
    "Since mid-2021, a 6-month rotation of officers has been used in the north-western region.",
)
_SHY_END = "\ue0ad"  # a line-end soft hyphen (drawn visibly) in a broken line, until it is drawn
LIGATURES = (("ffi", "\ufb03"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"))
PAGE_SIZES = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}


# ------------------------------------------------------------------------------------------------
# Fonts
# ------------------------------------------------------------------------------------------------

_FONTS_READY = False
_LIG_WIDTH: dict[str, float] = {}  # ligature char → advance in 1/1000 em
_LIG_SCALE: dict[str, float] = {}  # ligature char → horizontal scale (percent) used to draw it


def _setup_fonts() -> None:
    """Register Vera, Vera Bold and ``OctaLig`` (Vera whose ﬀ/ﬃ map to stretched f/ﬁ glyphs, so
    that all four ligature code points render and stay in the text layer)."""
    global _FONTS_READY
    if _FONTS_READY:
        return
    import reportlab
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    rl_config.invariant = 1
    fdir = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(fdir, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", os.path.join(fdir, "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont(LIG_FONT, os.path.join(fdir, "Vera.ttf")))
    face = pdfmetrics.getFont(LIG_FONT).face
    wf = face.charWidths[ord("f")]
    wfi = face.charWidths[0xFB01]
    face.charToGlyph[0xFB00] = face.charToGlyph[ord("f")]
    face.charWidths[0xFB00] = wf
    face.charToGlyph[0xFB03] = face.charToGlyph[0xFB01]
    face.charWidths[0xFB03] = wfi
    _LIG_WIDTH.update({"\ufb01": wfi, "\ufb02": face.charWidths[0xFB02], "\ufb00": 2 * wf, "\ufb03": wf + wfi})
    _LIG_SCALE.update({"\ufb01": 100.0, "\ufb02": 100.0, "\ufb00": 200.0, "\ufb03": 100.0 * (wf + wfi) / wfi})
    # a soft hyphen inside a word: drawn invisibly (render mode 3) with no advance, kept in the text layer
    _LIG_WIDTH[SHY] = 0.0
    _LIG_SCALE[SHY] = 100.0
    pdfmetrics.registerFont(TTFont(SYM_FONT, os.path.join(fdir, "Vera.ttf")))
    sym = pdfmetrics.getFont(SYM_FONT).face
    for code, like in SYM_GLYPHS.items():
        sym.charToGlyph[code] = sym.charToGlyph[like]
        sym.charWidths[code] = sym.charWidths[like]
    pdfmetrics.registerFont(TTFont(ICON_FONT, str(ICON_FONT_FILE)))
    _FONTS_READY = True


_WIDTH_CACHE: dict[tuple[str, str, float], float] = {}


def text_width(text: str, font: str, size: float) -> float:
    """Advance width of ``text`` as drawn (ligature characters in the ligature font)."""
    key = (text, font, size)
    w = _WIDTH_CACHE.get(key)
    if w is None and font == SYM_FONT:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        w = _WIDTH_CACHE[key] = stringWidth(text, font, size)
    if w is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        w = 0.0
        for run, is_lig in _runs(text):
            if is_lig == "icon":
                w += stringWidth("".join(_ICON_CHARS[ch] for ch in run), ICON_FONT, size)
            elif is_lig:
                w += sum(_LIG_WIDTH[ch] for ch in run) * size / 1000.0
            else:
                w += stringWidth(run, font, size)
        _WIDTH_CACHE[key] = w
    return w


def _runs(text: str) -> list[tuple[str, Any]]:
    """``text`` in runs: plain (False), ligature characters and soft hyphens (True), characters
    drawn in the icon font (``"icon"``)."""
    out: list[tuple[str, Any]] = []
    for ch in text:
        lig: Any = "\ufb00" <= ch <= "\ufb04" or ch == SHY
        if ch in _ICON_CHARS:
            lig = "icon"
        if out and out[-1][1] == lig:
            out[-1] = (out[-1][0] + ch, lig)
        else:
            out.append((ch, lig))
    return out


def ligate(word: str) -> str:
    for plain, lig in LIGATURES:
        word = word.replace(plain, lig)
    return word


def _ascent_descent(font: str, size: float) -> tuple[float, float]:
    from reportlab.pdfbase.pdfmetrics import getAscentDescent

    return getAscentDescent(font, size)


# ------------------------------------------------------------------------------------------------
# The profile spec: scores, ranks, narrative
# ------------------------------------------------------------------------------------------------


@dataclass
class RankSpec:
    metric: str
    scope: str
    rank: int
    of: int
    area: str


@dataclass
class ProfileSpec:
    family: str
    year: int
    country: str
    continent: str
    region: str
    stem: str
    scores: dict[str, Fraction]
    previous: dict[str, Fraction] | None  # previous edition's scores (None in a first edition)
    previous_year: int | None
    ranks: list[RankSpec]
    paragraphs: list[tuple[str, list[str], str]]  # (first indicator id, covered ids, text)
    variants: dict[str, Any] = field(default_factory=dict)
    #: the variation classes' values (``generate(..., variations=...)``), None for the default layout
    variation: dict[str, Any] | None = None

    @property
    def indicators(self) -> tuple[taxonomy.Indicator, ...]:
        return taxonomy.indicators_of(self.family, self.year)

    @property
    def summary(self) -> scoring.Summary:
        return scoring.summarise(self.scores, self.year, self.family)

    @property
    def previous_summary(self) -> scoring.Summary | None:
        if self.previous is None or self.previous_year is None:
            return None
        return scoring.summarise(self.previous, self.previous_year, self.family)

    def change(self, indicator_id: str) -> Decimal | None:
        if self.previous is None or taxonomy.is_new_indicator(indicator_id, self.year, self.family):
            return None
        return scoring.indicator_change(self.scores[indicator_id], self.previous.get(indicator_id))

    def summary_changes(self) -> dict[str, Decimal | None]:
        prev = self.previous_summary
        cur = self.summary.exact_values()
        if prev is None:
            return dict.fromkeys(cur)
        pv = prev.exact_values()
        return {k: scoring.summary_change(cur[k], pv[k]) for k in cur}


def _slug(country: str) -> str:
    return taxonomy.fold(country).replace(" ", "_")


def _grid(x: Fraction) -> Fraction:
    return min(Fraction(10), max(Fraction(1), Fraction(round(x * 2), 2)))


def _random_scores(rng: random.Random, year: int, family: str) -> dict[str, Fraction]:
    crime = rng.uniform(2.0, 8.5)
    res = rng.uniform(1.5, 8.5)
    out: dict[str, Fraction] = {}
    for ind in taxonomy.indicators_of(family, year):
        base = res if ind.pillar == "resilience" else crime
        out[ind.id] = _grid(Fraction(base + rng.gauss(0, 1.6)).limit_denominator(1000))
    return out


def _previous_scores(rng: random.Random, current: dict[str, Fraction], prev_year: int,
                     family: str) -> dict[str, Fraction]:
    steps = (-3, -2, -1, -1, 0, 0, 0, 0, 0, 1, 1, 2, 3)
    out: dict[str, Fraction] = {}
    for ind in taxonomy.indicators_of(family, prev_year):
        out[ind.id] = _grid(current[ind.id] - Fraction(rng.choice(steps), 2))
    return out


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _random_ranks(rng: random.Random, family: str, continent: str, region: str) -> list[RankSpec]:
    cont_n, reg_n = taxonomy.area_counts()
    out: list[RankSpec] = []
    for metric in ("criminality", "resilience"):
        g = rng.randint(1, len(taxonomy.COUNTRIES))
        c = max(1, min(cont_n[continent], round(g * cont_n[continent] / len(taxonomy.COUNTRIES)) + rng.randint(-2, 2)))
        r = max(1, min(reg_n[region], c, round(c * reg_n[region] / cont_n[continent]) + rng.randint(-1, 1)))
        if taxonomy.family(family).continent is None:  # a worldwide index ranks among all countries too
            out.append(RankSpec(metric, "global", g, len(taxonomy.COUNTRIES), "countries"))
        out.append(RankSpec(metric, "continent", c, cont_n[continent], continent))
        out.append(RankSpec(metric, "region", r, reg_n[region], region))
    return out


def _choose_variants(rng: random.Random, family: str, year: int, index: int = 0) -> dict[str, Any]:
    v: dict[str, Any] = {k: rng.choice(vals) for k, vals in VARIANT_CHOICES.items()}
    # the main layout axes cycle with the index (with other moduli than the editions' cycle of 7),
    # so that any short run, like the committed fixtures, covers them all
    v["font"] = VARIANT_CHOICES["font"][index % 4]
    v["table_columns"] = VARIANT_CHOICES["table_columns"][(index // 2) % 3]
    v["change_style"] = VARIANT_CHOICES["change_style"][index % 3]
    v["label_side"] = VARIANT_CHOICES["label_side"][(index // 3) % 2]
    # rarer or weighted choices
    v["ligatures"] = rng.random() < 0.85
    v["overprint"] = rng.random() < 0.35
    v["merge_paragraphs"] = rng.random() < 0.2
    v["bars"] = rng.random() < 0.75
    v["table_group_headings"] = rng.random() < 0.7
    v["narrow_labels"] = v["table_columns"] == 1 and rng.random() < 0.6
    v["chart"] = taxonomy.family(family).continent is not None
    if not taxonomy.has_changes(family, year):
        v["change_style"] = "none"
    return v


def variation_rng(seed: int, index: int) -> random.Random:
    """The random source of profile ``index``'s variation classes (apart from :func:`profile_rng`,
    so that a profile with variations has the country, scores and narrative of the same profile
    without)."""
    return random.Random(f"octa-synth-variation:{seed}:{index}")


def _same_value(a: Any, b: Any) -> bool:
    return a == b and type(a) is type(b)


def check_variations(variations: str | dict[str, Any] | None) -> dict[str, Any] | None:
    """``variations`` as the classes it forces: None (no variations), ``{}`` ("all": every class
    drawn) or the given ``{class: value}``; ValueError for an unknown class or value."""
    if variations is None:
        return None
    if variations == "all":
        return {}
    if not isinstance(variations, dict):
        raise ValueError(f"variations must be None, 'all' or a dict of class values, not {variations!r}")
    for k, val in variations.items():
        if k not in VARIATION_CLASSES:
            raise ValueError(f"unknown variation class {k!r} (known: {', '.join(VARIATION_CLASSES)})")
        if not any(_same_value(val, x) for x in VARIATION_CLASSES[k]):
            raise ValueError(f"variation {k} has no value {val!r} (values: {VARIATION_CLASSES[k]})")
    return dict(variations)


def choose_variation(rng: random.Random, forced: dict[str, Any] | None = None) -> dict[str, Any]:
    """A value for every variation class, drawn from ``rng`` unless ``forced``. Every class is
    drawn even when forced, so forcing one class leaves the others' draws as they were."""
    forced = check_variations(forced if forced is not None else "all") or {}
    out: dict[str, Any] = {}
    for k, vals in VARIATION_CLASSES.items():
        drawn = rng.choice(vals)
        out[k] = forced[k] if k in forced else drawn
    return out


def apply_variation(spec: ProfileSpec, variation: dict[str, Any]) -> None:
    """Give ``spec`` the variation and make its layout variants say the same."""
    spec.variation = dict(variation)
    for cls, (variant, mapping) in VARIATION_VARIANTS.items():
        spec.variants[variant] = mapping[variation[cls]]
    spec.variants["change_style"] = (variation["change_form"] if taxonomy.has_changes(spec.family, spec.year)
                                     else "none")
    spec.variants["narrow_labels"] = False  # label_wrap decides the label column's width
    if variation.get("hard_hyphen_breaks"):
        # compounds with digits ("24-month", "mid-2023") that the prose has none of: one sentence at
        # the end of every third paragraph (the truth is the text printed)
        for k, (first, ids, text) in enumerate(spec.paragraphs):
            if k % 3 == 1:
                extra = HARD_HYPHEN_SENTENCES[(k // 3) % len(HARD_HYPHEN_SENTENCES)]
                spec.paragraphs[k] = (first, ids, text + " " + extra)


def make_profile_spec(
    rng: random.Random,
    family: str = "global",
    year: int = 2023,
    *,
    index: int = 0,
    seed: int = 0,
    country: str | None = None,
    area: tuple[str, str] | None = None,
    scores: dict[str, Fraction] | None = None,
    previous: dict[str, Fraction] | None = None,
    ranks: list[RankSpec] | None = None,
    variants: dict[str, Any] | None = None,
) -> ProfileSpec:
    """A complete profile spec drawn from ``rng``. ``country``, ``scores`` (this edition's
    indicator scores), ``previous`` (the previous edition's) and ``ranks`` may be given (the
    ``--from-dataset`` path); the rest is random but valid under the exact arithmetic."""
    if year not in taxonomy.EDITIONS[family]:
        raise ValueError(f"{family} has no {year} edition")
    if country is None:
        covers = taxonomy.family(family).continent
        pool = [c for c in taxonomy.COUNTRIES if covers is None or c[1] == covers]
        country = rng.choice(pool)[0]
    continent, region = area or taxonomy.COUNTRY_INFO.get(country, ("Africa", "West Africa"))
    prev_year = taxonomy.previous_edition(family, year)
    if scores is None:
        scores = _random_scores(rng, year, family)
    if prev_year is not None and previous is None:
        previous = _previous_scores(rng, scores, prev_year, family)
    if prev_year is None:
        previous = None
    if ranks is None:
        ranks = _random_ranks(rng, family, continent, region)
    v = variants if variants is not None else _choose_variants(rng, family, year, index)
    stem = f"{family}_{year}_{_slug(country)}_s{seed}_{index:04d}"
    spec = ProfileSpec(family, year, country, continent, region, stem, dict(scores), previous, prev_year,
                       list(ranks), [], v)
    # narrative: one paragraph per indicator, sometimes two adjacent ones of a group merged
    merge: tuple[str, str] | None = None
    if v.get("merge_paragraphs"):
        pairs = []
        for g in taxonomy.GROUPS:
            ids = [i.id for i in spec.indicators if i.group == g.id]
            pairs += list(zip(ids, ids[1:], strict=False))
        merge = rng.choice(pairs)
    v["merged_paragraphs"] = [list(merge)] if merge else []
    for ind in spec.indicators:
        ch = spec.change(ind.id)
        chf = None if ch is None else Fraction(ch)
        if merge and ind.id == merge[1]:
            continue
        if merge and ind.id == merge[0]:
            other = merge[1]
            och = spec.change(other)
            t1 = prose.paragraph(rng, ind.id, country, region, scores[ind.id], chf, 45, 110)
            t2 = prose.paragraph(rng, other, country, region, scores[other],
                                 None if och is None else Fraction(och), 45, 105)
            spec.paragraphs.append((ind.id, [ind.id, other], t1 + " " + t2))
        else:
            spec.paragraphs.append((ind.id, [ind.id], prose.paragraph(rng, ind.id, country, region,
                                                                       scores[ind.id], chf)))
    return spec


# ------------------------------------------------------------------------------------------------
# Drawing: a display list per page, then reportlab
# ------------------------------------------------------------------------------------------------

Op = tuple[Any, ...]


class Doc:
    """Pages of drawing operations in reportlab coordinates (origin bottom left)."""

    def __init__(self, width: float, height: float) -> None:
        self.w = width
        self.h = height
        self.pages: list[list[Op]] = [[]]

    @property
    def page_no(self) -> int:
        return len(self.pages)

    def new_page(self) -> None:
        self.pages.append([])

    def text(self, x: float, y: float, font: str, size: float, s: str, *, char_space: float = 0.0,
             gray: float = 0.0, page: int | None = None) -> list[float]:
        """Draw ``s`` (ligature characters allowed) with its baseline at ``y``; return its bbox
        with the origin at the top left."""
        ops = self.pages[(page or self.page_no) - 1]
        ops.append(("text", x, y, font, size, s, char_space, gray))
        return self.bbox(x, y, font, size, s, char_space)

    def bbox(self, x: float, y: float, font: str, size: float, s: str, char_space: float = 0.0) -> list[float]:
        asc, desc = _ascent_descent(font, size)
        w = text_width(s, font, size) + char_space * len(s)
        return [round(x, 2), round(self.h - (y + asc), 2), round(x + w, 2), round(self.h - (y + desc), 2)]

    def image(self, x: float, y: float, w: float, h: float, up: bool, page: int) -> None:
        """A raster direction icon (:func:`direction_png`) in the box ``(x, y, w, h)``."""
        self.pages[page - 1].append(("image", x, y, w, h, up))

    def rect(self, x: float, y: float, w: float, h: float, gray: float, page: int | None = None) -> None:
        self.pages[(page or self.page_no) - 1].append(("rect", x, y, w, h, gray))

    def line(self, pts: Sequence[tuple[float, float]], width: float = 0.6, gray: float = 0.0) -> None:
        self.pages[-1].append(("line", tuple(pts), width, gray))

    def path(self, pts: Sequence[tuple[float, float]], page: int, *, closed: bool = False,
             fill: tuple[float, float, float] | None = None, stroke: tuple[float, float, float] | None = None,
             width: float = 0.5) -> None:
        """A vector path (polygon or polyline) in RGB: icons and grid rules."""
        self.pages[page - 1].append(("path", tuple(pts), closed, fill, stroke, width))

    def render(self) -> bytes:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=(self.w, self.h), invariant=1, pageCompression=1)
        c.setCreator("octa synth")
        c.setProducer("octa synth")
        c.setAuthor("octa")
        for ops in self.pages:
            for op in ops:
                kind = op[0]
                if kind == "text":
                    _, x, y, font, size, s, cs, gray = op
                    t = c.beginText(x, y)
                    t.setFillGray(gray)
                    if cs:
                        t.setCharSpace(cs)
                    for run, is_lig in ([(s, False)] if font == SYM_FONT else _runs(s)):
                        if is_lig == "icon":
                            t.setFont(ICON_FONT, size)
                            t.textOut("".join(_ICON_CHARS[ch] for ch in run))
                        elif is_lig:
                            for ch in run:
                                if ch == SHY:  # invisible, and its advance taken back
                                    t.setFont(LIG_FONT, size)
                                    t.setTextRenderMode(3)
                                    t.setCharSpace(cs - stringWidth(SHY, LIG_FONT, size))
                                    t.textOut(ch)
                                    t.setCharSpace(cs)
                                    t.setTextRenderMode(0)
                                    continue
                                t.setFont(LIG_FONT, size)
                                t.setHorizScale(_LIG_SCALE[ch])
                                t.textOut(ch)
                                t.setHorizScale(100)
                        else:
                            t.setFont(font, size)
                            t.textOut(run)
                    if cs:
                        t.setCharSpace(0)
                    c.drawText(t)
                elif kind == "image":
                    from reportlab.lib.utils import ImageReader

                    _, x, y, w, h, up = op
                    c.drawImage(ImageReader(io.BytesIO(direction_png(up))), x, y, w, h)
                elif kind == "rect":
                    _, x, y, w, h, gray = op
                    c.setFillGray(gray)
                    c.rect(x, y, w, h, stroke=0, fill=1)
                    c.setFillGray(0)
                elif kind == "line":
                    _, pts, width, gray = op
                    c.setStrokeGray(gray)
                    c.setLineWidth(width)
                    p = c.beginPath()
                    p.moveTo(*pts[0])
                    for pt in pts[1:]:
                        p.lineTo(*pt)
                    c.drawPath(p, stroke=1, fill=0)
                    c.setStrokeGray(0)
                elif kind == "path":
                    _, pts, closed, fill, stroke, width = op
                    if fill is not None:
                        c.setFillColorRGB(*fill)
                    if stroke is not None:
                        c.setStrokeColorRGB(*stroke)
                        c.setLineWidth(width)
                    p = c.beginPath()
                    p.moveTo(*pts[0])
                    for pt in pts[1:]:
                        p.lineTo(*pt)
                    if closed:
                        p.close()
                    c.drawPath(p, stroke=int(stroke is not None), fill=int(fill is not None))
                    c.setFillGray(0)
                    c.setStrokeGray(0)
            c.showPage()
        c.save()
        return buf.getvalue()


def _case(label: str, case: str, amp: bool) -> str:
    if amp:
        label = label.replace(" and ", " & ")
    if case == "upper":
        return label.upper()
    if case == "title":
        small = {"and", "in", "of", "&"}
        return " ".join(w if w in small else w[:1].upper() + w[1:] for w in label.split(" "))
    return label


def _fmt_change(d: Decimal | None, style: str, places: int) -> str:
    """A change as printed: ``+0.5``/``-1.0``/``0.0`` (signs), or an arrow glyph and the absolute
    value (the glyph is drawn separately)."""
    if d is None:
        return "n/a"
    q = Decimal(1).scaleb(-places)
    v = d.quantize(q)
    if style == "signs":
        return f"+{v}" if v > 0 else f"{v}"
    return f"{abs(v)}"


def _fmt_score_v(x: Fraction, decimals: Any) -> str:
    """An indicator score with ``decimals`` places, or as few as it needs (``"g"``: 7, 7.5)."""
    d = Decimal(x.numerator) / Decimal(x.denominator)
    if decimals == "g":
        return f"{d.normalize():f}"
    return f"{d:.{decimals}f}"


def _summary_places(d: Decimal | None, summary_decimals: int) -> int:
    """2, or 1 when asked for and exact (5.40 prints 5.4; 5.93 keeps its 2 places)."""
    if summary_decimals == 1 and d is not None and d == d.quantize(Decimal("0.1")):
        return 1
    return 2


def _change_text(d: Decimal | None, form: str, places: int, new_token: str) -> tuple[str, int | None]:
    """A change as printed in ``form`` and its direction (1, -1, 0; None for a new indicator).
    Zero is unsigned (``0.0``/``0.00``); only the signed and parenthesised forms carry the
    direction in the text, the others leave it to an icon or glyph."""
    if d is None:
        return new_token, None
    v = d.quantize(Decimal(1).scaleb(-places))
    if v == 0:
        return f"{abs(v)}", 0
    a = f"{abs(v)}"
    if form == "signed":
        return (f"+{a}" if v > 0 else f"-{a}"), (1 if v > 0 else -1)
    if form == "signed_minus":
        return (f"+{a}" if v > 0 else f"\u2212{a}"), (1 if v > 0 else -1)
    if form == "parentheses":
        return (a if v > 0 else f"({a})"), (1 if v > 0 else -1)
    return a, (1 if v > 0 else -1)


#: change forms whose direction is an icon or glyph beside the number
ICON_FORMS = ("vector_triangle", "vector_arrow", "colour_shape", "text_triangles", "text_arrows",
              "symbol_arrows", "zapf_triangles")
_UP_GREEN = (0.13, 0.55, 0.2)
_DOWN_RED = (0.8, 0.12, 0.12)
_PNG_SIDE = 24


@functools.cache
def direction_png(up: bool) -> bytes:
    """A small PNG (24 x 24 px, RGB on white): a green triangle pointing up or a red one pointing
    down, written with zlib alone (deterministic bytes)."""
    import struct
    import zlib

    n = _PNG_SIDE
    colour = bytes(round(255 * c) for c in (_UP_GREEN if up else _DOWN_RED))
    rows = []
    for r in range(n):
        t = ((r if up else n - 1 - r) - 2) / (n - 5)  # 0 at the apex, 1 at the base
        half = t * (n - 4) / 2 if 0 <= t <= 1 else -1.0
        row = bytearray(b"\x00")
        for col in range(n):
            row += colour if abs(col + 0.5 - n / 2) <= half + 0.5 else b"\xff\xff\xff"
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", n, n, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


def _decoration(num: str, deco: str) -> tuple[str, str]:
    """The (prefix, suffix) printed around the number ``num`` under ``score_decoration``."""
    if deco == "figure_space":  # a figure space pads a one-digit integer part to the width of two
        return ("\u2007" if len(num.split(".")[0].lstrip("+-\u2212")) == 1 else "", "")
    return DECORATIONS[deco]


def _printed_at_one(printed: tuple[Decimal | None, int]) -> str | None:
    """The truth's record of a summary change printed with one decimal (the exact difference of
    the unrounded means rounded, ``-0.2`` for -0.2467, where the two-decimal change is -0.25):
    the value a reader must find at that precision. None for one printed as rounded."""
    value, places = printed
    return f"{value:+.1f}" if value is not None and places == 1 else None


def _round1(x: Fraction) -> Decimal:
    """``x`` rounded half away from zero to one decimal."""
    from decimal import ROUND_HALF_UP, localcontext

    with localcontext() as ctx:
        ctx.prec = 50
        return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _shy_points(core: str) -> list[int]:
    """Syllable boundaries of an alphabetic word (the rule of :func:`_hyphen_split`), ascending."""
    out = []
    for k in range(3, len(core) - 2):
        a, b = core[k - 1].lower(), core[k].lower()
        if a + b in _DIGRAPHS or b in _VOWELS or core[k].isupper():
            continue
        if a in _VOWELS and core[k + 1].lower() not in _VOWELS:
            continue
        out.append(k)
    return out


def _wrap_greedy(text: str, font: str, size: float, cs: float, width: float) -> list[str]:
    """``text`` broken between words into lines of at most ``width`` (greedy: fewest lines)."""
    lines: list[str] = []
    for w in text.split(" "):
        if lines and _line_width(lines[-1] + " " + w, font, size, cs) <= width:
            lines[-1] += " " + w
        else:
            lines.append(w)
    return lines


def _line_width(text: str, font: str, size: float, cs: float) -> float:
    return text_width(text, font, size) + cs * len(text)


def _balanced_width(text: str, n: int, font: str, size: float, cs: float) -> float:
    """The narrowest width in which ``text`` fits on ``n`` lines (or one line per word)."""
    import itertools

    words = text.split(" ")
    n = min(n, len(words))
    best = None
    for cuts in itertools.combinations(range(1, len(words)), n - 1):
        bounds = (0, *cuts, len(words))
        w = max(_line_width(" ".join(words[a:b]), font, size, cs) for a, b in itertools.pairwise(bounds))
        best = w if best is None else min(best, w)
    return best if best is not None else _line_width(text, font, size, cs)


def _arrow(d: Decimal | None, style: str) -> tuple[str, str] | None:
    if d is None or d == 0 or style in ("signs", "none"):
        return None
    if style == "symbol_arrows":
        return ("Symbol", "\u2191" if d > 0 else "\u2193")
    return ("ZapfDingbats", "\u25b2" if d > 0 else "\u25bc")


def _split_word_run(text: str, rng: random.Random) -> tuple[str, str] | None:
    """Split ``text`` inside one of its longer words (as a tracking gap would)."""
    words = [(i, w) for i, w in enumerate(text.split(" ")) if len(w) >= 6 and w.isalpha()]
    if not words:
        return None
    i, w = rng.choice(words)
    k = rng.randint(2, len(w) - 2)
    parts = text.split(" ")
    left = " ".join(parts[:i] + [w[:k]])
    right = " ".join([w[k:]] + parts[i + 1:])
    return left, right


def _two_line_width(label: str, font: str, size: float) -> float:
    words = label.split(" ")
    if len(words) == 1:
        return text_width(label, font, size)
    return min(max(text_width(" ".join(words[:k]), font, size), text_width(" ".join(words[k:]), font, size))
               for k in range(1, len(words)))


def _wrap_label(label: str, font: str, size: float, width: float) -> list[str]:
    """The label on one line, or on two balanced lines when it is wider than ``width``."""
    if text_width(label, font, size) <= width:
        return [label]
    words = label.split(" ")
    if len(words) == 1:
        return [label]
    cuts = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
    a, b = min(cuts, key=lambda ab: (max(text_width(ab[0], font, size), text_width(ab[1], font, size)),
                                     -len(ab[0])))
    return [a, b]


@dataclass
class _Pos:
    page: int
    bbox: list[float]


class Renderer:
    def __init__(self, spec: ProfileSpec, rng: random.Random) -> None:
        _setup_fonts()
        self.spec = spec
        self.rng = rng
        self.v = spec.variants
        w, h = PAGE_SIZES[self.v["page_size"]]
        self.doc = Doc(w, h)
        self.font, self.bold = FONTS[self.v["font"]]
        self.margin = 42.0
        self.ind_pos: dict[str, _Pos] = {}
        self.sum_pos: dict[str, _Pos] = {}
        self.rank_pos: list[_Pos] = []
        self.sections: list[Section] = []
        self.counts = {"hyphenated_breaks": 0, "compound_breaks": 0, "wrapped_labels": [], "split_labels": [],
                       "overprint_pages": [], "paragraphs_across_pages": 0, "paragraphs_across_columns": 0}
        #: the variation classes' values (None: the default layout, drawn exactly as before them)
        self.variation: dict[str, Any] | None = spec.variation
        #: (page, y) of the lowest table row's bottom edge (variation tables only)
        self.table_end: tuple[int, float] | None = None
        if self.variation is not None:
            xv = self.variation
            self.counts.update({"soft_hyphens_inline": 0, "soft_hyphen_breaks": 0, "hard_hyphen_breaks": 0,
                                "visible_soft_hyphens": 0})
            if xv.get("narrative_start", "new_page") != "new_page":
                # the narrative in two columns beside or below the table; beside it, the table takes
                # the other column (one table column)
                self.v["narrative_columns"] = 2
                if xv["narrative_start"] == "beside_table" and xv["table_columns"] != 1:
                    self.counts["variation_adjusted"] = {"table_columns": xv["table_columns"]}
                    xv["table_columns"] = self.v["table_columns"] = 1

    # ---- small helpers
    def _draw_split(self, x: float, y: float, font: str, size: float, text: str, split: bool) -> list[float]:
        """Draw ``text``; when ``split``, as two runs with a gap a bit wider than a space."""
        d = self.doc
        if split:
            parts = _split_word_run(text, self.rng)
            if parts:
                a, b = parts
                bb = d.text(x, y, font, size, a)
                x2 = bb[2] + size * 0.42
                bb2 = d.text(x2, y, font, size, b)
                return [bb[0], min(bb[1], bb2[1]), bb2[2], max(bb[3], bb2[3])]
        return d.text(x, y, font, size, text)

    def _draw_change(self, x: float, y: float, size: float, d: Decimal | None, places: int) -> float:
        style = self.v["change_style"]
        if style == "none":
            return x
        arrow = _arrow(d, style)
        if arrow:
            f, ch = arrow
            self.doc.text(x, y, f, size * 0.8, ch)
            x += text_width(ch, f, size * 0.8) + 1.0
        bb = self.doc.text(x, y, self.font, size, _fmt_change(d, style, places))
        return bb[2]

    def _heading_text(self, x: float, y: float, font: str, size: float, text: str) -> list[float]:
        tr = self.v["tracked_headings"]
        cs = {"none": 0.0, "light": size * 0.12, "wide": size * 0.32}[tr]
        return self.doc.text(x, y, font, size, text, char_space=cs)

    # ---- page 1: title, summary, chart, tables
    def score_pages(self) -> None:
        s, d, v = self.spec, self.doc, self.v
        m = self.margin
        top = d.h - m
        pub = PUBLISHER[s.family]
        pub_line = f"{pub} {s.year}".upper() if v["label_case"] == "upper" else f"{pub} {s.year}"
        d.text(m, top - 9, self.bold, 9, pub_line, gray=0.3)
        d.text(m, top - 36, self.bold, 24, s.country)
        y = top - 70
        summ = s.summary.rounded()
        changes = s.summary_changes()
        colw = (d.w - 2 * m) / 2
        stacked = self.variation is not None and self.variation["summary_layout"] == "stacked"
        for k, metric in enumerate(("criminality", "resilience")):
            x = m + k * colw
            if stacked:  # one box above the other, each with its rank lines
                x = m
                if k:
                    y -= 42 + 11 * 3 + 8
            head = f"{metric.upper()} SCORE"
            self._draw_split(x, y, self.bold, 10, head, v["split_score_headings"])
            if self.variation is None:
                bb = d.text(x, y - 26, self.bold, 22, self._summary_text(summ[metric]))
                self.sum_pos[metric] = _Pos(d.page_no, bb)
                self._draw_change(bb[2] + 6, y - 26, 9, changes[metric], 2)
            else:
                nb, bb = self._number(x, y - 26, self.bold, 22, self._summary_text(summ[metric]), d.page_no)
                self.sum_pos[metric] = _Pos(d.page_no, nb)
                self._summary_change(bb[2] + 6, y - 26, 9, metric, changes[metric], d.page_no)
            ry = y - 42
            first = True
            for r in s.ranks:
                if r.metric != metric:
                    continue
                txt = self._rank_text(r)
                if self.variation is not None and (self.variation["rank_tie"] == "all"
                                                   or (self.variation["rank_tie"] == "first" and first)):
                    txt = "=" + txt
                first = False
                rb = d.text(x, ry, self.font, 8, txt)
                self.rank_pos.append(_Pos(d.page_no, rb))
                ry -= 11
        y -= 42 + 11 * 3 + 8
        if v["chart"]:
            y = self._chart(m, y)
        self._table(y)

    def _rank_text(self, r: RankSpec) -> str:
        if taxonomy.family(self.spec.family).continent is None:
            if r.scope == "global":
                return f"{ordinal(r.rank)} of {r.of} countries"
            return f"{ordinal(r.rank)} of {r.of} countries in {r.area}"
        adj = {"Africa": "African"}.get(r.area)
        if adj is None:
            adj = r.area + "n" if r.area.endswith("Africa") else r.area
        return f"{ordinal(r.rank)} of {r.of} {adj} countries"

    def _chart(self, x: float, y: float) -> float:
        d = self.doc
        h, w = 50.0, 180.0
        base = y - h
        for tick, yy in (("10", y), ("5", base + h / 2), ("0", base)):
            d.text(x, yy - 2.5, self.font, 7, tick, gray=0.4)
        years = (2019, 2021, 2023, 2025)
        for k, yr in enumerate(years):
            d.text(x + 20 + k * (w / 3.4), base - 10, self.font, 7, str(yr), gray=0.4)
        d.line([(x + 16, base), (x + 16 + w, base)], 0.4, 0.6)
        n = years.index(self.spec.year) + 1
        summ = self.spec.summary.exact_values()
        for metric, gray in (("criminality", 0.1), ("resilience", 0.55)):
            val = float(summ[metric] or 0)
            pts = []
            for k in range(n):
                vv = val if k == n - 1 else max(1.0, min(10.0, val + self.rng.uniform(-1, 1)))
                pts.append((x + 28 + k * (w / 3.4), base + h * vv / 10))
            if len(pts) == 1:
                pts.append((pts[0][0] + 2, pts[0][1]))
            d.line(pts, 1.2, gray)
        return base - 24

    def _table(self, y_start: float) -> None:
        if self.variation is not None:
            self._table_varied(y_start)
            return
        s, d, v = self.spec, self.doc, self.v
        m = self.margin
        ncol = v["table_columns"]
        gap = 14.0
        colw = (d.w - 2 * m - gap * (ncol - 1)) / ncol
        fs = {1: 8.0, 2: 7.5, 3: 7.0}[ncol]
        score_w, change_w = 24.0, 30.0 if v["change_style"] != "none" else 0.0
        label_w = colw - score_w - change_w - 8
        # the widest label, wrapped on two balanced lines, must fit its cell: narrow cells are
        # never narrower than that, and a table whose cells are too narrow gets a smaller font
        need = max(_two_line_width(_case(i.label, v["label_case"], v["ampersand"]), self.font, fs)
                   for i in s.indicators) + fs * 0.5  # room for a tracking gap
        if v["narrow_labels"]:
            label_w = min(label_w, max(118.0, need))
        if need > label_w:
            fs = max(5.5, fs * label_w / need)
        changes = s.summary_changes()
        summ = s.summary.rounded()
        # items: ("pillar", pillar) | ("group", group) | ("ind", indicator)
        items = _table_items(s, v["table_group_headings"])
        labels: dict[str, list[str]] = {}
        any_wrap = False
        for kind, key in items:
            if kind == "ind":
                lab = _case(taxonomy.INDICATORS_BY_ID[key].label, v["label_case"], v["ampersand"])
                lines = _wrap_label(lab, self.font, fs, label_w)
                labels[key] = lines
                if len(lines) > 1:
                    any_wrap = True
                    self.counts["wrapped_labels"].append(key)
        pitch = fs * (2.35 if any_wrap else 1.25) + (6.0 if v["bars"] else 4.0)
        split_ids = {key for kind, key in items if kind == "ind" and self.rng.random() < 0.3}
        # assign slots: column-major, continuing on page 2 when page 1 is full
        placements: list[tuple[int, int, int, tuple[str, str]]] = []  # page, col, slot, item
        page, col, slot = 1, 0, 0
        top = y_start
        bottom = m + 20

        def slots_on(page_: int) -> int:
            t = y_start if page_ == 1 else d.h - m - 20
            return int((t - bottom) // pitch)

        for item in items:
            if slot >= slots_on(page):
                slot = 0
                col += 1
                if col >= ncol:
                    col = 0
                    page += 1
            placements.append((page, col, slot, item))
            slot += 1
        while d.page_no < page:
            d.new_page()
        self.counts["table_pages"] = page
        # draw row-major, line by line, so that wrapped labels interleave with their neighbours
        order = sorted(range(len(placements)), key=lambda i: (placements[i][0], placements[i][2], placements[i][1]))
        by_row: dict[tuple[int, int], list[int]] = {}
        for i in order:
            p, c_, sl, _ = placements[i]
            by_row.setdefault((p, sl), []).append(i)
        for (p, sl), idxs in by_row.items():
            top = y_start if p == 1 else d.h - m - 20
            y1 = top - sl * pitch - fs
            second: list[tuple[float, float, str, str]] = []
            for i in idxs:
                _, c_, _, (kind, key) = placements[i]
                x = m + c_ * (colw + gap)
                if kind == "pillar":
                    if key == "resilience":  # (printed without a score: the headline has it)
                        txt = _case(taxonomy.SUMMARY_LABELS[key], v["label_case"], False)
                        d.text(x, y1, self.bold, fs + 1, txt, page=p)
                    else:
                        txt = _case(taxonomy.SUMMARY_LABELS[key], v["label_case"], False)
                        bb = d.text(x, y1, self.bold, fs + 1, txt, page=p)
                        vb = d.text(bb[2] + 8, y1, self.bold, fs + 1, f"{summ[key]}", page=p)
                        self.sum_pos[key] = _Pos(p, vb)
                        if v["change_style"] != "none":
                            self._page_change(vb[2] + 6, y1, fs, changes[key], 2, p)
                elif kind == "group":
                    txt = taxonomy.GROUPS_BY_ID[key].heading
                    if v["label_case"] != "upper":
                        txt = txt.title().replace("And", "and")
                    d.text(x, y1, self.bold, fs - 0.5, txt, gray=0.35, page=p)
                else:
                    lines = labels[key]
                    split = key in split_ids
                    if v["label_side"] == "left":
                        lx, sx = x, x + label_w + 4
                    else:
                        sx, lx = x, x + score_w + change_w + 6
                    cx = sx + score_w
                    if split:
                        self.counts["split_labels"].append(key)
                    self._draw_split_p(lx, y1, self.font, fs, lines[0], split, p)
                    sb = d.text(sx, y1, self.bold, fs, _fmt_score(s.scores[key]),
                                page=p)
                    self.ind_pos[key] = _Pos(p, sb)
                    if v["change_style"] != "none":
                        self._page_change(cx + 2, y1, fs, s.change(key), 1, p)
                    if len(lines) > 1:
                        second.append((lx, y1 - fs * 1.1, lines[1], key))
                    if v["bars"]:
                        by = y1 - (fs * 1.1 if len(lines) > 1 else 0) - fs * 0.45 - 3
                        bw = label_w if v["label_side"] == "left" else label_w
                        d.rect(lx, by, bw, 2.2, 0.88, page=p)
                        d.rect(lx, by, bw * float(s.scores[key]) / 10.0, 2.2, 0.25, page=p)
            for lx, yy, txt, _key in second:
                d.text(lx, yy, self.font, fs, txt, page=p)

    def _draw_split_p(self, x: float, y: float, font: str, size: float, text: str, split: bool,
                      page: int) -> list[float]:
        d = self.doc
        if split:
            parts = _split_word_run(text, self.rng)
            if parts:
                a, b = parts
                bb = d.text(x, y, font, size, a, page=page)
                d.text(bb[2] + size * 0.42, y, font, size, b, page=page)
                return bb
        return d.text(x, y, font, size, text, page=page)

    def _page_change(self, x: float, y: float, size: float, ch: Decimal | None, places: int, page: int) -> None:
        style = self.v["change_style"]
        arrow = _arrow(ch, style)
        if arrow:
            f, glyph = arrow
            self.doc.text(x, y, f, size * 0.8, glyph, page=page)
            x += text_width(glyph, f, size * 0.8) + 1.0
        self.doc.text(x, y, self.font, size, _fmt_change(ch, style, places), page=page)

    # ---- narrative
    def _narrative_colw(self) -> float:
        """The width of a narrative column (two columns) beside the table."""
        return (self.doc.w - 2 * self.margin - 18.0) / 2

    def narrative(self) -> None:
        s, d, v, xv = self.spec, self.doc, self.v, self.variation
        m = self.margin
        ncol = v["narrative_columns"]
        gap = 18.0
        colw = (d.w - 2 * m - gap * (ncol - 1)) / ncol
        body = 9.0 if ncol == 2 else 9.5
        lead = body * 1.32
        top = d.h - m - 22
        bottom = m + 22
        # the columns (x, top) of the current page: a new page's, or (narrative_start) those left
        # beside or below the table on its last page
        page_frames = [(m + k * (colw + gap), top) for k in range(ncol)]
        start = xv["narrative_start"] if xv is not None else "new_page"
        frames = page_frames
        if start != "new_page" and self.table_end is not None:
            page, y_end = self.table_end
            assert page == d.page_no
            if start == "after_table":
                frames = [(x, y_end - 14.0) for x, _ in page_frames]
            else:
                y_top = self._table_top if page == 1 else d.h - m - 20
                frames = [page_frames[-1][0:1] + (y_top,)]
        else:
            d.new_page()
        state: dict[str, Any] = {"col": 0, "y": frames[0][1], "frames": frames}
        para_by_id = {p[0]: p for p in s.paragraphs}

        def colx() -> float:
            return state["frames"][state["col"]][0]

        def advance(need: float) -> bool:
            """Make room for ``need`` points; return True when a column/page break happened."""
            if state["y"] - need >= bottom:
                return False
            state["col"] += 1
            if state["col"] >= len(state["frames"]):
                state["col"] = 0
                state["frames"] = page_frames
                d.new_page()
            state["y"] = state["frames"][state["col"]][1]
            return True

        def heading(path: list[str], level: int) -> Section:
            size = {1: 13.0, 2: 11.0, 3: 9.5}[level]
            text = path[-1]
            advance(size * 1.6 + lead * 2)
            state["y"] -= size * (1.9 if state["y"] < state["frames"][state["col"]][1] else 1.0)
            if level == 2:
                bb = d.text(colx(), state["y"], self.bold, size, text)
            else:
                bb = self._heading_text(colx(), state["y"], self.bold, size, text)
            state["y"] -= size * 0.6
            sec = Section(path=list(path), heading=text, level=level, paragraphs=[], page=d.page_no, bbox=bb)
            self.sections.append(sec)
            return sec

        def paragraph(sec: Section, ind_id: str) -> None:
            _, _, text = para_by_id[ind_id]
            pages: list[int] = []
            cols = 0
            state["y"] -= lead * (0.12 if xv is not None and xv["paragraph_gap"] == "tight" else 0.45)
            shy = self.variation is not None and self.variation["soft_hyphens"] != "none"
            lines = self._break_lines_shy(text, self.font, body, colw) if shy else self._break_lines(
                text, self.font, body, colw)
            for line in lines:
                if advance(lead):
                    cols += 1
                state["y"] -= lead
                if xv is not None and xv["visible_soft_hyphen"]:  # a compound's hyphen inside the line
                    line, n = _INNER_HYPHEN.subn(_SHY_VIS, line)
                    self.counts["visible_soft_hyphens"] += n
                if line.endswith(_SHY_END):  # the line-end hyphen printed as a (visible) soft hyphen
                    bb = d.text(colx(), state["y"], self.font, body, line[:-1])
                    d.text(bb[2], state["y"], SYM_FONT, body, SHY)
                else:
                    d.text(colx(), state["y"], self.font, body, line)
                if d.page_no not in pages:
                    pages.append(d.page_no)
            if len(pages) > 1:
                self.counts["paragraphs_across_pages"] += 1
            elif cols:
                self.counts["paragraphs_across_columns"] += 1
            sec.paragraphs.append(Paragraph(text=text, indicator=ind_id, pages=pages))

        # the heading tree of the taxonomy: each pillar's narrative path (the headings not printed
        # yet), then its groups' sections, or its paragraphs directly when it has no groups
        printed: set[tuple[str, ...]] = set()
        for pillar in taxonomy.PILLARS_BY_ID.values():
            path = pillar.narrative
            sec = None
            for depth in range(1, len(path) + 1):
                if path[:depth] not in printed:
                    printed.add(path[:depth])
                    sec = heading(list(path[:depth]), depth)
            groups = taxonomy.groups_for(pillar.id)
            if not groups:
                for ind in s.indicators:
                    if ind.pillar == pillar.id and ind.id in para_by_id and sec is not None:
                        paragraph(sec, ind.id)
            for g in groups:
                ids = [i.id for i in s.indicators if i.group == g.id]
                if not ids:
                    continue
                sec = heading([*path, g.heading], len(path) + 1)
                for i in ids:
                    if i in para_by_id:
                        paragraph(sec, i)

    def _break_lines(self, text: str, font: str, size: float, width: float) -> list[str]:
        """Greedy line breaking with ligatures, syllable hyphenation of long words and breaks after
        the hyphen of compounds (``cross-`` / ``border``)."""
        disp = ligate if self.v["ligatures"] else (lambda w: w)
        hard = self.variation is not None and self.variation["hard_hyphen_breaks"]

        def split_at(word: str, room: float) -> tuple[str, str, bool] | None:
            if hard and (cut := _hard_split(word, lambda t, r=room: text_width(disp(t), font, size) <= r)):
                return cut
            if "-" in word.strip("-") or (room > width * 0.12 and self.rng.random() < 0.6):
                return _hyphen_split(word, lambda t, r=room: text_width(disp(t), font, size) <= r)
            return None

        return self._greedy_lines(text.split(" "), font, size, width, disp, split_at, hard)

    def _greedy_lines(self, words: list[str], font: str, size: float, width: float, disp: Any,
                      split_at: Any, hard: bool = False) -> list[str]:
        """Fill lines word by word; a word that does not fit is cut where ``split_at(word, room)``
        says (head ending in its hyphen, tail, whether it was a compound), else moved to the next
        line. A head ending in a soft hyphen keeps it undrawn by ligation. ``hard``: a compound
        (``south-western``, ``24-month``, ``mid-2023``) on a line more than half full is broken
        after its hyphen, so that its hyphen ends the line."""
        space = text_width(" ", font, size)
        lines: list[str] = []
        cur: list[str] = []
        cur_w = 0.0
        i = 0
        while i < len(words):
            word = words[i]
            ww = text_width(disp(word), font, size)
            add = ww + (space if cur else 0.0)
            room = width - cur_w - (space if cur else 0.0)
            forced = None
            if hard and cur and cur_w >= width * 0.5:
                forced = _hard_split(word, lambda t, r=room: text_width(disp(t), font, size) <= r)
            if cur_w + add <= width and forced is None:
                cur.append(disp(word))
                cur_w += add
                i += 1
                continue
            split = forced or split_at(word, room)
            if forced is not None:
                self.counts["hard_hyphen_breaks"] += 1
            if split:
                a, b, compound = split
                cur.append(disp(a[:-1]) + a[-1] if a.endswith(_SHY_END) else disp(a))
                lines.append(" ".join(cur))
                self.counts["compound_breaks" if compound else "hyphenated_breaks"] += 1
                if a.endswith(_SHY_END):
                    self.counts["soft_hyphen_breaks"] += 1
                words[i] = b
                cur, cur_w = [], 0.0
                continue
            if not cur:  # a single over-long word
                cur.append(disp(word))
                i += 1
            lines.append(" ".join(cur))
            cur, cur_w = [], 0.0
        if cur:
            lines.append(" ".join(cur))
        return lines

    # ---- the variation classes (only with ``spec.variation``)
    def _summary_text(self, d: Decimal | None) -> str:
        if self.variation is None:
            return f"{d}"
        return f"{d.quantize(Decimal(1).scaleb(-_summary_places(d, self.variation['summary_decimals'])))}" if d is not None \
            else "n/a"

    def _summary_change_places(self, d: Decimal | None) -> int:
        assert self.variation is not None
        return _summary_places(d, self.variation["summary_decimals"])

    def _summary_change_printed(self, metric: str, d: Decimal | None) -> tuple[Decimal | None, int]:
        """A summary change as printed and its places: as rounded (two decimals, or one where
        exact), or with ``summary_change_places`` 1 the exact difference rounded to one decimal."""
        assert self.variation is not None
        if self.variation["summary_change_places"] == 1 and d is not None:
            prev = self.spec.previous_summary
            assert prev is not None
            cur, before = self.spec.summary.exact_values()[metric], prev.exact_values()[metric]
            if cur is not None and before is not None:
                return _round1(cur - before), 1
        return d, self._summary_change_places(d)

    def _summary_change(self, x: float, y: float, size: float, metric: str, d: Decimal | None, page: int) -> float:
        printed, places = self._summary_change_printed(metric, d)
        return self._change_v(x, y, size, printed, places, page)

    def _decorated(self, num: str) -> str:
        """``num`` with the score decoration around it (the whole printed token)."""
        assert self.variation is not None
        pre, suf = _decoration(num, self.variation["score_decoration"])
        return pre + num + suf

    def _number(self, x: float, y: float, font: str, size: float, num: str, page: int) -> tuple[list[float],
                                                                                                list[float]]:
        """Draw a score or average with its decoration as one text run; return the bbox of the
        number alone (the truth's) and of the whole token."""
        assert self.variation is not None
        pre, suf = _decoration(num, self.variation["score_decoration"])
        whole = self.doc.text(x, y, font, size, pre + num + suf, page=page)
        nb = self.doc.bbox(x + text_width(pre, font, size), y, font, size, num) if pre else \
            self.doc.bbox(x, y, font, size, num)
        return nb, whole

    def _icon_width(self, form: str, size: float, direction: int) -> float:
        if form in ("vector_triangle", "vector_arrow", "colour_shape", "raster"):
            return size * 0.62
        if form in ICON_GLYPHS:
            return text_width(ICON_GLYPHS[form][0 if direction > 0 else 1], ICON_FONT, size * 0.8)
        if form in ("text_triangles", "text_arrows"):
            glyph = {"text_triangles": ("\u25b2", "\u25bc"), "text_arrows": ("\u2191", "\u2193")}[form]
            return text_width(glyph[0 if direction > 0 else 1], SYM_FONT, size * 0.8)
        arrow = _arrow(Decimal(direction), form)
        assert arrow is not None
        return text_width(arrow[1], arrow[0], size * 0.8)

    def _icon(self, x: float, y: float, size: float, form: str, direction: int, page: int) -> None:
        """The direction of a change beside its number: a vector path (no text), a coloured shape
        (the colour alone tells the direction), or an arrow glyph in a normal or a symbol font."""
        d = self.doc
        a = size * 0.62
        up = direction > 0
        if form == "vector_triangle":
            pts = [(x, y), (x + a, y), (x + a / 2, y + a)] if up else [(x, y + a), (x + a, y + a), (x + a / 2, y)]
            d.path(pts, page, closed=True, fill=(0.15, 0.15, 0.15))
        elif form == "vector_arrow":
            tip, tail = (y + a, y) if up else (y, y + a)
            head = tip - a * 0.45 if up else tip + a * 0.45
            d.path([(x + a / 2, tail), (x + a / 2, tip)], page, stroke=(0.15, 0.15, 0.15), width=0.8)
            d.path([(x + a * 0.1, head), (x + a / 2, tip), (x + a * 0.9, head)], page, stroke=(0.15, 0.15, 0.15),
                   width=0.8)
        elif form == "colour_shape":
            d.path([(x, y), (x + a, y), (x + a, y + a), (x, y + a)], page, closed=True,
                   fill=_UP_GREEN if up else _DOWN_RED)
        elif form == "raster":  # a PNG beside the number, its box the size of the vector icons
            d.image(x, y - a * 0.1, a, a, up, page)
        elif form in ICON_GLYPHS:  # an icon-font glyph: drawn a triangle or arrow, mapped to a misleading code point
            d.text(x, y, ICON_FONT, size * 0.8, ICON_GLYPHS[form][0 if up else 1], page=page)
        elif form in ("text_triangles", "text_arrows"):
            glyph = {"text_triangles": ("\u25b2", "\u25bc"), "text_arrows": ("\u2191", "\u2193")}[form]
            d.text(x, y, SYM_FONT, size * 0.8, glyph[0 if up else 1], page=page)
        else:
            arrow = _arrow(Decimal(direction), form)
            assert arrow is not None
            d.text(x, y, arrow[0], size * 0.8, arrow[1], page=page)

    def _change_form(self) -> str:
        """The change form drawn: ``direction_icon`` (an unsigned number beside a raster or
        icon-font icon) when set, else ``change_form``."""
        assert self.variation is not None
        icon = self.variation.get("direction_icon", "none")
        return self.variation["change_form"] if icon == "none" else icon

    def _change_parts(self, ch: Decimal | None, places: int) -> tuple[str, int | None]:
        assert self.variation is not None
        txt, direction = _change_text(ch, self._change_form(), places, self.variation["new_indicator"])
        if self.variation["score_decoration"] == "figure_space" and txt[:1] in ("+", "-", "\u2212"):
            txt = txt[0] + "\u202f" + txt[1:]  # a narrow no-break space between the sign and the digits
        return txt, direction

    def _icon_form(self, form: str) -> bool:
        return form in ICON_FORMS or form == "raster" or form in ICON_GLYPHS

    def _change_width(self, ch: Decimal | None, places: int, size: float) -> float:
        txt, direction = self._change_parts(ch, places)
        w = text_width(txt, self.font, size)
        form = self._change_form() if self.variation else ""
        if direction and self._icon_form(form):
            w += self._icon_width(form, size, direction) + size * 0.2
        return w

    def _change_v(self, x: float, y: float, size: float, ch: Decimal | None, places: int, page: int) -> float:
        """Draw a change in the variation's form at ``x``; return its right edge (nothing in a
        first edition)."""
        assert self.variation is not None
        if not taxonomy.has_changes(self.spec.family, self.spec.year):
            return x
        form = self._change_form()
        txt, direction = self._change_parts(ch, places)
        icon = bool(direction) and self._icon_form(form)
        before = self.variation["change_icon_side"] == "before"
        gap = size * 0.2
        if icon and before:
            assert direction is not None
            self._icon(x, y, size, form, direction, page)
            x += self._icon_width(form, size, direction) + gap
        bb = self.doc.text(x, y, self.font, size, txt, page=page)
        x = bb[2]
        if icon and not before:
            assert direction is not None
            x += gap
            self._icon(x, y, size, form, direction, page)
            x += self._icon_width(form, size, direction)
        return x

    def _table_varied(self, y_start: float) -> None:
        """The score table drawn as the variation says: number formats, change forms, label case,
        letter spacing and wrapping, row order, grid, columns and group headings."""
        s, d, v, xv = self.spec, self.doc, self.v, self.variation
        assert xv is not None
        m = self.margin
        ncol = xv["table_columns"]
        gap = 14.0
        area = d.w - 2 * m
        if xv["narrative_start"] == "beside_table":  # the narrative's column (of two) on the right
            area -= self._narrative_colw() + 18.0
        colw = (area - gap * (ncol - 1)) / ncol
        has_ch = taxonomy.has_changes(s.family, s.year)
        order = xv["row_order"]
        grid = xv["table_grid"]
        below = order == "score_below_label"
        summ = s.summary.rounded()
        changes = s.summary_changes()
        labels = {i.id: _case(i.label, v["label_case"], v["ampersand"]) for i in s.indicators}
        scores = {i.id: _fmt_score_v(s.scores[i.id], xv["score_decimals"]) for i in s.indicators}
        printed = {k: self._decorated(t) for k, t in scores.items()}
        pillar_keys = ("criminal_markets", "criminal_actors")
        sum_txt = {k: self._decorated(self._summary_text(summ[k])) for k in pillar_keys}
        spacing = {"none": 0.0, "light": 0.08, "wide": 0.2}[xv["letter_spacing"]]

        def cells(fs: float) -> tuple[float, float, float, float]:
            """letter spacing, score cell, change cell and the room left for labels at size ``fs``."""
            pad = fs * 0.6
            score_w = max(text_width(t, self.bold, fs) for t in printed.values()) + pad
            change_w = 0.0
            if has_ch:
                ws = [self._change_width(s.change(i.id), xv["change_decimals"], fs) for i in s.indicators]
                change_w = max(ws) + pad
            if grid:
                score_w = max(score_w, text_width("SCORE", self.bold, fs) + pad)
                if has_ch:
                    change_w = max(change_w, text_width("CHANGE", self.bold, fs) + pad)
                for k in pillar_keys:
                    score_w = max(score_w, text_width(sum_txt[k], self.bold, fs + 1) + pad)
                    if has_ch:
                        change_w = max(change_w, self._change_width(
                            *self._summary_change_printed(k, changes[k]), fs) + pad)
            room = colw - pad if below else colw - score_w - change_w - pad
            return spacing * fs, score_w, change_w, room

        # the font size and label lines: the longest labels on label_wrap lines in a column just
        # wide enough (one line: the whole room); smaller type, then more lines, when it does not fit
        requested = xv["label_wrap"]
        n = requested
        base = {1: 8.0, 2: 7.5, 3: 7.0}[ncol]
        while True:
            fs = base
            while True:
                cs, score_w, change_w, room = cells(fs)
                need = max(_balanced_width(t, n, self.font, fs, cs) for t in labels.values())
                if need + fs * 0.5 <= room or fs <= 4.5:
                    break
                fs = round(fs - 0.25, 2)
            if need + fs * 0.5 <= room or n >= 4:
                break
            n += 1
        wrapped = {k: _wrap_greedy(t, self.font, fs, cs, need) for k, t in labels.items()}
        if n == 2:  # a wrapped label ending in a group heading breaks before it (the heading on the second line)
            for k, t in labels.items():
                for grp in (g for g in taxonomy.GROUPS if len(wrapped[k]) > 1):
                    head = t[len(t) - len(grp.heading):]
                    if len(t) > len(grp.heading) and head.upper() == grp.heading and t[-len(head) - 1] == " ":
                        w = _line_width(head, self.font, fs, cs)
                        if w + fs * 0.5 <= room:
                            wrapped[k] = [t[: -len(head) - 1], head]
                            need = max(need, w)
        label_w = room if n == 1 else min(room, need + fs * 0.5)
        lines_max = max(len(x) for x in wrapped.values())
        for k, lines in wrapped.items():
            if len(lines) > 1:
                self.counts["wrapped_labels"].append(k)
        if lines_max != requested:
            self.counts.setdefault("variation_adjusted", {})["label_wrap"] = requested
        xv["label_wrap"] = lines_max
        self.counts["table_font_size"] = fs
        pad = fs * 0.6
        lh = fs * 1.1
        row_lines = lines_max + (1 if below else 0)
        pitch = fs * (1.25 + 1.1 * (row_lines - 1)) + (6.0 if v["bars"] else 4.0) + (2.0 if grid else 0.0)

        # cell positions within a column at x
        def geometry(x: float) -> dict[str, float]:
            if order == "label_score_change":
                return {"l": x, "s": x + label_w + pad, "c": x + label_w + pad + score_w, "end": x + colw}
            if order == "score_change_label":
                return {"s": x, "c": x + score_w, "l": x + score_w + change_w + pad, "end": x + colw}
            if order == "score_label_change":
                return {"s": x, "l": x + score_w + pad, "c": x + score_w + pad + label_w + pad, "end": x + colw}
            return {"l": x, "s": x, "c": x + score_w, "end": x + colw}

        def inner_edges(g: dict[str, float]) -> list[float]:
            """The rules between the cells of a grid row (label | score | change, in row order)."""
            if order == "label_score_change":
                return [g["s"] - pad / 2] + ([g["c"]] if has_ch else [])
            if order == "score_change_label":
                return ([g["c"]] if has_ch else []) + [g["l"] - pad / 2]
            return [g["l"] - pad / 2] + ([g["c"] - pad / 2] if has_ch else [])

        items = _table_items(s, xv["group_headings"])
        split_ids = {key for kind, key in items if kind == "ind" and self.rng.random() < 0.3} if not cs else set()
        bottom = m + 20

        def top_of(page_: int) -> float:
            return y_start if page_ == 1 else d.h - m - 20

        def slots_on(page_: int) -> int:
            return int((top_of(page_) - bottom) // pitch)

        placements: list[tuple[int, int, int, tuple[str, str]]] = []  # page, col, slot, item
        page, col, slot = 1, 0, -1
        first = 1 if grid else 0
        for item in items:
            if slot < 0 or slot >= slots_on(page):
                if slot >= 0:
                    col += 1
                    if col >= ncol:
                        col, page = 0, page + 1
                while slots_on(page) <= first:
                    page += 1
                slot = 0
                if grid and (xv["header_repeat"] or not placements):
                    placements.append((page, col, 0, ("header", "")))
                    slot = 1
            placements.append((page, col, slot, item))
            slot += 1
        while d.page_no < page:
            d.new_page()
        self.counts["table_pages"] = page
        self._table_top = y_start
        self.table_end = (page, top_of(page) - (max(sl for p, _, sl, _ in placements if p == page) + 1) * pitch)

        rule = (0.55, 0.55, 0.55)
        by_row: dict[tuple[int, int], list[tuple[int, tuple[str, str]]]] = {}
        for p, c_, sl, item in placements:
            by_row.setdefault((p, sl), []).append((c_, item))
        last_slot: dict[tuple[int, int], int] = {}
        for (p, sl), row in sorted(by_row.items()):
            y_top = top_of(p) - sl * pitch
            y1 = y_top - fs
            draws: dict[int, list[Any]] = {}  # line index -> drawing calls, left to right

            def at(k: int, fn: Any, draws: dict[int, list[Any]] = draws) -> None:
                draws.setdefault(k, []).append(fn)

            for c_, (kind, key) in sorted(row, key=lambda r: r[0]):
                x = m + c_ * (colw + gap)
                g = geometry(x)
                last_slot[(p, c_)] = max(last_slot.get((p, c_), 0), sl)
                if grid:
                    d.path([(x, y_top + 1), (x + colw, y_top + 1)], p, stroke=rule, width=0.4)
                    edges = [x, x + colw]
                    if kind in ("ind", "header", "pillar") and not below:
                        edges += inner_edges(g)
                    for ex in edges:
                        d.path([(ex, y_top + 1), (ex, y_top + 1 - pitch)], p, stroke=rule, width=0.4)
                if kind == "header":
                    yy = y1 - (lh if below else 0)
                    for k, cell, word, yk in ((0, "l", "INDICATOR", y1), (1 if below else 0, "s", "SCORE", yy),
                                              (1 if below else 0, "c", "CHANGE", yy)):
                        if word != "CHANGE" or has_ch:
                            at(k, functools.partial(d.text, g[cell], yk, self.bold, fs, word, page=p))
                elif kind == "pillar":
                    txt = _case(taxonomy.SUMMARY_LABELS[key], v["label_case"], False)
                    self._pillar_row(at, g, x, y1, lh, fs, txt, key, grid and not below, p, summ, changes,
                                     label_w, row_lines)
                elif kind == "group":
                    txt = taxonomy.GROUPS_BY_ID[key].heading
                    if v["label_case"] != "upper":
                        txt = txt.title().replace("And", "and")
                    at(0, functools.partial(d.text, x, y1, self.bold, fs - 0.5, txt, gray=0.35, page=p))
                else:
                    self._indicator_row(at, g, y1, lh, fs, cs, key, wrapped[key], scores[key], key in split_ids,
                                        label_w, p)
            for k in sorted(draws):
                for fn in draws[k]:
                    fn()
        if grid:  # the bottom rule of every column
            for (p, c_), sl in last_slot.items():
                x = m + c_ * (colw + gap)
                yb = top_of(p) - (sl + 1) * pitch + 1
                d.path([(x, yb), (x + colw, yb)], p, stroke=rule, width=0.4)

    def _pillar_row(self, at: Any, g: dict[str, float], x: float, y1: float, lh: float, fs: float, txt: str,
                    key: str, cells: bool, p: int, summ: dict[str, Any], changes: dict[str, Any],
                    label_w: float, row_lines: int) -> None:
        """A pillar row: its name, and for markets and actors the average and its change (inline
        after the name, or in the score and change cells of a grid, the name wrapped in its cell)."""
        d = self.doc
        has_value = key != "resilience"
        lines = _wrap_greedy(txt, self.bold, fs + 1, 0.0, label_w) if cells else [txt]
        if len(lines) > row_lines:
            lines = [" ".join(lines[: row_lines - 1]), " ".join(lines[row_lines - 1:])] if row_lines > 1 else [txt]
        for k in range(1, len(lines)):
            at(k, lambda k=k: d.text(g["l"], y1 - k * lh, self.bold, fs + 1, lines[k], page=p))

        def draw() -> None:
            if cells:
                d.text(g["l"], y1, self.bold, fs + 1, lines[0], page=p)
                if not has_value:
                    return
                vb, _ = self._number(g["s"], y1, self.bold, fs + 1, self._summary_text(summ[key]), p)
                cx = g["c"]
            else:
                bb = d.text(x, y1, self.bold, fs + 1, txt, page=p)
                if not has_value:
                    return
                vb, wb = self._number(bb[2] + 8, y1, self.bold, fs + 1, self._summary_text(summ[key]), p)
                cx = wb[2] + 6
            self.sum_pos[key] = _Pos(p, vb)
            self._summary_change(cx, y1, fs, key, changes[key], p)

        at(0, draw)

    def _indicator_row(self, at: Any, g: dict[str, float], y1: float, lh: float, fs: float, cs: float, key: str,
                       lines: list[str], score_txt: str, split: bool, label_w: float, p: int) -> None:
        """An indicator row: label lines, score and change where the row order puts them, and the bar."""
        d, s, xv, v = self.doc, self.spec, self.variation, self.v
        assert xv is not None
        below = xv["row_order"] == "score_below_label"
        score_line = len(lines) if below else 0
        ys = y1 - score_line * lh

        def label(k: int) -> None:
            yk = y1 - k * lh
            if k == 0 and split:
                self.counts["split_labels"].append(key)
                self._draw_split_p(g["l"], yk, self.font, fs, lines[0], True, p)
            else:
                d.text(g["l"], yk, self.font, fs, lines[k], char_space=cs, page=p)

        def score() -> None:
            sb, _ = self._number(g["s"], ys, self.bold, fs, score_txt, p)
            self.ind_pos[key] = _Pos(p, sb)

        def change() -> None:
            self._change_v(g["c"] + 2, ys, fs, s.change(key), xv["change_decimals"], p)

        def bar() -> None:
            last = score_line if below else len(lines) - 1
            by = y1 - last * lh - fs * 0.45 - 3
            d.rect(g["l"], by, label_w, 2.2, 0.88, page=p)
            d.rect(g["l"], by, label_w * float(s.scores[key]) / 10.0, 2.2, 0.25, page=p)

        first = {"label_score_change": (label, score, change), "score_change_label": (score, change, label),
                 "score_label_change": (score, label, change)}.get(xv["row_order"])
        if first is None:  # the score below the label
            for k in range(len(lines)):
                at(k, lambda k=k: label(k))
            at(score_line, score)
            at(score_line, change)
        else:
            for fn in first:
                at(0, (lambda: label(0)) if fn is label else fn)
            for k in range(1, len(lines)):
                at(k, lambda k=k: label(k))
        if v["bars"]:
            at(score_line if below else len(lines) - 1, bar)

    def _shy_word(self, word: str) -> str:
        """``word`` with soft hyphens at some of its syllable boundaries (long alphabetic words)."""
        core = word.rstrip(".,;:)")
        if len(core) < 8 or not core.isalpha() or self.rng.random() < 0.3:
            return word
        points: list[int] = []
        for k in _shy_points(core):
            if not points or k - points[-1] >= 3:
                points.append(k)
        for k in reversed(points):
            core = core[:k] + SHY + core[k:]
        self.counts["soft_hyphens_inline"] += len(points)
        return core + word[len(word.rstrip(".,;:)")):]

    def _break_lines_shy(self, text: str, font: str, size: float, width: float) -> list[str]:
        """Line breaking for ``soft_hyphens``: soft hyphens inside long words (``inword``), the
        line-end hyphen printed as a soft hyphen (``lineend``), or both. A word is broken at a
        syllable boundary whenever one fits; compounds after their hyphen."""
        assert self.variation is not None
        mode = self.variation["soft_hyphens"]
        inword = mode in ("inword", "both")
        end = _SHY_END if mode in ("lineend", "both") else "-"
        disp = ligate if self.v["ligatures"] else (lambda w: w)
        hyphen = text_width("-", font, size)
        words = text.split(" ")
        if inword:
            words = [self._shy_word(w) for w in words]

        hard = self.variation["hard_hyphen_breaks"]

        def split_at(word: str, room: float) -> tuple[str, str, bool] | None:
            plain = word.replace(SHY, "")
            if hard and (cut := _hard_split(plain, lambda t, r=room: text_width(disp(t), font, size) <= r)):
                return cut
            if "-" in plain.strip("-"):
                return _hyphen_split(plain, lambda t, r=room: text_width(disp(t), font, size) <= r)
            if room > size * 2:
                core = word.rstrip(".,;:)")
                if inword:
                    points = [k for k, ch in enumerate(core) if ch == SHY]
                else:
                    points = _shy_points(core) if len(core) >= 7 and core.isalpha() else []
                for k in reversed(points):
                    head = word[:k]
                    if text_width(disp(head), font, size) + hyphen <= room:
                        return (head + end, word[k + 1:] if inword else word[k:], False)
            return None

        return self._greedy_lines(words, font, size, width, disp, split_at, hard)

    def furniture(self) -> None:
        """Running headers (pages after the first) and footers with page numbers and copyright."""
        s, d, v = self.spec, self.doc, self.v
        n = len(d.pages)
        m = self.margin
        pub = PUBLISHER[s.family].upper()
        name = s.country.upper()
        header = f"{name} \u00b7 {pub} {s.year}" if v["header_style"] == "country_first" else f"{pub} {s.year} | {name}"
        copy = (f"\u00a9{s.year} OCINDEX.NET" if taxonomy.family(s.family).continent is None
                else f"\u00a9 {s.family.upper()} {s.year}")
        for p in range(1, n + 1):
            if p > 1:
                d.text(m, d.h - m + 8, self.font, 7, header, gray=0.35, page=p)
            num = f"PAGE {p} OF {n}" if v["footer_style"] == "page_of" else str(p)
            d.text(d.w - m - text_width(num, self.font, 7), m - 14, self.font, 7, num, gray=0.35, page=p)
            d.text(m, m - 14, self.font, 7, copy, gray=0.35, page=p)

    def overprint(self) -> None:
        """Draw one body line twice on some narrative pages (same place or offset by < 1 pt)."""
        if not self.v["overprint"]:
            return
        d = self.doc
        for p in range(2, len(d.pages) + 1):
            if self.rng.random() < 0.5:
                continue
            ops = d.pages[p - 1]
            body = [k for k, op in enumerate(ops) if op[0] == "text" and op[4] < 10 and len(op[5]) > 30]
            if not body:
                continue
            k = self.rng.choice(body)
            op = ops[k]
            dx = self.rng.choice((0.0, 0.3, 0.6))
            ops.insert(k + 1, (op[0], op[1] + dx, op[2] + dx / 2, *op[3:]))
            self.counts["overprint_pages"].append(p)


#: a compound's hyphen between two letters or digits (not a line-end hyphen)
_INNER_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")


def _table_items(spec: ProfileSpec, group_headings: bool) -> list[tuple[str, str]]:
    """The rows of the score table in order: ("pillar", pillar) | ("group", group) | ("ind", id)."""
    items: list[tuple[str, str]] = []
    for pillar in taxonomy.PILLARS:
        items.append(("pillar", pillar))
        last_group = None
        for ind in spec.indicators:
            if ind.pillar != pillar:
                continue
            if ind.group and ind.group != last_group and group_headings:
                items.append(("group", ind.group))
            last_group = ind.group
            items.append(("ind", ind.id))
    return items


def _fmt_score(x: Fraction) -> str:
    return f"{Decimal(x.numerator) / Decimal(x.denominator):.1f}"


_VOWELS = set("aeiouy")
_DIGRAPHS = {"th", "ch", "sh", "ph", "ck", "ng", "gh", "wh", "qu"}


def _hard_split(word: str, fits: Any) -> tuple[str, str, bool] | None:
    """Where to break a compound of letters or digits after its (first) hyphen at a line end:
    ``(head incl. hyphen, tail, True)`` when the head fits, else None."""
    k = word.find("-", 1)
    if k < 0 or k + 1 >= len(word) or not word[k - 1].isalnum() or not word[k + 1].isalnum():
        return None
    head = word[: k + 1]
    return (head, word[k + 1:], True) if fits(head) else None


def _hyphen_split(word: str, fits: Any) -> tuple[str, str, bool] | None:
    """Where to break ``word`` at a line end: after the hyphen of a compound, else at a syllable
    boundary of a long alphabetic word; ``(head incl. hyphen, tail, is_compound)`` or None."""
    if "-" in word.strip("-"):
        k = word.index("-", 1)
        head, tail = word[: k + 1], word[k + 1:]
        if head[:-1].isalpha() and tail and fits(head):
            return head, tail, True
        return None
    core = word.rstrip(".,;:)")
    if len(core) < 7 or not core.isalpha():
        return None
    for k in range(len(core) - 3, 2, -1):
        a, b = core[k - 1].lower(), core[k].lower()
        if a + b in _DIGRAPHS or b in _VOWELS or core[k].isupper():
            continue
        if a in _VOWELS and core[k + 1].lower() not in _VOWELS:
            continue  # vowel | consonant consonant: break between the consonants instead
        head = word[:k] + "-"
        if fits(head):
            return head, word[k:], False
    return None


# ------------------------------------------------------------------------------------------------
# Building one profile
# ------------------------------------------------------------------------------------------------


def _f(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def render_profile(spec: ProfileSpec, rng: random.Random) -> tuple[bytes, Profile, dict[str, Any]]:
    """Draw ``spec``; return the PDF bytes, the truth profile and the variants record."""
    r = Renderer(spec, rng)
    r.score_pages()
    r.narrative()
    r.overprint()
    r.furniture()
    pdf = r.doc.render()
    summ = spec.summary.rounded()
    changes = spec.summary_changes()
    summary_scores = [
        SummaryScore(metric=k, score=_f(summ[k]), change=_f(changes[k]),  # type: ignore[arg-type]
                     change_printed=None if r.variation is None else _printed_at_one(
                         r._summary_change_printed(k, changes[k])),
                     page=r.sum_pos[k].page if k in r.sum_pos else None,
                     bbox=r.sum_pos[k].bbox if k in r.sum_pos else None)
        for k in taxonomy.SUMMARY_IDS
    ]
    ranks = [Rank(metric=x.metric, scope=x.scope, rank=x.rank, of=x.of, area=x.area,  # type: ignore[arg-type]
                  page=pos.page, bbox=pos.bbox) for x, pos in zip(spec.ranks, r.rank_pos, strict=True)]
    indicators = [
        Indicator(id=i.id, label=i.label, pillar=i.pillar, group=i.group, score=float(spec.scores[i.id]),
                  change=_f(spec.change(i.id)), page=r.ind_pos[i.id].page, bbox=r.ind_pos[i.id].bbox,
                  bar_score=float(spec.scores[i.id]) if spec.variants["bars"] else None)
        for i in spec.indicators
    ]
    profile = Profile(
        source=Source(file=f"{spec.stem}.pdf", sha256=hashlib.sha256(pdf).hexdigest(), pages=len(r.doc.pages),
                      engine=ENGINE),
        family=spec.family,  # type: ignore[arg-type]
        country=spec.country,
        year=spec.year,
        summary=Summary(**{k: _f(summ[k]) for k in taxonomy.SUMMARY_IDS}),
        summary_scores=summary_scores,
        ranks=ranks,
        indicators=indicators,
        sections=r.sections,
    )
    variants = dict(spec.variants)
    variants.update(r.counts)
    variants["pages"] = len(r.doc.pages)
    record = {"stem": spec.stem, "family": spec.family, "year": spec.year, "country": spec.country,
              "variants": variants}
    return pdf, profile, record


def _write(out: Path, spec: ProfileSpec, rng: random.Random) -> Path:
    pdf, profile, record = render_profile(spec, rng)
    path = out / f"{spec.stem}.pdf"
    path.write_bytes(pdf)
    (out / f"{spec.stem}.truth.json").write_text(profile.to_json(), encoding="utf-8")
    (out / f"{spec.stem}.variants.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n",
                                                    encoding="utf-8")
    if spec.variation is not None:
        (out / f"{spec.stem}.variation.json").write_text(
            json.dumps(variation_record(spec, record), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8")
    return path


def variation_record(spec: ProfileSpec, record: dict[str, Any]) -> dict[str, Any]:
    """What ``<stem>.variation.json`` holds: the value of every variation class as drawn (one key
    per class under ``variation``), the classes the layout had to change (``adjusted``: class ->
    value asked for; ``label_wrap`` is the most lines a label took), and whether the edition
    prints changes and new indicators at all (the change classes are moot otherwise)."""
    assert spec.variation is not None
    return {
        "stem": spec.stem, "family": spec.family, "year": spec.year, "country": spec.country,
        "variation": dict(spec.variation),
        "adjusted": record["variants"].get("variation_adjusted", {}),
        "changes_printed": taxonomy.has_changes(spec.family, spec.year),
        "new_indicators_printed": any(taxonomy.is_new_indicator(i.id, spec.year, spec.family) for i in spec.indicators)
        and taxonomy.has_changes(spec.family, spec.year),
    }


def combo_for(family: str, index: int) -> tuple[str, int]:
    """The (family, year) of profile ``index``: cycling through every edition so that any run of
    7 (mixed), 3 (global) or 4 (enact) consecutive profiles covers them all."""
    combos = COMBOS if family == "mixed" else tuple((family, y) for y in taxonomy.EDITIONS[family])
    return combos[index % len(combos)]


def profile_rng(seed: int, index: int) -> random.Random:
    """The random source of profile ``index`` of a run (independent of the run's count)."""
    return random.Random(f"octa-synth:{seed}:{index}")


def generate(count: int, seed: int, family: str, out: str | Path,
             from_dataset: str | Path | None = None,
             variations: str | dict[str, Any] | None = None,
             countries: Sequence[str] | None = None) -> list[Path]:
    """Write ``count`` profiles (PDF, truth, variants) into ``out``; return the PDF paths.

    ``countries`` (with ``from_dataset`` only): the dataset's countries to make, in this order,
    instead of the seeded draw (see :func:`_generate_from_dataset`).

    ``variations``: None (the default layouts, byte for byte what they always were), ``"all"``
    (every class of :data:`VARIATION_CLASSES` drawn for every profile) or ``{class: value}``
    (those classes forced, the others drawn). With variations each profile also gets
    ``<stem>.variation.json``; its country, scores and narrative are those of the same profile
    without variations (the classes are drawn from :func:`variation_rng`)."""
    if family not in (*taxonomy.FAMILIES, "mixed"):
        raise ValueError(f"family must be {', '.join(taxonomy.FAMILIES)} or mixed, not {family!r}")
    if from_dataset is not None and family == "enact":
        raise ValueError("--from-dataset makes global profiles (the dataset is the Global index's)")
    forced = check_variations(variations)
    if from_dataset is not None and forced is not None:
        raise ValueError("variations are not available with --from-dataset")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _setup_fonts()
    if from_dataset is not None:
        return _generate_from_dataset(count, seed, out, Path(from_dataset), countries=countries)
    if countries is not None:
        raise ValueError("countries are chosen with --from-dataset only")
    paths = []
    for i in range(count):
        fam, year = combo_for(family, i)
        rng = profile_rng(seed, i)
        spec = make_profile_spec(rng, fam, year, index=i, seed=seed)
        if forced is not None:
            apply_variation(spec, choose_variation(variation_rng(seed, i), forced))
        paths.append(_write(out, spec, rng))
    return paths


def dataset_ranks(rows: Sequence[Any], year: int) -> dict[str, list[RankSpec]]:
    """Ranks of every country of edition ``year`` of the dataset, by criminality and resilience
    (both descending, ties share a rank), within the world, its continent and its region."""
    eds = [r for r in rows if r.edition == year]
    values: dict[str, dict[str, Decimal]] = {}
    for r in eds:
        summ = scoring.summarise(r.scores, year).rounded()
        values[r.country] = {"criminality": summ["criminality"] or Decimal(0),
                             "resilience": summ["resilience"] or Decimal(0)}
    out: dict[str, list[RankSpec]] = {}
    for r in eds:
        ranks = []
        for metric in ("criminality", "resilience"):
            for scope, area, members in (
                ("global", "countries", eds),
                ("continent", r.continent, [x for x in eds if x.continent == r.continent]),
                ("region", r.region, [x for x in eds if x.region == r.region]),
            ):
                mine = values[r.country][metric]
                rank = 1 + sum(1 for x in members if values[x.country][metric] > mine)
                ranks.append(RankSpec(metric, scope, rank, len(members), area))
        out[r.country] = ranks
    return out


def _generate_from_dataset(count: int, seed: int, out: Path, xlsx: Path, *,
                           editions: Sequence[int] | None = None,
                           countries: Sequence[str] | None = None) -> list[Path]:
    """``count`` global profiles from the official workbook ``xlsx`` (any edition's: sheets found by
    edition, columns by name). Every Global edition the workbook has a sheet for is made, newest
    first and in turn (2025, 2023, 2021 from the 2025 workbook; 2023, 2021 from the older one), each
    with its changes against the previous edition's sheet; an edition whose previous edition has no
    sheet is left out (its changes would be invented). ``editions`` restricts the editions. Each
    edition's countries are taken in a seeded shuffled order without repetition, so
    ``count = editions × countries`` makes a profile of every row. ``countries`` (names the alias
    table knows) replaces the draw: those countries in that order, each in every chosen edition in
    turn (a country the sheets lack is a ValueError)."""
    from octa.dataset import read_reference

    chosen = countries
    rows = read_reference(xlsx)
    by = {(r.edition, r.country): r for r in rows}
    have = {r.edition for r in rows}
    years = [y for y in sorted(have, reverse=True) if y in taxonomy.EDITIONS["global"]
             and (taxonomy.previous_edition("global", y) is None or taxonomy.previous_edition("global", y) in have)]
    if editions is not None:
        years = [y for y in years if y in set(editions)]
    if not years:
        want = f" among {', '.join(map(str, editions))}" if editions is not None else ""
        raise ValueError(f"{xlsx}: no sheet of a Global index edition{want} with its previous edition's sheet "
                         f"(sheets for {', '.join(map(str, sorted(have))) or 'no edition'})")
    # the countries every chosen edition (and its previous one) has, in one seeded order
    needed = set(years) | {p for y in years if (p := taxonomy.previous_edition("global", y)) is not None}
    countries = sorted(c for (e, c) in by if e == years[0] and all((y, c) in by for y in needed))
    random.Random(f"octa-synth-dataset:{seed}").shuffle(countries)
    if chosen is not None:
        countries = []
        for name in chosen:
            canon = taxonomy.canonical_country(name) or name
            if not all((y, canon) in by for y in needed):
                raise ValueError(f"{xlsx}: no row of {name!r} in every sheet needed "
                                 f"({', '.join(map(str, sorted(needed)))})")
            countries.append(canon)
    ranks = {y: dataset_ranks(rows, y) for y in years}
    paths = []
    for i in range(count):
        rng = profile_rng(seed, i)
        year = years[i % len(years)]
        country = countries[(i // len(years)) % len(countries)]
        row = by[(year, country)]
        prev_year = taxonomy.previous_edition("global", year)
        prev = by[(prev_year, country)].scores if prev_year is not None else None
        spec = make_profile_spec(rng, "global", year, index=i, seed=seed, country=country,
                                 scores=dict(row.scores), previous=dict(prev) if prev else None,
                                 area=(row.continent, row.region), ranks=ranks[year][country])
        paths.append(_write(out, spec, rng))
    return paths
