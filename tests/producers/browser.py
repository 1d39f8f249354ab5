"""A second, independent producer of profile PDFs: HTML/CSS templates printed by headless Chromium.

Nothing here comes from :mod:`octa.synth`: the truth numbers are drawn here and summarised only with
:mod:`tests.oracle` (plain :mod:`decimal`), the page is an HTML document with its own templates,
and the PDF is Chromium's (Skia's fonts, text layer and drawing operators). Only the names
(indicator ids, labels, groups, editions, countries) come from :mod:`octa.taxonomy`, and the icon
font file ``src/octa/fonts/OctaIcons.ttf`` (data: embedded as a web font for the issue-25 classes
``direction_icon`` and ``visible_soft_hyphen``). Chromium writes the text it was given as
/ActualText: PyMuPDF reports the visible hyphen as U+2010, the font's ToUnicode map (what
pdfplumber reads) as U+00AD. ``hard_hyphen_breaks`` needs scripts: a script in the page measures
the laid-out lines and breaks a compound after its hyphen where it ends in the right part of a line.

    from tests.producers import browser
    pdfs = browser.generate(30, seed=7, family="mixed", out_dir="/tmp/b")
    pdfs = browser.generate(4, 7, "global", "/tmp/b", variations={"change_form": "svg_icon"})

Each profile writes ``<stem>.pdf``, ``<stem>.truth.json`` (an :class:`octa.model.Profile`) and
``<stem>.variation.json`` (the choice made in every class of :data:`VARIATIONS`; ``"none"`` where a
class does not apply, e.g. the change form of a first edition). The truth and the variation record
are deterministic for a seed (the PDF bytes are not: Chromium stamps a creation date, so the
truth's ``source.sha256`` differs from run to run). Choices are drawn from a random stream of
their own, so forcing a class with ``variations=`` leaves the truth unchanged.

Chromium is driven through Playwright (one browser process for all files) when the ``playwright``
package is importable, else through the ``chromium --headless --print-to-pdf`` command line (one
process per file). When no Chromium is found, :class:`ChromiumUnavailable` is raised: tests turn
it into a skip.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from octa import taxonomy
from octa.model import Indicator, Paragraph, Profile, Rank, Section, Source, Summary, SummaryScore
from tests.oracle import indicator_change, summary, summary_changes, unrounded

PRODUCER = "browser"
ENGINE = "chromium"

PUBLISHER = {"global": "Global Organized Crime Index", "enact": "ENACT Africa Organised Crime Index"}

#: Every variation class and its values. A class that does not apply to a profile records "none".
VARIATIONS: dict[str, tuple[Any, ...]] = {
    # number formats per role (0 = "%g": 7 and 7.5)
    "score_decimals": (0, 1, 2),
    # short: 1 decimal when the value has no second one (summary scores and their changes stay exact)
    "summary_decimals": ("2", "short"),
    "change_decimals": (1, 2),
    # how a change is printed (direction by sign, text arrow, vector icon only, or parentheses + icon)
    "change_form": ("sign_ascii", "sign_minus", "minus_only", "triangle_before", "triangle_after",
                    "arrow_before", "arrow_after", "svg_icon", "css_triangle", "parens_icon"),
    "new_form": ("n/a", "\u2013", "new"),  # an indicator new in the 2023 edition
    # labels
    "label_case": ("upper", "title", "sentence"),
    "case_by": ("text", "css"),  # the case written into the HTML text, or by CSS text-transform
    "ampersand": (False, True),
    "letter_spacing": ("none", "light", "wide"),
    "label_wrap": ("none", "narrow"),  # narrow: labels wrap over 2-4 lines
    # tables
    "row_order": ("label_score_change", "score_label_change", "score_below_label"),
    "table_style": ("plain", "grid"),  # grid: ruled HTML table with a header row
    "table_columns": (1, 2, 3),
    "group_headings": (False, True),
    "bars": ("none", "css"),
    "summary_layout": ("side_by_side", "stacked"),
    "rank_change": (False, True),  # a rank line carries the rank's own change: "50th of 193 countries -1"
    "chart": ("none", "svg"),  # ENACT trend chart (axis ticks 0/5/10, years)
    # page
    "font": ("DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Serif", "Liberation Sans Narrow",
             "DejaVu Sans Condensed"),
    "page_size": ("A4", "Letter"),
    "narrative_columns": (1, 2),
    # soft: U+00AD inside long words of labels and narrative (Chromium keeps them in the text layer,
    # and prints U+2010 where it breaks a line at one); auto: CSS hyphens: auto (Chromium hyphenates
    # only with its downloaded dictionaries: offline it looks like none, but the CSS differs)
    "hyphenation": ("none", "soft", "auto"),
    "text_align": ("left", "justify"),
    "running_header": ("index_first", "country_first"),
    "footer": ("page_of", "number"),
    # issue 25 (appended, so that the classes above draw what they drew before)
    # decorations around every score and average: scale suffix, footnote marks, spaces, brackets
    "score_decoration": ("none", "slash10", "spaced_slash10", "out_of_10", "nbsp_slash10", "star",
                         "superscript_one", "dagger", "figure_space", "brackets"),
    "rank_tie": ("none", "first", "all"),  # "=23rd of 193 countries" (the truth's rank is the printed number)
    # a change's direction as a PNG (<img> data URL) or an icon-font glyph whose code point misleads
    # (OctaIcons: triangles mapped to ≥/≤, Arabic letters, PUA points; ➚/➘ mapped to ذ/د), beside
    # the unsigned number: replaces change_form's direction
    "direction_icon": ("none", "raster", "font_ge_le", "font_arabic", "font_pua", "font_diagonal"),
    # where the narrative starts: a new page, right below the tables, or in the column beside them
    # (tables and narrative in one two-column flow)
    "narrative_start": ("new_page", "after_table", "beside_table"),
    "header_repeat": (True, False),  # a grid table's header in every column, or only in its first
    # compounds ("south-western", "24-month", "mid-2023") broken after their hyphen at line ends
    "hard_hyphen_breaks": (False, True),
    "visible_soft_hyphen": (False, True),  # a compound's hyphen drawn visibly, U+00AD in the text layer
    "summary_change_places": (2, 1),  # 1: summary changes at one decimal (+0.1 for 0.0667)
    "paragraph_gap": ("normal", "tight"),  # tight: the gap only a little larger than the leading
}

#: The classes issue 25 added, at their plain value (the first; summary_layout predates them): a
#: caller that measures only the earlier matrix forces these.
ISSUE25_PLAIN: dict[str, Any] = {c: VARIATIONS[c][0] for c in (
    "score_decoration", "rank_tie", "direction_icon", "narrative_start", "header_repeat", "hard_hyphen_breaks",
    "visible_soft_hyphen", "summary_change_places", "paragraph_gap")}

#: OctaIcons, the icon font octa ships (src/octa/fonts/, made by scripts/make_icon_font.py): read as a file
ICON_FONT_FILE = Path(__file__).resolve().parents[2] / "src" / "octa" / "fonts" / "OctaIcons.ttf"
#: direction_icon -> (up, down) code points of OctaIcons
ICON_GLYPHS = {"font_ge_le": ("\u2265", "\u2264"), "font_arabic": ("\u0631", "\u0632"),
               "font_pua": ("\ue000", "\ue001"), "font_diagonal": ("\u0630", "\u062f")}
#: sentences with compounds of digits and letters, added to some paragraphs under hard_hyphen_breaks
HARD_HYPHEN_SENTENCES = (
    "A 24-month programme started in mid-2023 in the south-western districts.",
    "An 18-month study from mid-2022 covered the north-eastern provinces.",
    "A 30-month plan for the south-eastern border is due to end in mid-2026.",
)

_SERIF = {"DejaVu Serif", "Liberation Serif"}

#: (family, year) in the order a mixed run cycles through them.
EDITIONS: tuple[tuple[str, int], ...] = (("enact", 2023), ("global", 2025), ("enact", 2019), ("global", 2023),
                                         ("enact", 2025), ("global", 2021), ("enact", 2021))


class PrintFailed(RuntimeError):
    """Chromium is installed and started, but a page did not print: a failure of the producer, never
    a reason to skip (only a missing chromium is, :class:`ChromiumUnavailable`)."""


class ChromiumUnavailable(RuntimeError):
    """No usable Chromium: callers (tests) turn this into a skip."""


# ------------------------------------------------------------------------------------------------
# Truth: scores on the half-step grid, previous edition, summaries by tests/oracle.py
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
    summary_change: dict[str, Decimal] | None
    changes: dict[str, Decimal | None]
    ranks: list[tuple[str, str, int, int, str, int]]  # metric, scope, rank, of, area, rank change
    paragraphs: dict[str, str] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return self.previous is not None


def _on_grid(x: float) -> Decimal:
    return Decimal(min(20, max(2, round(x * 2)))) / 2


def draw_truth(rng: random.Random, family: str, year: int) -> Truth:
    pool = [c for c in taxonomy.COUNTRIES if family == "global" or c[1] == "Africa"]
    country, continent, region = rng.choice(pool)
    crime, res = rng.uniform(1.5, 8.8), rng.uniform(1.2, 8.8)
    spread = rng.choice((0.6, 1.4, 2.2))
    scores = {i.id: _on_grid((res if i.pillar == "resilience" else crime) + rng.gauss(0, spread))
              for i in taxonomy.indicators_for(year)}
    prev_year = taxonomy.previous_edition(family, year)
    previous = None
    if prev_year is not None:
        steps = (-4, -2, -1, -1, 0, 0, 0, 0, 1, 1, 2, 3)
        previous = {i.id: _on_grid(float(scores[i.id]) - rng.choice(steps) / 2)
                    for i in taxonomy.indicators_for(prev_year)}
    changes = {i: (indicator_change(s, previous.get(i)) if previous is not None else None)
               for i, s in scores.items()}
    summ = summary(scores, year)
    summ_change = summary_changes(scores, year, previous, prev_year) if previous is not None else None
    cont_n, reg_n = taxonomy.area_counts()
    ranks = []
    for metric in ("criminality", "resilience"):
        g = rng.randint(1, len(taxonomy.COUNTRIES))
        c = min(cont_n[continent], max(1, g * cont_n[continent] // len(taxonomy.COUNTRIES) + rng.randint(-3, 3)))
        r = min(reg_n[region], c, max(1, c * reg_n[region] // cont_n[continent] + rng.randint(-1, 2)))
        scopes = [("global", g, len(taxonomy.COUNTRIES), "countries")] if family == "global" else []
        scopes += [("continent", c, cont_n[continent], continent), ("region", r, reg_n[region], region)]
        for scope, rank, of, area in scopes:
            ranks.append((metric, scope, rank, of, area, rng.choice((-5, -2, -1, 1, 1, 2, 3, 7))))
    return Truth(family, year, country, continent, region, scores, previous, prev_year, summ, summ_change,
                 changes, ranks)


# ------------------------------------------------------------------------------------------------
# Narrative: made-up English, one paragraph per indicator
# ------------------------------------------------------------------------------------------------

_SUBJECT = {
    "extortion_and_protection_racketeering": ("extortion and protection racketeering", "racketeering"),
    "trade_in_counterfeit_goods": ("the trade in counterfeit goods", "counterfeiting"),
    "illicit_trade_in_excisable_goods": ("the illicit trade in excisable goods", "smuggling of excisable goods"),
    "non_renewable_resource_crimes": ("crimes involving non-renewable resources", "illegal mining"),
    "cyber_dependent_crimes": ("cyber-dependent crime", "cybercrime"),
    "mafia_style_groups": ("mafia-style groups", "clan-based criminal organisations"),
    "state_embedded_actors": ("state-embedded actors", "corrupt officials"),
    "private_sector_actors": ("private-sector actors", "complicit businesses"),
    "political_leadership_and_governance": ("political leadership", "the governing authorities"),
    "government_transparency_and_accountability": ("government transparency", "accountability mechanisms"),
    "judicial_system_and_detention": ("the judicial system", "the courts and prisons"),
    "anti_money_laundering": ("the anti-money laundering framework", "financial intelligence"),
    "economic_regulatory_capacity": ("economic regulatory capacity", "market regulation"),
    "victim_and_witness_support": ("victim and witness support", "assistance to victims"),
    "prevention": ("prevention", "preventive programmes"),
    "non_state_actors": ("non-state actors", "civil society organisations"),
}

_PROSE_COUNTRY = {"Congo, Dem. Rep.": "the Democratic Republic of the Congo", "Congo, Rep.": "the Republic of Congo",
                  "Korea, Rep.": "South Korea", "Korea, DPR": "North Korea", "Gambia": "the Gambia",
                  "Micronesia (Federated States of)": "Micronesia", "Central African Republic":
                  "the Central African Republic", "United States": "the United States", "United Kingdom":
                  "the United Kingdom", "Netherlands": "the Netherlands", "Philippines": "the Philippines"}

_OPEN = {
    "criminal_markets": (
        "{Subject} is a {level} phenomenon in {country}, according to the assessment.",
        "Across {country}, {subject} remains {level} and is closely tied to the wider {region} economy.",
        "Observers describe {subject} in {country} as {level}, with most activity concentrated near the borders.",
        "In {country}, {subject} has {trend} since the previous assessment and is considered {level}.",
    ),
    "criminal_actors": (
        "{Subject} play a {level} role in the criminal landscape of {country}.",
        "The influence of {subject} in {country} is considered {level}.",
        "In {country}, {subject} have {trend} in recent years and their presence is now {level}.",
    ),
    "resilience": (
        "{Subject} in {country} is regarded as {level}.",
        "The strength of {subject} in {country} remains {level} by regional standards.",
        "Since the last edition, {subject} in {country} has {trend} and is now described as {level}.",
    ),
}
_MIDDLE = {
    "criminal_markets": (
        "Networks exploit porous frontiers and weak oversight of transport corridors.",
        "Proceeds are frequently laundered through informal transfer systems and cash-intensive businesses.",
        "Reports from {year_before} point to routes running through neighbouring states in {region}.",
        "Local communities are sometimes dependent on the income, which complicates enforcement.",
        "Seizures remain rare, and those recorded are often small relative to the estimated flows.",
        "Demand is driven partly by domestic consumption and partly by onward shipment to overseas markets.",
        "Intermediaries arrange documentation, transportation and protection for a fee.",
        "Authorities estimate that roughly 1.5 million people live in the most affected districts.",
        "Coordination between customs, police and prosecutors has historically been limited.",
        "Some of the activity is seasonal and follows agricultural cycles and religious holidays.",
    ),
    "criminal_actors": (
        "These groups rely on family ties, patronage and intimidation rather than formal hierarchies.",
        "Their members frequently cooperate with counterparts in {region} and further afield.",
        "Collusion with officials at checkpoints and ports provides them with a degree of impunity.",
        "Violence is used selectively, mostly to settle disputes over territory and revenue.",
        "There is little evidence that they control entire institutions, though influence is growing.",
        "Some actors have diversified into legitimate sectors such as construction and transportation.",
    ),
    "resilience": (
        "Institutional responsibilities are fragmented across several ministries and agencies.",
        "Funding constraints and staff shortages limit the implementation of existing commitments.",
        "Legislation adopted in {year_before} has not yet been fully implemented.",
        "International partners provide training and equipment, but sustainability remains a concern.",
        "Independent oversight bodies exist, although their recommendations are often disregarded.",
        "Public trust in institutions is low, particularly in rural and border communities.",
        "Cooperation with regional mechanisms in {region} has improved in some areas.",
        "Corruption continues to undermine accountability and the impartial administration of justice.",
    ),
}
_CLOSE = (
    "Overall, the situation calls for sustained attention from national and international stakeholders.",
    "Further research is needed to establish the full extent of the problem.",
    "Without comprehensive reforms, little improvement can be expected in the short term.",
    "The outlook therefore remains uncertain.",
    "",
)
_LEVELS = {
    "criminal_markets": ("limited", "moderate", "significant", "pervasive"),
    "criminal_actors": ("marginal", "moderate", "substantial", "dominant"),
    "resilience": ("very weak", "weak", "moderately effective", "effective"),
}


def _trend(change: Decimal | None, pillar: str) -> str:
    if change is None:
        return "been measured for the first time"
    if change == 0:
        return "remained broadly unchanged"
    up = change > 0
    if pillar == "resilience":
        return "improved" if up else "deteriorated"
    return "expanded" if up else "declined"


def make_paragraph(rng: random.Random, t: Truth, ind: taxonomy.Indicator) -> str:
    subj = _SUBJECT.get(ind.id, (ind.label.lower(), ind.label.lower()))
    score = t.scores[ind.id]
    levels = _LEVELS[ind.pillar]
    level = levels[min(3, int((score - 1) / Decimal("2.3")))]
    ctx = {"country": _PROSE_COUNTRY.get(t.country, t.country), "region": t.region, "level": level,
           "trend": _trend(t.changes[ind.id], ind.pillar), "year_before": str(t.year - rng.randint(2, 6))}
    s0 = rng.choice(_OPEN[ind.pillar]).format(subject=subj[0], Subject=subj[0][:1].upper() + subj[0][1:], **ctx)
    middle = rng.sample(_MIDDLE[ind.pillar], rng.randint(2, 4))
    mid = [m.format(**ctx) for m in middle]
    alt = rng.choice((f"Much of this concerns {subj[1]}.", f"The term {subj[1]} is also used locally.", ""))
    text = " ".join(x for x in (s0, *mid, alt, rng.choice(_CLOSE)) if x)
    return text


_VOWEL = set("aeiouy")
_DIGRAPHS = {"th", "ch", "sh", "ph", "ck", "ng", "gh", "wh", "qu", "bl", "br", "cl", "cr", "pl", "pr", "tr"}


def soft_hyphenate(text: str) -> str:
    """Insert U+00AD inside words of 9+ letters at rough syllable breaks (vowel | consonant vowel,
    or vowel consonant | consonant vowel), at least 3 letters from either end and from each other."""
    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        lw = w.lower()
        vowel = [c in _VOWEL for c in lw]
        out, last = [], 0
        for k in range(3, len(w) - 2):
            if k - last < 3 or not vowel[k + 1] or vowel[k]:
                continue
            if vowel[k - 1] or (not vowel[k - 1] and vowel[k - 2] and lw[k - 1:k + 1] not in _DIGRAPHS):
                out.append(w[last:k])
                last = k
        out.append(w[last:])
        return "\u00ad".join(out)
    return re.sub(r"[A-Za-z]{9,}", one, text)


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
        pick = rng.choice(vals)  # always drawn, so that forcing one class leaves the others unchanged
        if k in forced:
            if forced[k] not in vals:
                raise ValueError(f"{k} must be one of {vals!r}, not {forced[k]!r}")
            pick = forced[k]
        v[k] = pick
    changes = taxonomy.has_changes(family, year)
    if not changes:
        for k in ("change_form", "change_decimals", "new_form", "rank_change"):
            v[k] = "none"
    if year != 2023:
        v["new_form"] = "none"
    if family != "enact":
        v["chart"] = "none"
    if v["label_case"] == "sentence":
        v["case_by"] = "none"
    if not changes:
        v["direction_icon"] = "none"
        v["summary_change_places"] = "none"
    if v["narrative_start"] == "beside_table":  # one flow of two columns: the tables take one
        v["table_columns"] = 1
        v["narrative_columns"] = 2
    return v


# ------------------------------------------------------------------------------------------------
# Formatting
# ------------------------------------------------------------------------------------------------

E = html.escape


def ordinal(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def rank_text(family: str, scope: str, rank: int, of: int, area: str) -> str:
    if family == "enact":
        return f"{ordinal(rank)} of {of} {area + 'n' if area.endswith('Africa') else area} countries"
    if scope == "global":
        return f"{ordinal(rank)} of {of} countries"
    return f"{ordinal(rank)} of {of} countries in {area}"


def fmt_score(d: Decimal, places: int) -> str:
    if places == 0:
        return f"{d:.0f}" if d == d.to_integral_value() else f"{d:.1f}"
    return f"{d:.{places}f}"


def fmt_summary(d: Decimal, style: str) -> str:
    if style == "short" and (d * 10) == (d * 10).to_integral_value():
        return f"{d:.1f}"
    return f"{d:.2f}"


_DECOR = {"none": ("", ""), "slash10": ("", "/10"), "spaced_slash10": ("", " / 10"), "out_of_10": ("", " out of 10"),
          "nbsp_slash10": ("", "\u00a0/\u00a010"), "star": ("", "*"), "superscript_one": ("", "\u00b9"),
          "dagger": ("", "\u2020"), "figure_space": ("", ""), "brackets": ("[", "]")}


def decorate(num: str, v: dict[str, Any]) -> str:
    """A score or average as printed with the ``score_decoration`` around it."""
    deco = v.get("score_decoration", "none")
    if deco == "figure_space":  # a figure space pads a one-digit integer part
        return ("\u2007" if len(num.split(".")[0]) == 1 else "") + num
    pre, suf = _DECOR[deco]
    return pre + num + suf


def direction_png(up: bool) -> bytes:
    """A 16 x 16 px PNG (RGB): a green triangle pointing up or a red one pointing down on white."""
    import struct
    import zlib

    n = 16
    ink = b"\x1e\x84\x49" if up else b"\xc0\x39\x2b"
    raw = b""
    for y in range(n):
        depth = (y - 2) if up else (n - 3 - y)  # rows from the apex
        half = depth * 0.55 if 0 <= depth <= 11 else -1
        raw += b"\x00" + b"".join(ink if abs(x + 0.5 - n / 2) <= half + 0.5 else b"\xff\xff\xff" for x in range(n))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


_SMALL_WORDS = {"and", "in", "of", "the", "&"}


def title_case(label: str) -> str:
    words = []
    for k, w in enumerate(label.split(" ")):
        if k and w in _SMALL_WORDS:
            words.append(w)
        else:
            words.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    return " ".join(words)


def label_html(label: str, v: dict[str, Any]) -> tuple[str, str]:
    """The label's text and its CSS class (for case by CSS)."""
    if v["ampersand"]:
        label = label.replace(" and ", " & ")
    case, by = v["label_case"], v["case_by"]
    cls = ""
    if case == "upper" and by == "text":
        label = label.upper()
    elif case == "title" and by == "text":
        label = title_case(label)
    elif case != "sentence":
        cls = "tt-upper" if case == "upper" else "tt-cap"
    if v["hyphenation"] == "soft":
        label = soft_hyphenate(label)
    return label, cls


