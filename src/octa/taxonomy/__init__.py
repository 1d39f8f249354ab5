"""The taxonomy of OCTA-style profiles: index families, their editions, pillars, groups,
indicators, summary metrics, countries.

Every label, heading and edition comes from data: one TOML file per index family in this package
(``global.toml``, ``enact.toml``; see :mod:`octa.taxonomy.families` for what a file holds). No
other module spells an indicator name. The names below are views of the bundled families, which
share one taxonomy (ENACT's file extends the Global index's): :data:`INDICATORS`, :data:`GROUPS`,
:data:`PILLARS`, :data:`SUMMARY_IDS` in taxonomy order, :data:`EDITIONS` per family.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from octa.taxonomy.countries import (
    COUNTRIES,
    COUNTRY_ALIASES,
    COUNTRY_INFO,
    canonical_country,
    country_display_names,
)
from octa.taxonomy.families import (
    Edition,
    Group,
    IndexFamily,
    Indicator,
    Pillar,
    SummaryMetric,
    TaxonomyError,
    load_family,
)
from octa.taxonomy.text import fold

__all__ = [
    "COUNTRIES", "COUNTRY_ALIASES", "COUNTRY_INFO", "EDITIONS", "FAMILIES", "GROUPS", "GROUPS_BY_ID",
    "INDICATORS", "INDICATORS_BY_ID", "NARRATIVE_HEADINGS", "NARRATIVE_TOP", "PILLARS", "PILLARS_BY_ID", "SMALL_SET_EDITIONS", "SUMMARY", "SUMMARY_IDS",
    "SUMMARY_LABELS", "Edition", "Group", "IndexFamily", "Indicator", "Pillar", "SummaryMetric",
    "TaxonomyError", "canonical_country", "country_display_names", "edition", "family", "fold",
    "groups_for", "has_changes", "heading_index", "indicators_for", "is_new_indicator", "label_index",
    "label_similarity", "load_family", "match_label", "narrative_pillar", "previous_edition",
]

#: The bundled family files, in the order families are tried (a tie in detection goes to the first).
FAMILY_FILES: tuple[str, ...] = ("global.toml", "enact.toml")


def _bundled() -> dict[str, IndexFamily]:
    out: dict[str, IndexFamily] = {}
    here = Path(__file__).parent
    for name in FAMILY_FILES:
        fam = load_family(here / name, out)
        out[fam.id] = fam
    return out


_FAMILIES: dict[str, IndexFamily] = _bundled()
_BASE = next(iter(_FAMILIES.values()))

FAMILIES: tuple[str, ...] = tuple(_FAMILIES)

#: Editions (years) of each family, oldest first.
EDITIONS: dict[str, tuple[int, ...]] = {f.id: f.years for f in _FAMILIES.values()}

#: Editions that still use the smaller indicator set (10 markets, 4 actors).
SMALL_SET_EDITIONS: frozenset[int] = frozenset(
    e.year for f in _FAMILIES.values() for e in f.editions if len(e.indicators) < len(f.indicators))

#: The summary metrics, in contract order.
SUMMARY: tuple[SummaryMetric, ...] = _BASE.summary
SUMMARY_IDS: tuple[str, ...] = tuple(m.id for m in SUMMARY)
SUMMARY_LABELS: dict[str, str] = {m.id: m.label for m in SUMMARY}

PILLARS: tuple[str, ...] = tuple(p.id for p in _BASE.pillars)
PILLARS_BY_ID: dict[str, Pillar] = {p.id: p for p in _BASE.pillars}

GROUPS: tuple[Group, ...] = _BASE.groups
GROUPS_BY_ID: dict[str, Group] = {g.id: g for g in GROUPS}

#: The indicators in taxonomy order; each is absent from the editions (of any bundled family) that
#: leave it out.
INDICATORS: tuple[Indicator, ...] = tuple(
    replace(i, absent_in=frozenset(y for f in _FAMILIES.values() for e in f.editions
                                   if i.id not in {x.id for x in e.indicators} for y in [e.year]))
    for i in _BASE.indicators)
INDICATORS_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}

#: The narrative's heading tree (DOMAIN §4) above the groups, from the pillars' ``narrative`` paths:
#: the top headings (``CRIMINALITY``, ``RESILIENCE``) and every heading of those paths, in order.
NARRATIVE_TOP: tuple[str, ...] = tuple(dict.fromkeys(p.narrative[0] for p in _BASE.pillars if p.narrative))
NARRATIVE_HEADINGS: tuple[str, ...] = tuple(dict.fromkeys(h for p in _BASE.pillars for h in p.narrative))


def narrative_pillar(path: Iterable[str]) -> Pillar | None:
    """The pillar without groups whose paragraphs stand directly under the heading ``path``
    (``Criminal actors``), or None."""
    path = tuple(path)
    return next((p for p in _BASE.pillars if p.narrative == path and not groups_for(p.id)), None)


def family(name: str) -> IndexFamily:
    """A bundled family by id."""
    try:
        return _FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown index family {name!r} (families: {', '.join(FAMILIES)})") from None


def edition(family_id: str, year: int) -> Edition:
    """An edition of a bundled family (ValueError when the family has no such edition)."""
    return family(family_id).edition(year)


def indicators_for(year: int, pillar: str | None = None) -> tuple[Indicator, ...]:
    """The indicators an edition's profiles carry, in taxonomy order."""
    return tuple(i for i in INDICATORS if i.in_edition(year) and (pillar is None or i.pillar == pillar))


