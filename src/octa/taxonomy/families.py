"""Index families and their editions, loaded from data: one TOML file per family.

A family file (``global.toml``, ``enact.toml`` in this package; any path for a family of your own)
holds what the pipeline needs to know about a family's profiles and nothing else:

* ``id``, ``name``, and ``detect``: the patterns that name the family in a profile's text;
  ``continent`` when the family covers one continent (ENACT: Africa);
* ``pillars`` (with where their narrative sits in the heading tree), ``groups`` (with the heading
  profiles print), ``indicators`` (label, printed variants, the words that name them in prose);
* ``summary``: the summary metrics, their printed wordings, official column names and formula;
* ``editions``: each year, the indicators it leaves out and those new in it.

``extends = "other"`` takes the other family's pillars, groups, indicators and summary metrics;
the file then gives its own id, name, detection patterns and editions. Every reference is
checked when the file is read: an unknown pillar, group or indicator id is an error naming the
file and the entry.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from octa.taxonomy.text import fold


class TaxonomyError(ValueError):
    """A family file that cannot be read: names the file and what is wrong."""


@dataclass(frozen=True)
class Group:
    id: str
    pillar: str
    heading: str  # as printed in profiles (upper case)


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    pillar: str
    group: str | None
    small_set: bool  # present in every edition (the 2019/2021 editions' smaller set)
    variants: tuple[str, ...] = field(default=())
    #: words that name the indicator in prose (lower case; matched as word prefixes)
    keywords: tuple[str, ...] = field(default=())
    #: the editions (years) that leave it out
    absent_in: frozenset[int] = field(default=frozenset())

    def in_edition(self, year: int) -> bool:
        """Whether profiles of edition ``year`` carry this indicator."""
        return year not in self.absent_in

    @property
    def all_labels(self) -> tuple[str, ...]:
        """The label and its known variants (``&`` for ``and``, short forms)."""
        out = [self.label, *self.variants]
        if " and " in self.label:
            out.append(self.label.replace(" and ", " & "))
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Pillar:
    id: str
    #: the headings above the pillar's narrative, outermost first (its groups' sections go under
    #: them; a pillar without groups has its paragraphs directly there)
    narrative: tuple[str, ...]


@dataclass(frozen=True)
class SummaryMetric:
    id: str
    label: str  # as printed
    wordings: tuple[str, ...]  # what a score table may print beside the score (lower case)
    official: str  # the official dataset's column name
    pillar: str | None  # the mean of this pillar's indicators, or
    mean_of: tuple[str, ...]  # the mean of these summary metrics


@dataclass(frozen=True)
class Edition:
    """One edition of a family, as the pipeline carries it from detection to export: the
    indicators its profiles carry (in taxonomy order), those new in it, and the family's pillars,
    groups, summary metrics and headings.

    The pipeline resolves one (:func:`octa.taxonomy.resolve`) after reading the score tables and
    passes it to the cleaner, the section parser, the validator and the exporters. A profile whose
    edition is not known (no year printed, or a year the family has no edition of) gets the family's
    *undated* edition: ``year`` None, every indicator of the family, no changes; a profile whose
    family is not known, the bundled taxonomy's (``family`` None)."""

    family: str | None
    year: int | None
    previous: int | None
    indicators: tuple[Indicator, ...]
    new: frozenset[str]
    pillars: tuple[Pillar, ...] = ()
    groups: tuple[Group, ...] = ()
    summary: tuple[SummaryMetric, ...] = ()
    #: the family's printed name, its detection patterns, and the continent its ranks count within
    #: (``12th of 54 African countries``; None for a worldwide index)
    name: str = ""
    detect: tuple[str, ...] = ()
    continent: str | None = None

    @property
    def dated(self) -> bool:
        """A known edition of a known family's (or, for an unknown family, of any family's)."""
        return self.year is not None

    def indicators_for(self, pillar: str | None = None) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if pillar is None or i.pillar == pillar)

    @property
    def has_changes(self) -> bool:
        """Profiles print a change column in every edition after a family's first."""
        return self.previous is not None

    def is_new(self, indicator_id: str) -> bool:
        """The indicator first appears in this edition (its change prints ``n/a``)."""
        return indicator_id in self.new

    @property
    def pillar_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pillars)

    @property
    def summary_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.summary)

    def pillar(self, pillar_id: str) -> Pillar:
        return next(p for p in self.pillars if p.id == pillar_id)

    def groups_for(self, pillar: str) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.pillar == pillar)

    def group_of_heading(self, heading: str) -> Group | None:
        """The group whose printed heading is ``heading`` (canonical spelling), or None."""
        return next((g for g in self.groups if g.heading == heading), None)

    @property
    def narrative_top(self) -> tuple[str, ...]:
        """The narrative's top headings (criminality's and resilience's), in order."""
        return tuple(dict.fromkeys(p.narrative[0] for p in self.pillars if p.narrative))

    @property
    def narrative_headings(self) -> tuple[str, ...]:
        """Every heading of the pillars' narrative paths, in order."""
        return tuple(dict.fromkeys(h for p in self.pillars for h in p.narrative))

    @property
    def headings(self) -> tuple[str, ...]:
        """Every heading of the narrative tree: the pillars' paths, then the groups' headings."""
        return (*self.narrative_headings, *(g.heading for g in self.groups))

    @cached_property
    def heading_keys(self) -> dict[str, str]:
        """Each heading under its :func:`heading_key` (folded, without spaces: tolerant of case and
        tracking splits) → the heading as the taxonomy spells it."""
        return {heading_key(h): h for h in self.headings}

    def narrative_pillar(self, path: tuple[str, ...] | list[str]) -> Pillar | None:
        """The pillar without groups whose paragraphs stand directly under the heading ``path``
        (the criminal actors'), or None."""
        path = tuple(path)
        return next((p for p in self.pillars if p.narrative == path and not self.groups_for(p.id)), None)

    def place(self, heading: str) -> list[str] | None:
        """Where ``heading`` (canonical) goes in the narrative tree: its path of headings, or None."""
        if heading in self.narrative_top:
            return [heading]
        for pillar in self.pillars:
            if heading in pillar.narrative:
                return list(pillar.narrative[:pillar.narrative.index(heading) + 1])
        group = self.group_of_heading(heading)
        if group is None:
            return None
        return [*self.pillar(group.pillar).narrative, heading]