_UP_SVG = ('<svg class="ico" width="8" height="8" viewBox="0 0 10 10"><polygon points="5,0 10,10 0,10" '
           'fill="#c0392b"/></svg>')
_DOWN_SVG = ('<svg class="ico" width="8" height="8" viewBox="0 0 10 10"><polygon points="0,0 10,0 5,10" '
             'fill="#1e8449"/></svg>')
_UP_ARROW_SVG = ('<svg class="ico" width="7" height="10" viewBox="0 0 7 10"><path d="M3.5 10 V2 M0.5 4 L3.5 0.5 '
                 'L6.5 4" stroke="#c0392b" stroke-width="1.4" fill="none"/></svg>')
_DOWN_ARROW_SVG = ('<svg class="ico" width="7" height="10" viewBox="0 0 7 10"><path d="M3.5 0 V8 M0.5 6 L3.5 9.5 '
                   'L6.5 6" stroke="#1e8449" stroke-width="1.4" fill="none"/></svg>')


def change_html(d: Decimal | None, mag: str, v: dict[str, Any]) -> str:
    """A change as printed: ``mag`` is the unsigned magnitude already formatted."""
    if d is None:
        return f'<span class="chg new">{E(v["new_form"])}</span>'
    form = v["change_form"]
    if d == 0:
        return f'<span class="chg">{mag}</span>'
    up = d > 0
    icon = v.get("direction_icon", "none")
    if icon == "raster":
        png = base64.b64encode(direction_png(up)).decode()
        return f'<span class="chg">{mag}<img class="ico" width="8" height="8" src="data:image/png;base64,{png}"></span>'
    if icon in ICON_GLYPHS:
        return f'<span class="chg"><span class="ic">{ICON_GLYPHS[icon][0 if up else 1]}</span>{mag}</span>'
    sep = "\u202f" if v.get("score_decoration") == "figure_space" else ""  # between the sign and the digits
    if form == "sign_ascii":
        s = ("+" if up else "-") + sep + mag
    elif form == "sign_minus":
        s = ("+" if up else "\u2212") + sep + mag
    elif form == "minus_only":
        s = ("" if up else "-" + sep) + mag
    elif form == "triangle_before":
        s = ("\u25b2" if up else "\u25bc") + mag
    elif form == "triangle_after":
        s = mag + ("\u25b2" if up else "\u25bc")
    elif form == "arrow_before":
        s = ("\u2191 " if up else "\u2193 ") + mag
    elif form == "arrow_after":
        s = mag + (" \u2191" if up else " \u2193")
    elif form == "svg_icon":
        return f'<span class="chg">{_UP_SVG if up else _DOWN_SVG}{mag}</span>'
    elif form == "css_triangle":
        return f'<span class="chg">{mag}<span class="tri {"up" if up else "down"}"></span></span>'
    elif form == "parens_icon":
        return f'<span class="chg">({mag}){_UP_ARROW_SVG if up else _DOWN_ARROW_SVG}</span>'
    else:
        raise ValueError(form)
    return f'<span class="chg">{E(s)}</span>'