def groups_for(pillar: str) -> tuple[Group, ...]:
    return tuple(g for g in GROUPS if g.pillar == pillar)


def previous_edition(family_id: str, year: int) -> int | None:
    """The edition before ``year`` in ``family_id``, or None for the first edition."""
    return family(family_id).edition(year).previous


def has_changes(family_id: str, year: int) -> bool:
    """Profiles print a change column in every edition after a family's first."""
    return previous_edition(family_id, year) is not None


def is_new_indicator(indicator_id: str, year: int) -> bool:
    """True when an indicator first appears in edition ``year`` (its change prints ``n/a``)."""
    return any(e.year == year and e.is_new(indicator_id) for f in _FAMILIES.values() for e in f.editions)


# --------------------------------------------------------------------------------------------
# Label matching
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def label_index() -> dict[str, str]:
    """Folded label (and variant) → indicator id."""
    out: dict[str, str] = {}
    for ind in INDICATORS:
        for lab in ind.all_labels:
            out[fold(lab)] = ind.id
    return out


@lru_cache(maxsize=1)
def heading_index() -> dict[str, str]:
    """Folded group heading → group id."""
    return {fold(g.heading): g.id for g in GROUPS}


# --------------------------------------------------------------------------------------------
# Fuzzy matching of garbled label text to the taxonomy
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _label_choices() -> list[tuple[str, str, str]]:
    """(indicator id, folded label, folded label without spaces) for every label and variant."""
    return [(iid, lab, lab.replace(" ", "")) for lab, iid in label_index().items()]


def label_similarity(text: str, indicator_id: str) -> float:
    """Similarity (0–100) of garbled ``text`` to an indicator's labels: the best of a plain ratio
    on the text without spaces (kerning splits) and a token-sort ratio (interleaved lines)."""
    from rapidfuzz import fuzz

    f = fold(text)
    nospace = f.replace(" ", "")
    best = 0.0
    for iid, lab, lab_ns in _label_choices():
        if iid != indicator_id:
            continue
        best = max(best, fuzz.ratio(nospace, lab_ns), fuzz.token_sort_ratio(f, lab))
    return best


def match_label(text: str, cutoff: float = 86.0, candidates: Iterable[str] | None = None) -> tuple[str, float] | None:
    """The indicator whose label ``text`` most resembles, with the similarity, or None below
    ``cutoff``. Tolerates case, ``&``, kerning splits (``INTERNATION AL COOPERATION``) and
    interleaved two-line labels (``GOVERNMENT AND ACCOUNT TRANSPARENCY FABILITY``)."""
    from rapidfuzz import fuzz

    f = fold(text)
    if not f:
        return None
    exact_id = label_index().get(f)
    allowed = set(candidates) if candidates is not None else None
    if exact_id and (allowed is None or exact_id in allowed):
        return exact_id, 100.0
    nospace = f.replace(" ", "")
    best: tuple[str, float] | None = None
    for iid, lab, lab_ns in _label_choices():
        if allowed is not None and iid not in allowed:
            continue
        if abs(len(lab_ns) - len(nospace)) > max(6, len(lab_ns) // 3):
            continue
        score = max(fuzz.ratio(nospace, lab_ns), fuzz.token_sort_ratio(f, lab))
        if best is None or score > best[1]:
            best = (iid, score)
    if best is None or best[1] < cutoff:
        return None
    return best