@dataclass(frozen=True)
class IndexFamily:
    id: str
    name: str
    detect: tuple[str, ...]
    pillars: tuple[Pillar, ...]
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    summary: tuple[SummaryMetric, ...]
    editions: tuple[Edition, ...]
    source: str = ""  # the file it was read from
    #: the one continent a family's profiles cover (its country pool and rank wording: ``12th of 54
    #: African countries``), or None for a worldwide index (``12th of 193 countries``)
    continent: str | None = None

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(e.year for e in self.editions)

    @cached_property
    def undated(self) -> Edition:
        """The edition of a profile of this family whose year is not one of its editions: every
        indicator of the family, no change column, ``year`` None."""
        return Edition(self.id, None, None, self.indicators, frozenset(), self.pillars, self.groups, self.summary,
                       self.name, self.detect, self.continent)

    def edition(self, year: int) -> Edition:
        for e in self.editions:
            if e.year == year:
                return e
        raise ValueError(f"{self.id} has no {year} edition (editions: {', '.join(map(str, self.years))})")


def heading_key(text: str) -> str:
    """A heading's key: folded (case, accents, punctuation), without spaces."""
    return fold(text).replace(" ", "")


def load_family(path: str | Path, known: Mapping[str, IndexFamily] = {}) -> IndexFamily:  # noqa: B006
    """Read a family file; ``known`` holds the families an ``extends`` may name."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TaxonomyError(f"{path}: {exc}") from exc
    return _build(data, str(path), known)


def _need(data: Mapping[str, Any], key: str, where: str, kind: type = str) -> Any:
    if key not in data:
        raise TaxonomyError(f"{where}: missing {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise TaxonomyError(f"{where}: {key!r} must be a {kind.__name__}, not {type(value).__name__}")
    return value


def _known(value: Any, known: Collection[str], who: str, what: str, required: bool = False) -> Any:
    """``value``, an id an entry names, when it is one of ``known`` (or None, unless ``required``);
    else the error naming the entry (``who``) and the unknown id."""
    if (value is not None or required) and value not in known:
        raise TaxonomyError(f"{who} names unknown {what} {value!r}")
    return value


def _build(data: Mapping[str, Any], src: str, known: Mapping[str, IndexFamily]) -> IndexFamily:
    fid = _need(data, "id", src)
    where = f"{src} ({fid})"
    base = None
    if "extends" in data:
        base = known.get(data["extends"])
        if base is None:
            raise TaxonomyError(f"{where}: extends unknown family {data['extends']!r}")
    if base is not None:
        pillars, groups, summary = base.pillars, base.groups, base.summary
        plain = base.indicators
    else:
        pillars = tuple(Pillar(_need(p, "id", f"{where} pillars"), tuple(p.get("narrative", ())))
                        for p in _need(data, "pillars", where, list))
        pillar_ids = {p.id for p in pillars}
        groups = []
        for g in _need(data, "groups", where, list):
            gid = _need(g, "id", f"{where} groups")
            pillar = _known(g.get("pillar"), pillar_ids, f"{where}: group {gid!r}", "pillar", required=True)
            groups.append(Group(gid, pillar, _need(g, "heading", f"{where} group {gid}")))
        groups = tuple(groups)
        group_pillar = {g.id: g.pillar for g in groups}
        plain = []
        for i in _need(data, "indicators", where, list):
            iid = _need(i, "id", f"{where} indicators")
            group = _known(i.get("group"), group_pillar, f"{where}: indicator {iid!r}", "group")
            pillar = group_pillar[group] if group is not None else i.get("pillar")
            if pillar not in pillar_ids:
                raise TaxonomyError(f"{where}: indicator {iid!r} needs a known group or pillar")
            plain.append(Indicator(iid, _need(i, "label", f"{where} indicator {iid}"), pillar, group, True,
                                   tuple(i.get("variants", ())), tuple(i.get("keywords", ()))))
        summary = []
        for m in _need(data, "summary", where, list):
            mid = _need(m, "id", f"{where} summary")
            pillar = _known(m.get("mean_of_pillar"), pillar_ids, f"{where}: summary {mid!r}", "pillar")
            summary.append(SummaryMetric(mid, _need(m, "label", f"{where} summary {mid}"),
                                         tuple(m.get("wordings", ())), m.get("official", m["label"]), pillar,
                                         tuple(m.get("mean_of_summaries", ()))))
        summary = tuple(summary)
        ids = {m.id for m in summary}
        for m in summary:
            if (m.pillar is None) == (not m.mean_of) or set(m.mean_of) - ids:
                raise TaxonomyError(f"{where}: summary {m.id!r} needs mean_of_pillar or mean_of_summaries "
                                    "naming known metrics")
    by_id = {i.id: i for i in plain}
    if len(by_id) != len(plain):
        raise TaxonomyError(f"{where}: an indicator id is listed twice")
    editions_data = _need(data, "editions", where, list)
    sets: list[tuple[int, tuple[str, ...], frozenset[str]]] = []
    for e in editions_data:
        year = _need(e, "year", f"{where} editions", int)
        for key in ("exclude", "new"):
            unknown = set(e.get(key, ())) - set(by_id)
            if unknown:
                raise TaxonomyError(f"{where}: edition {year} {key} names unknown indicators {sorted(unknown)}")
        excluded = set(e.get("exclude", ()))
        sets.append((year, tuple(i for i in by_id if i not in excluded), frozenset(e.get("new", ()))))
    years = [y for y, _, _ in sets]
    if years != sorted(set(years)):
        raise TaxonomyError(f"{where}: editions must be listed oldest first, each once")
    everywhere = set.intersection(*(set(ids) for _, ids, _ in sets)) if sets else set(by_id)
    indicators = tuple(Indicator(i.id, i.label, i.pillar, i.group, i.id in everywhere, i.variants, i.keywords,
                                 frozenset(y for y, ids, _ in sets if i.id not in ids)) for i in plain)
    final = {i.id: i for i in indicators}
    detect = tuple(_need(data, "detect", where, list))
    continent = data.get("continent")
    if continent is not None and not isinstance(continent, str):
        raise TaxonomyError(f"{where}: 'continent' must be a str")
    name = _need(data, "name", where)
    editions = tuple(Edition(fid, year, years[k - 1] if k else None, tuple(final[i] for i in ids), new,
                             pillars, groups, summary, name, detect, continent)
                     for k, (year, ids, new) in enumerate(sets))
    return IndexFamily(fid, name, detect, pillars, groups, indicators, summary, editions, src, continent)