def indicator_change_html(d: Decimal | None, v: dict[str, Any]) -> str:
    mag = "" if d is None else f"{abs(d):.{v['change_decimals']}f}"
    return change_html(d, mag, v)


def _summary_change_at_one(t: Truth, v: dict[str, Any], metric: str) -> str | None:
    """The truth's record of a summary change printed with one decimal (the exact difference of the
    unrounded means rounded half away from zero: ``-0.2`` for -0.2467, whose two-decimal change is
    -0.25); None when printed otherwise."""
    if v.get("summary_change_places") != 1 or t.summary_change is None or t.previous is None \
            or t.previous_year is None:
        return None
    from decimal import ROUND_HALF_UP

    exact = unrounded(t.scores, t.year)[metric] - unrounded(t.previous, t.previous_year)[metric]
    return f"{exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):+.1f}"


def summary_change_html(d: Decimal, v: dict[str, Any], t: Truth | None = None, metric: str | None = None) -> str:
    """A summary change; with ``summary_change_places`` 1 the exact difference of the unrounded
    means (from ``t``) rounded half away from zero to one decimal."""
    if v.get("summary_change_places") == 1 and t is not None and metric is not None:
        from decimal import ROUND_HALF_UP

        assert t.previous is not None and t.previous_year is not None
        exact = unrounded(t.scores, t.year)[metric] - unrounded(t.previous, t.previous_year)[metric]
        d1 = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return change_html(d1, f"{abs(d1):.1f}", v)
    return change_html(d, fmt_summary(abs(d), v["summary_decimals"]), v)


