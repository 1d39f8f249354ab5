"""The taxonomy of OCTA-style profiles: index families, their editions, pillars, groups,
indicators, summary metrics, countries.

Every label, heading and edition comes from data: one TOML file per index family in this package
(``global.toml``, ``enact.toml``; see :mod:`octa.taxonomy.families` for what a file holds). No
other module spells an indicator name. The names below are views of the bundled families, which
share one taxonomy (ENACT's file extends the Global index's): :data:`INDICATORS`, :data:`GROUPS`,
:data:`PILLARS`, :data:`SUMMARY_IDS` in taxonomy order, :data:`EDITIONS` per family.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from octa.taxonomy.countries import (
    COUNTRIES,
    COUNTRY_ALIASES,
    COUNTRY_INFO,
    area_counts,
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
    "INDICATORS", "INDICATORS_BY_ID", "PILLARS", "PILLARS_BY_ID", "SMALL_SET_EDITIONS", "SUMMARY", "SUMMARY_IDS",
    "SUMMARY_LABELS", "Edition", "Group", "IndexFamily", "Indicator", "Pillar", "SummaryMetric",
    "TaxonomyError", "area_counts", "canonical_country", "country_display_names", "edition", "family", "fold",
    "groups_for", "has_changes", "indicators_for", "indicators_of", "is_new_indicator", "label_index",
    "label_similarity", "load_family", "match_label", "previous_edition", "resolve",
]

#: The bundled family files, in the order families are tried (a tie in detection goes to the first).
FAMILY_FILES: tuple[str, ...] = ("global.toml", "enact.toml")


#: Family files of your own, read at import after the bundled ones: paths separated by
#: ``os.pathsep`` (``octa --family-file FILE`` sets it, so that every worker of a run reads them).
FAMILY_FILES_ENV = "OCTA_FAMILY_FILES"


def _families() -> dict[str, IndexFamily]:
    out: dict[str, IndexFamily] = {}
    here = Path(__file__).parent
    extra = [Path(x) for x in os.environ.get(FAMILY_FILES_ENV, "").split(os.pathsep) if x.strip()]
    for path in [here / name for name in FAMILY_FILES] + extra:
        fam = load_family(path, out)
        if fam.id in out:
            raise TaxonomyError(f"{path}: family {fam.id!r} is already defined (by {out[fam.id].source})")
        if out:
            _check_agrees(fam, next(iter(out.values())), out)
        out[fam.id] = fam
    return out


def _check_agrees(fam: IndexFamily, base: IndexFamily, known: dict[str, IndexFamily]) -> None:
    """A family read after the first keeps the output contract's pillars and summary metrics, and
    an indicator or group id it shares with another family means the same there."""
    where = f"{fam.source} ({fam.id})"
    if [p.id for p in fam.pillars] != [p.id for p in base.pillars] or \
            [m.id for m in fam.summary] != [m.id for m in base.summary]:
        raise TaxonomyError(f"{where}: the pillars and summary metrics must be the output contract's "
                            f"({', '.join(p.id for p in base.pillars)}; {', '.join(m.id for m in base.summary)})")
    groups = {g.id: g for f in known.values() for g in f.groups}
    for g in fam.groups:
        if g.id in groups and groups[g.id] != g:
            raise TaxonomyError(f"{where}: group {g.id!r} differs from {groups[g.id]}")
    inds = {i.id: i for f in known.values() for i in f.indicators}
    for i in fam.indicators:
        o = inds.get(i.id)
        if o is not None and (o.label, o.pillar, o.group) != (i.label, i.pillar, i.group):
            raise TaxonomyError(f"{where}: indicator {i.id!r} differs from the one another family defines "
                                f"({o.label!r}, {o.pillar}, {o.group})")


_FAMILIES: dict[str, IndexFamily] = _families()
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

#: The groups of every family (the first family's, then the others' new ones).
GROUPS: tuple[Group, ...] = tuple({g.id: g for f in _FAMILIES.values() for g in f.groups}.values())
GROUPS_BY_ID: dict[str, Group] = {g.id: g for g in GROUPS}

#: The indicators of every family in taxonomy order (the first family's, then the others' new ones,
#: each after those of its pillar); each is absent from the editions (of any family) that leave it out.
INDICATORS: tuple[Indicator, ...] = tuple(sorted(
    (replace(i, absent_in=frozenset(e.year for f in _FAMILIES.values() for e in f.editions
                                    if i.id not in {x.id for x in e.indicators}))
     for i in {i.id: i for f in _FAMILIES.values() for i in f.indicators}.values()),
    key=lambda i: PILLARS.index(i.pillar)))
INDICATORS_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def family(name: str) -> IndexFamily:
    """A family by id (bundled, or read from :data:`FAMILY_FILES_ENV`)."""
    try:
        return _FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown index family {name!r} (families: {', '.join(FAMILIES)})") from None


def edition(family_id: str, year: int) -> Edition:
    """An edition of a family (ValueError when the family has no such edition)."""
    return family(family_id).edition(year)


@lru_cache(maxsize=64)
def resolve(family_id: str | None, year: int | None) -> Edition:
    """The edition a profile of ``family_id`` printing ``year`` belongs to: the family's edition of
    that year, else the family's undated edition (:attr:`IndexFamily.undated`). For a family not
    known (None, or not loaded), the bundled taxonomy's: the indicators every family carries in an
    edition ``year`` (dated when some family has that edition), else all of them."""
    fam = _FAMILIES.get(family_id) if family_id else None
    if fam is not None:
        return fam.edition(year) if year in fam.years else fam.undated
    if year is None or not any(year in f.years for f in _FAMILIES.values()):
        return Edition(None, None, None, INDICATORS, frozenset(), _BASE.pillars, GROUPS, SUMMARY)
    new = frozenset(i for f in _FAMILIES.values() for e in f.editions if e.year == year for i in e.new)
    return Edition(None, year, None, indicators_for(year), new, _BASE.pillars, GROUPS, SUMMARY)


def indicators_of(family_id: str | None, year: int, pillar: str | None = None) -> tuple[Indicator, ...]:
    """The indicators of the family's edition ``year`` in taxonomy order; without a known family
    and edition, those every family carries in an edition ``year`` (:func:`indicators_for`)."""
    fam = _FAMILIES.get(family_id) if family_id else None
    if fam is not None and year in fam.years:
        return fam.edition(year).indicators_for(pillar)
    return indicators_for(year, pillar)


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


def is_new_indicator(indicator_id: str, year: int, family_id: str | None = None) -> bool:
    """True when an indicator first appears in edition ``year`` of ``family_id`` (of any family
    when not given): its change prints ``n/a``."""
    return any(e.year == year and e.is_new(indicator_id) for f in _FAMILIES.values() for e in f.editions
               if family_id is None or f.id == family_id)


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


# --------------------------------------------------------------------------------------------
# Fuzzy matching of garbled label text to the taxonomy
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _label_choices() -> list[tuple[str, str, str]]:
    """(indicator id, folded label, folded label without spaces) for every label and variant."""
    return [(iid, lab, lab.replace(" ", "")) for lab, iid in label_index().items()]


@lru_cache(maxsize=1)
def _label_choices_sorted() -> list[tuple[str, str, str]]:
    """(indicator id, folded label without spaces, folded label with its words sorted) for every
    label and variant, in :func:`_label_choices` order."""
    return [(iid, lab_ns, " ".join(sorted(lab.split()))) for iid, lab, lab_ns in _label_choices()]


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


@lru_cache(maxsize=256)
def _choices_for_length(n: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The labels a folded text of ``n`` letters (without spaces) may be matched to: those whose
    length differs from it by at most a third of theirs (at least 6), as indicator ids, labels
    without spaces and labels with their words sorted, in :func:`_label_choices_sorted` order."""
    keep = [c for c in _label_choices_sorted() if abs(len(c[1]) - n) <= max(6, len(c[1]) // 3)]
    return tuple(c[0] for c in keep), tuple(c[1] for c in keep), tuple(c[2] for c in keep)


def match_label(text: str, cutoff: float = 86.0, candidates: Iterable[str] | None = None) -> tuple[str, float] | None:
    """The indicator whose label ``text`` most resembles, with the similarity, or None below
    ``cutoff``. Tolerates case, ``&``, kerning splits (``INTERNATION AL COOPERATION``) and
    interleaved two-line labels (``GOVERNMENT AND ACCOUNT TRANSPARENCY FABILITY``).

    The similarity to a label is the better of a plain ratio of the texts without spaces and a
    ratio of the texts with their words sorted (a token-sort ratio); only labels of about the
    text's length are compared (:func:`_choices_for_length`). The first label (in the taxonomy's
    order) with the highest similarity wins. Each ratio is taken over all labels at once by
    rapidfuzz's ``extractOne`` (its first best on a tie), the two winners compared here."""
    import rapidfuzz.fuzz as fuzz  # (not `from rapidfuzz import`: that runs importlib's Python on every call)
    import rapidfuzz.process as process

    f = fold(text)
    if not f:
        return None
    exact_id = label_index().get(f)
    allowed = set(candidates) if candidates is not None else None
    if exact_id and (allowed is None or exact_id in allowed):
        return exact_id, 100.0
    nospace = f.replace(" ", "")
    ids, plain, sorted_words = _choices_for_length(len(nospace))
    if allowed is not None:
        keep = [k for k, iid in enumerate(ids) if iid in allowed]
        ids, plain, sorted_words = (tuple(col[k] for k in keep) for col in (ids, plain, sorted_words))
    if not ids:
        return None
    a = process.extractOne(nospace, plain, scorer=fuzz.ratio, score_cutoff=cutoff)
    b = process.extractOne(" ".join(sorted(f.split())), sorted_words, scorer=fuzz.ratio, score_cutoff=cutoff)
    if a is None and b is None:
        return None
    if b is None or a is not None and (a[1] > b[1] or a[1] == b[1] and a[2] <= b[2]):
        return ids[a[2]], a[1]
    return ids[b[2]], b[1]