# ------------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------------

_SPACING = {"none": "normal", "light": "0.05em", "wide": "0.13em"}


def _css(t: Truth, v: dict[str, Any]) -> str:
    font = v["font"]
    generic = "serif" if font in _SERIF else "sans-serif"
    stretch = "condensed" if "Condensed" in font else "normal"
    size = {1: 9.0, 2: 8.2, 3: 7.4}[v["table_columns"]]
    lw = "62pt" if v["label_wrap"] == "narrow" else "minmax(0, 1fr)"
    bars = v["bars"] == "css"
    chg = t.has_changes
    order = v["row_order"]
    # the score cell: wider for a decorated score (so that "6.50/10" never touches its label)
    sw = {"none": "26pt", "out_of_10": "60pt", "slash10": "42pt", "spaced_slash10": "48pt",
          "nbsp_slash10": "48pt"}.get(v.get("score_decoration", "none"), "34pt")
    if order == "label_score_change":
        cols = [lw] + (["minmax(18pt, 0.6fr)"] if bars else []) + [sw] + (["38pt"] if chg else [])
    elif order == "score_label_change":
        cols = [sw, lw] + (["minmax(18pt, 0.6fr)"] if bars else []) + (["38pt"] if chg else [])
    else:
        cols = [sw] + (["minmax(18pt, 1fr)"] if bars else []) + (["38pt"] if chg else [])
    pub = PUBLISHER[t.family].upper()
    name = t.country.upper()
    header = (f"{pub} {t.year} | {name}" if v["running_header"] == "index_first"
              else f"{name} \u00b7 {pub} {t.year}")
    copy = f"\u00a9{t.year} OCINDEX.NET" if t.family == "global" else f"\u00a9 ENACT {t.year}"
    page_no = '"PAGE " counter(page) " OF " counter(pages)' if v["footer"] == "page_of" else "counter(page)"

    def css_str(x: str) -> str:  # a CSS string literal
        return '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"""
@page {{ size: {'A4' if v['page_size'] == 'A4' else 'letter'}; margin: 17mm 15mm 18mm 15mm;
  @top-left {{ content: {css_str(header)}; font: 6.5pt '{font}', {generic}; color: #777 }}
  @bottom-left {{ content: {css_str(copy)}; font: 6.5pt '{font}', {generic}; color: #777 }}
  @bottom-right {{ content: {page_no}; font: 6.5pt '{font}', {generic}; color: #777 }} }}
@page :first {{ @top-left {{ content: none }} }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact }}
body {{ font-family: '{font}', {generic}; font-stretch: {stretch}; color: #1d1d1d; margin: 0; font-size: 9.5pt }}
.pub {{ font-size: 8pt; color: #8a1538; letter-spacing: 0.04em }}
h1 {{ font-size: 24pt; margin: 2pt 0 8pt 0 }}
.summary {{ display: flex; gap: 14pt; margin-bottom: 8pt; flex-direction: {'row' if v['summary_layout'] == 'side_by_side' else 'column'} }}
.big {{ flex: 1; border-top: 2pt solid #8a1538; padding-top: 3pt }}
.big .cap {{ font-weight: bold; font-size: 8.5pt; letter-spacing: {_SPACING[v['letter_spacing']]} }}
.big .num {{ font-size: 22pt; font-weight: bold }}
.big .num .chg {{ font-size: 10pt; font-weight: normal; margin-left: 8pt }}
.big .rank {{ font-size: 8pt; color: #444 }}
.chart {{ margin: 2pt 0 6pt 0 }}
.pillar {{ margin-top: 7pt; font-size: {size}pt }}
.ph {{ display: flex; gap: 8pt; align-items: baseline; font-weight: bold; font-size: {size + 1.5}pt;
       border-bottom: 1pt solid #8a1538; margin-bottom: 2pt; letter-spacing: {_SPACING[v['letter_spacing']]} }}
.ph .pv {{ margin-left: auto }}
.ph .chg {{ font-weight: normal }}
.cols {{ column-count: {v['table_columns']}; column-gap: 12pt }}
.grp {{ font-weight: bold; font-size: {size - 0.5}pt; color: #555; margin-top: 3pt; break-after: avoid;
        letter-spacing: {_SPACING[v['letter_spacing']]} }}
.row {{ display: grid; grid-template-columns: {' '.join(cols)}; column-gap: 5pt; align-items: center;
        break-inside: avoid; padding: 1.2pt 0; border-bottom: 0.4pt solid #e4e4e4 }}
.row.below .lab {{ grid-column: 1 / -1 }}
.lab {{ letter-spacing: {_SPACING[v['letter_spacing']]} }}
.num {{ text-align: right }}
.chg {{ white-space: nowrap }}
.tt-upper {{ text-transform: uppercase }}
.tt-cap {{ text-transform: capitalize }}
.track {{ background: #e2e2e2; height: 4.5pt; width: 100%; min-width: 16pt }}
.track .fill {{ background: #8a1538; height: 100% }}
.flex {{ display: flex; gap: 10pt; align-items: flex-start }}
.flex > table {{ flex: {'0 1 auto' if v['label_wrap'] == 'narrow' else '1'} }}
table.grid {{ border-collapse: collapse; width: {'auto' if v['label_wrap'] == 'narrow' else '100%'}; font-size: {size}pt }}
table.grid th {{ text-align: left; font-size: {size - 0.8}pt; letter-spacing: 0.06em; background: #eee }}
table.grid th, table.grid td {{ border: 0.6pt solid #999; padding: 1.5pt 3pt; vertical-align: middle }}
table.grid td.lab {{ {'width: 62pt; max-width: 62pt;' if v['label_wrap'] == 'narrow' else ''} }}
table.grid td.num {{ width: {'30pt' if sw == '26pt' else sw}; white-space: nowrap }}
table.grid td.chg {{ width: 38pt }}
table.grid tr.g td {{ font-weight: bold; background: #f6f6f6; letter-spacing: {_SPACING[v['letter_spacing']]} }}
.ico {{ margin: 0 2pt; vertical-align: middle }}
.tri {{ display: inline-block; width: 0; height: 0; margin-left: 3pt; border-left: 3.5pt solid transparent;
        border-right: 3.5pt solid transparent }}
.tri.up {{ border-bottom: 6pt solid #c0392b }}
.tri.down {{ border-top: 6pt solid #1e8449 }}
{_css_issue25(v)}
.narr {{ break-before: {_narr_break(v)}; column-count: {1 if v.get('narrative_start') == 'beside_table' else v['narrative_columns']}; column-gap: 18pt;
         text-align: {v['text_align']}; hyphens: {'auto' if v['hyphenation'] == 'auto' else 'manual'} }}
.narr h2 {{ font-size: 14pt; margin: 10pt 0 4pt 0; break-after: avoid; letter-spacing: {_SPACING[v['letter_spacing']]} }}
.narr h3 {{ font-size: 11.5pt; margin: 8pt 0 3pt 0; break-after: avoid }}
.narr h4 {{ font-size: 9.5pt; margin: 7pt 0 2pt 0; break-after: avoid; letter-spacing: {_SPACING[v['letter_spacing']]} }}
.narr p {{ margin: 0 0 {'1.3pt' if v.get('paragraph_gap') == 'tight' else '5pt'} 0; line-height: 1.32 }}
"""


def _narr_break(v: dict[str, Any]) -> str:
    return {"after_table": "auto", "beside_table": "column"}.get(v.get("narrative_start", "new_page"), "page")


def _css_issue25(v: dict[str, Any]) -> str:
    """The icon font (when a class draws with it), the two-column flow of tables and narrative,
    and, for hard_hyphen_breaks, the screen width of the print area (the break script measures lines)."""
    out = []
    if v.get("direction_icon") in ICON_GLYPHS or v.get("visible_soft_hyphen") is True:
        font = base64.b64encode(ICON_FONT_FILE.read_bytes()).decode()
        out.append(f"@font-face {{ font-family: 'OctaIcons'; src: url(data:font/ttf;base64,{font}) format('truetype') }}")
        out.append(".ic { font-family: 'OctaIcons'; unicode-bidi: isolate; margin: 0 2pt; font-size: 85% }")
        out.append(".vh { font-family: 'OctaIcons' }")
    if v.get("narrative_start") == "beside_table":
        out.append(".flow { column-count: 2; column-gap: 18pt }")
    if v.get("narrative_start") == "after_table":
        out.append(".narr { margin-top: 12pt }")
    if v.get("hard_hyphen_breaks") is True:
        out.append(f"html {{ width: {'180mm' if v['page_size'] == 'A4' else '185.9mm'} }}")
    return "\n".join(out)


def _bar(score: Decimal, v: dict[str, Any]) -> str:
    if v["bars"] != "css":
        return ""
    return f'<div class="track"><div class="fill" style="width:{score * 10}%"></div></div>'


def _row_plain(t: Truth, ind: taxonomy.Indicator, v: dict[str, Any]) -> str:
    text, cls = label_html(ind.label, v)
    lab = f'<div class="lab {cls}">{E(text)}</div>'
    num = f'<div class="num">{decorate(fmt_score(t.scores[ind.id], v["score_decimals"]), v)}</div>'
    bar = f"<div>{_bar(t.scores[ind.id], v)}</div>" if v["bars"] == "css" else ""
    chg = f'<div class="num">{indicator_change_html(t.changes[ind.id], v)}</div>' if t.has_changes else ""
    order = v["row_order"]
    if order == "label_score_change":
        cells = lab + bar + num + chg
    elif order == "score_label_change":
        cells = num + lab + bar + chg
    else:
        return f'<div class="row below">{lab}{num}{bar}{chg}</div>'
    return f'<div class="row">{cells}</div>'


def _row_grid(t: Truth, ind: taxonomy.Indicator, v: dict[str, Any]) -> str:
    text, cls = label_html(ind.label, v)
    score = decorate(fmt_score(t.scores[ind.id], v["score_decimals"]), v)
    bar = _bar(t.scores[ind.id], v)
    chg = f'<td class="chg">{indicator_change_html(t.changes[ind.id], v)}</td>' if t.has_changes else ""
    order = v["row_order"]
    if order == "label_score_change":
        return f'<tr><td class="lab {cls}">{E(text)}</td><td class="num">{score}{bar}</td>{chg}</tr>'
    if order == "score_label_change":
        return f'<tr><td class="num">{score}{bar}</td><td class="lab {cls}">{E(text)}</td>{chg}</tr>'
    return (f'<tr><td class="lab {cls}">{E(text)}<div class="num" style="text-align:left">{score}</div>{bar}</td>'
            f"{chg}</tr>")


def _grid_header(t: Truth, v: dict[str, Any]) -> str:
    order = v["row_order"]
    cells = {"label_score_change": ["INDICATOR", "SCORE"], "score_label_change": ["SCORE", "INDICATOR"],
             "score_below_label": ["INDICATOR / SCORE"]}[order]
    if t.has_changes:
        cells.append("CHANGE")
    return "<tr>" + "".join(f"<th>{c}</th>" for c in cells) + "</tr>"


def _pillar_heading(t: Truth, pillar: str, v: dict[str, Any]) -> str:
    text, cls = label_html(taxonomy.SUMMARY_LABELS[pillar], v)
    out = f'<div class="ph"><span class="{cls}">{E(text)}</span>'
    if pillar != "resilience":
        out += f'<span class="pv">{decorate(fmt_summary(t.summary[pillar], v["summary_decimals"]), v)}</span>'
        if t.summary_change is not None:
            out += summary_change_html(t.summary_change[pillar], v, t, pillar)
    return out + "</div>"


def _pillar_table(t: Truth, pillar: str, v: dict[str, Any]) -> str:
    items: list[tuple[str, Any]] = []  # ("group", heading) or ("row", indicator)
    inds = taxonomy.indicators_for(t.year, pillar)
    last = None
    for ind in inds:
        if v["group_headings"] and ind.group is not None and ind.group != last:
            items.append(("group", taxonomy.GROUPS_BY_ID[ind.group].heading))
        last = ind.group
        items.append(("row", ind))
    out = [f'<div class="pillar">{_pillar_heading(t, pillar, v)}']
    if v["table_style"] == "plain":
        out.append('<div class="cols">')
        for kind, x in items:
            out.append(f'<div class="grp">{E(x)}</div>' if kind == "group" else _row_plain(t, x, v))
        out.append("</div>")
    else:
        n = v["table_columns"]
        per = -(-len(items) // n)
        chunks = [items[k:k + per] for k in range(0, len(items), per)]
        ncell = (2 if v["row_order"] != "score_below_label" else 1) + (1 if t.has_changes else 0)
        out.append('<div class="flex">')
        for k, chunk in enumerate(chunks):
            head = f"<thead>{_grid_header(t, v)}</thead>" if k == 0 or v.get("header_repeat", True) else ""
            out.append(f'<table class="grid">{head}<tbody>')
            for kind, x in chunk:
                out.append(f'<tr class="g"><td colspan="{ncell}">{E(x)}</td></tr>' if kind == "group"
                           else _row_grid(t, x, v))
            out.append("</tbody></table>")
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)


def _chart(t: Truth, rng: random.Random) -> str:
    years = [y for y in taxonomy.EDITIONS["enact"] if y <= t.year]
    w, h, x0, y0 = 230, 80, 22, 8
    def xy(k: int, val: float) -> str:
        x = x0 + (w - x0 - 10) * (k / max(1, len(taxonomy.EDITIONS["enact"]) - 1))
        return f"{x:.1f},{y0 + (h - y0 - 16) * (1 - val / 10):.1f}"
    lines = []
    for metric, colour in (("criminality", "#8a1538"), ("resilience", "#1f618d")):
        vals = [max(1.0, min(10.0, float(t.summary[metric]) + rng.uniform(-1, 1))) for _ in years[:-1]]
        vals.append(float(t.summary[metric]))
        pts = " ".join(xy(k, val) for k, val in enumerate(vals))
        lines.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
    ticks = "".join(f'<text x="{x0 - 4}" y="{y0 + (h - y0 - 16) * (1 - s / 10) + 3:.1f}" font-size="7" '
                    f'text-anchor="end">{s}</text>' for s in (10, 5, 0))
    yl = "".join(f'<text x="{xy(k, 0).split(",")[0]}" y="{h - 2}" font-size="7" text-anchor="middle">{y}</text>'
                 for k, y in enumerate(taxonomy.EDITIONS["enact"]))
    axis = f'<path d="M{x0} {y0} V{h - 16} H{w - 6}" stroke="#999" fill="none" stroke-width="0.6"/>'
    return f'<div class="chart"><svg width="{w}" height="{h}">{axis}{ticks}{yl}{"".join(lines)}</svg></div>'


def _summary_block(t: Truth, v: dict[str, Any]) -> str:
    out = ['<div class="summary">']
    for metric in ("criminality", "resilience"):
        chg = "" if t.summary_change is None else summary_change_html(t.summary_change[metric], v, t, metric)
        ranks = []
        for m, scope, rank, of, area, rch in t.ranks:
            if m != metric:
                continue
            s = rank_text(t.family, scope, rank, of, area)
            if v.get("rank_tie", "none") == "all" or (v.get("rank_tie") == "first" and not ranks):
                s = "=" + s
            if v["rank_change"] is True:
                s += f" {rch:+d}"
            ranks.append(f'<div class="rank">{E(s)}</div>')
        out.append(f'<div class="big"><div class="cap">{metric.upper()} SCORE</div>'
                   f'<div class="num">{decorate(fmt_summary(t.summary[metric], v["summary_decimals"]), v)}{chg}</div>'
                   f'{"".join(ranks)}</div>')
    out.append("</div>")
    return "\n".join(out)


def narrative_tree(year: int) -> list[tuple[list[str], int, list[str]]]:
    """(path, level, indicator ids of its paragraphs) in reading order."""
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


def _narrative(t: Truth, v: dict[str, Any]) -> str:
    out = ['<div class="narr" lang="en">']
    for path, level, ids in narrative_tree(t.year):
        tag = {1: "h2", 2: "h3", 3: "h4"}[level]
        out.append(f"<{tag}>{E(path[-1])}</{tag}>")
        for i in ids:
            text = t.paragraphs[i]
            body = E(text)
            if v["hyphenation"] == "soft":
                body = soft_hyphenate(body)
            if v.get("hard_hyphen_breaks") is True:  # the compounds a script may break at a line end
                for w in _HARD_WORDS:
                    head, tail = w.split("-", 1)
                    body = body.replace(w, f'<span class="hh">{head}-</span>{tail}')
            if v.get("visible_soft_hyphen") is True:  # U+2010 drawn by OctaIcons, whose glyph maps back to U+00AD
                body = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", '<span class="vh">\u2010</span>', body)
            out.append(f"<p>{body}</p>")
    out.append("</div>")
    return "\n".join(out)


_HARD_WORDS = sorted({w.strip(".,") for s in HARD_HYPHEN_SENTENCES for w in s.split() if "-" in w}, key=len,
                     reverse=True)

#: hard_hyphen_breaks: after the fonts are ready, a compound whose head ends in the right part of
#: its line gets a line break after its hyphen (the head "24-" ends the line, "month" starts the next)
_HARD_BREAK_JS = """<script>
document.fonts.ready.then(() => {
  for (const s of document.querySelectorAll('span.hh')) {
    const r = s.getBoundingClientRect();
    for (const f of s.closest('p').getClientRects()) {
      if (r.left >= f.left - 1 && r.right <= f.right + 1 && r.top >= f.top - 1 && r.bottom <= f.bottom + 1) {
        if (r.right > f.right - 0.45 * f.width) s.insertAdjacentElement('afterend', document.createElement('br'));
        break;
      }
    }
  }
});
</script>"""


def profile_html(t: Truth, v: dict[str, Any], chart_rng: random.Random) -> str:
    parts = [f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{E(t.country)}</title>'
             f"<style>{_css(t, v)}</style></head><body>",
             f'<div class="pub">{E(PUBLISHER[t.family])} {t.year}</div>',
             f"<h1>{E(t.country)}</h1>",
             _summary_block(t, v)]
    if v["chart"] == "svg":
        parts.append(_chart(t, chart_rng))
    beside = v.get("narrative_start") == "beside_table"
    if beside:
        parts.append('<div class="flow">')
    for pillar in taxonomy.PILLARS:
        parts.append(_pillar_table(t, pillar, v))
    parts.append(_narrative(t, v))
    if beside:
        parts.append("</div>")
    if v.get("hard_hyphen_breaks") is True:
        parts.append(_HARD_BREAK_JS)
    parts.append("</body></html>")
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------------
# Printing with Chromium
# ------------------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    for c in (os.environ.get("OCTA_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
              shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if c and Path(c).exists() and os.access(c, os.X_OK):
            return c
    return None


class Printer:
    """Prints HTML to PDF: one Playwright-driven Chromium for many files, else the Chromium CLI."""

    def __init__(self, use_playwright: bool = True) -> None:
        exe = find_chromium()
        if exe is None:
            raise ChromiumUnavailable("no chromium found (set OCTA_CHROMIUM or install Debian's chromium)")
        self.exe = exe
        self.mode = "cli"
        self._pw: Any = None
        self._browser: Any = None
        self._page: Any = None
        self._tmp = tempfile.TemporaryDirectory(prefix="octa-browser-")
        if use_playwright:
            try:
                from playwright.sync_api import sync_playwright

                self._pw = sync_playwright().start()
                self._browser = self._pw.chromium.launch(
                    executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
                self._page = self._browser.new_page()
                self.mode = "playwright"
            except Exception:  # no playwright, or it cannot drive this chromium: the CLI still can
                self._close_playwright()

    def _close_playwright(self) -> None:
        for obj, meth in ((self._browser, "close"), (self._pw, "stop")):
            if obj is not None:
                try:
                    getattr(obj, meth)()
                except Exception:
                    pass
        self._pw = self._browser = self._page = None

    def print_pdf(self, html_text: str, target: Path) -> None:
        if self.mode == "playwright":
            self._page.set_content(html_text, wait_until="load")
            self._page.evaluate("document.fonts.ready.then(() => true)")
            self._page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
            return
        src = Path(self._tmp.name) / "page.html"
        src.write_text(html_text, encoding="utf-8")
        if target.exists():
            target.unlink()
        run = subprocess.run(
            [self.exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={Path(self._tmp.name) / 'profile'}", "--no-pdf-header-footer",
             f"--print-to-pdf={target}", src.as_uri()], capture_output=True, text=True, timeout=180)
        if not target.exists():
            raise PrintFailed(f"chromium could not print to PDF: {run.stderr[-400:]}")

    def close(self) -> None:
        self._close_playwright()
        self._tmp.cleanup()

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------------------------------------
# Truth profile (with the pages each paragraph landed on, found in the printed text)
# ------------------------------------------------------------------------------------------------


def _letters(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t.lower() if c.isalpha() and c.isascii())


def _find(needles: tuple[str, ...], hay: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the first needle found in ``hay`` at or after ``start``."""
    for n in needles:
        k = hay.find(n, start) if n else -1
        if k >= 0:
            return k, k + len(n)
    return None


def truth_profile(t: Truth, v: dict[str, Any], stem: str, pdf: bytes, page_texts: list[str]) -> Profile:
    # the printed text as one string of letters, and the offset each page starts at: a paragraph's
    # pages are those of its first letters and of its last ones (searched after its start)
    letters = [_letters(p) for p in page_texts]
    starts = [sum(len(x) for x in letters[:k]) for k in range(len(letters))]
    hay = "".join(letters)

    def page_at(offset: int) -> int:
        return max(k for k, s in enumerate(starts) if s <= offset) + 1

    sections: list[Section] = []
    cursor = len(letters[0]) if len(letters) > 1 else 0  # the narrative starts after the score page
    if v.get("narrative_start", "new_page") != "new_page":  # ... or on it
        cursor = 0
    for path, level, ids in narrative_tree(t.year):
        paras = []
        for i in ids:
            text = t.paragraphs[i]
            let = _letters(text)
            pages: list[int] = []
            head = _find((let[:60], let[:25]), hay, cursor)
            if head is not None:
                tail = _find((let[-60:], let[-25:]), hay, head[0] + 1)
                end = tail[1] if tail is not None else head[1]
                pages = list(range(page_at(head[0]), page_at(end - 1) + 1))
                cursor = end
            paras.append(Paragraph(text=text, indicator=i, pages=pages))
        sections.append(Section(path=path, heading=path[-1], level=level, paragraphs=paras,
                                page=paras[0].pages[0] if paras and paras[0].pages else None))
    for k, s in enumerate(sections):  # a heading without paragraphs: the page of what follows it
        if s.page is None:
            s.page = next((x.page for x in sections[k + 1:] if x.page is not None), None)
    bars = v["bars"] == "css"
    indicators = [Indicator(id=i.id, label=i.label, pillar=i.pillar, group=i.group, score=float(t.scores[i.id]),
                            change=None if t.changes[i.id] is None else float(t.changes[i.id]),
                            bar_score=float(t.scores[i.id]) if bars else None)
                  for i in taxonomy.indicators_for(t.year)]
    summ = {k: float(t.summary[k]) for k in taxonomy.SUMMARY_IDS}
    summary_scores = [SummaryScore(metric=k, score=summ[k],  # type: ignore[arg-type]
                                   change=None if t.summary_change is None else float(t.summary_change[k]),
                                   change_printed=_summary_change_at_one(t, v, k))
                      for k in taxonomy.SUMMARY_IDS]
    ranks = [Rank(metric=m, scope=s, rank=r, of=o, area=a)  # type: ignore[arg-type]
             for m, s, r, o, a, _ in t.ranks]
    return Profile(source=Source(file=f"{stem}.pdf", sha256=hashlib.sha256(pdf).hexdigest(),
                                 pages=len(page_texts), engine=ENGINE),
                   family=t.family,  # type: ignore[arg-type]
                   country=t.country, year=t.year, summary=Summary(**summ), summary_scores=summary_scores,
                   ranks=ranks, indicators=indicators, sections=sections)


# ------------------------------------------------------------------------------------------------
# Generation
# ------------------------------------------------------------------------------------------------


def _slug(country: str) -> str:
    return taxonomy.fold(country).replace(" ", "_")


def plan(index: int, seed: int, family: str, variations: dict[str, Any] | None = None,
         edition: tuple[str, int] | None = None) -> tuple[str, Truth, dict[str, Any], random.Random]:
    """The stem, truth, variation choices and chart rng of profile ``index`` of a run (no rendering)."""
    if edition is None:
        eds = EDITIONS if family == "mixed" else tuple(e for e in EDITIONS if e[0] == family)
        if not eds:
            raise ValueError(f"family must be global, enact or mixed, not {family!r}")
        edition = eds[index % len(eds)]
    fam, year = edition
    t = draw_truth(random.Random(f"octa-browser:{seed}:{index}:truth"), fam, year)
    prose_rng = random.Random(f"octa-browser:{seed}:{index}:prose")
    for ind in taxonomy.indicators_for(year):
        t.paragraphs[ind.id] = make_paragraph(prose_rng, t, ind)
    v = choose_variations(random.Random(f"octa-browser:{seed}:{index}:variation"), fam, year, variations)
    if v["hard_hyphen_breaks"] is True:  # compounds with digits: a sentence at the end of every third paragraph
        for k, ind in enumerate(taxonomy.indicators_for(year)):
            if k % 3 == 1:
                t.paragraphs[ind.id] += " " + HARD_HYPHEN_SENTENCES[(k // 3) % len(HARD_HYPHEN_SENTENCES)]
    stem = f"browser_{fam}_{year}_{_slug(t.country)}_s{seed}_{index:04d}"
    return stem, t, v, random.Random(f"octa-browser:{seed}:{index}:chart")


def generate(count: int, seed: int, family: str, out_dir: str | Path, variations: dict[str, Any] | None = None,
             *, editions: Sequence[tuple[str, int]] | None = None, printer: Printer | None = None) -> list[Path]:
    """Write ``count`` profiles (``<stem>.pdf``, ``.truth.json``, ``.variation.json``) into ``out_dir``
    and return the PDF paths. ``family``: global, enact or mixed (editions cycle with the index);
    ``variations`` forces classes (class -> value); ``editions`` overrides the (family, year) cycle.
    Raises :class:`ChromiumUnavailable` when Chromium is missing."""
    import pymupdf

    if family not in ("global", "enact", "mixed"):
        raise ValueError(f"family must be global, enact or mixed, not {family!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    own = printer is None
    pr = printer or Printer()
    paths = []
    try:
        for i in range(count):
            ed = editions[i % len(editions)] if editions else None
            stem, t, v, chart_rng = plan(i, seed, family, variations, ed)
            target = out / f"{stem}.pdf"
            pr.print_pdf(profile_html(t, v, chart_rng), target)
            pdf = target.read_bytes()
            with pymupdf.open(target) as doc:
                texts = [p.get_text() for p in doc]
            truth = truth_profile(t, v, stem, pdf, texts)
            (out / f"{stem}.truth.json").write_text(truth.to_json(), encoding="utf-8")
            (out / f"{stem}.variation.json").write_text(json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False)
                                                        + "\n", encoding="utf-8")
            paths.append(target)
    finally:
        if own:
            pr.close()
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Render browser-produced profile PDFs with their truth.")
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--family", default="mixed")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--set", action="append", default=[], metavar="CLASS=JSONVALUE",
                    help='force a variation, e.g. --set change_form=\'"svg_icon"\' --set table_columns=3')
    args = ap.parse_args(argv)
    forced = {}
    for s in args.set:
        k, _, val = s.partition("=")
        try:
            forced[k] = json.loads(val)
        except json.JSONDecodeError:
            forced[k] = val
    for p in generate(args.count, args.seed, args.family, args.out, forced or None):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
