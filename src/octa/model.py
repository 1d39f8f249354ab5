"""The typed document model: the per-profile output contract of DOMAIN §5, with provenance.

Every extracted value keeps where it was read (``page``, 1-based, and ``bbox`` in PDF points,
``[x0, y0, x1, y1]`` with the origin at the top left). Fields are only ever added, never renamed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from octa import taxonomy

SCHEMA_VERSION = "1"

#: An index family's id: ``global`` or ``enact`` (the bundled families), or the id of a family read
#: from a family file (``octa --family-file``).
Family = str
Severity = Literal["error", "warning"]
#: The independent checks that can confirm a summary score, an indicator score (its drawn bar too)
#: and a rank (the reference workbook only). A value is ``ok`` only when one of them agrees.
SummaryEvidence = Literal["average", "reference"]
Evidence = Literal["average", "bar", "reference"]
RankEvidence = Literal["reference"]
#: The parser's own judgement of a reading, recorded as evidence but confirming nothing by itself:
#: ``geometry``, its place left no other number that could have been the value.
Judgement = Literal["geometry"]
BBox = list[float]


def _round_bbox(v: Any) -> Any:
    if v is None:
        return None
    return [round(float(x), 2) for x in v]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


def _split_judgement(data: Any) -> Any:
    """A value as an older octa wrote it (``confirmed_by: ["geometry", …]``, when the parser's own
    judgement counted as a confirmation): ``geometry`` moved to ``evidence``."""
    if isinstance(data, dict) and "geometry" in (data.get("confirmed_by") or ()):
        data = dict(data)
        data["confirmed_by"] = [e for e in data["confirmed_by"] if e != "geometry"]
        data["evidence"] = sorted({*(data.get("evidence") or ()), "geometry"})
    return data


class Source(_Model):
    file: str = Field(description="Input file name (no directories).")
    sha256: str = Field(description="SHA-256 of the input bytes.")
    pages: int = Field(description="Number of pages (0 for text input).")
    engine: str = Field(description="Layout engine: pymupdf, pdfplumber, or text.")


class Summary(_Model):
    criminality: float | None = None
    criminal_markets: float | None = None
    criminal_actors: float | None = None
    resilience: float | None = None


class SummaryScore(_Model):
    """A printed summary score with its change and provenance (an addition to the contract)."""

    metric: Literal["criminality", "criminal_markets", "criminal_actors", "resilience"]
    score: float | None = None
    change: float | None = None
    page: int | None = None
    bbox: BBox | None = None
    status: Literal["ok", "unconfirmed"] = Field(
        default="ok", description="ok: an independent check agrees (see confirmed_by); unconfirmed: none does "
        "(a validation finding says why).")
    confirmed_by: list[SummaryEvidence] | None = Field(
        default=None, description="The independent checks that agree, at the precision the value was printed "
        "with: average (the indicator scores reproduce it), reference (the official dataset agrees). Empty: "
        "nothing confirms it (status unconfirmed); null when not read by octa's parser and nothing confirms it.")
    evidence: list[Judgement] | None = Field(
        default=None, description="The parser's own judgement, recorded but never confirming the value: "
        "geometry (its place left no other number that could be the score). Null when not read by octa's "
        "parser.")
    change_printed: str | None = Field(default=None, description="The change as printed.")
    score_printed: str | None = Field(
        default=None, description="The score as printed when printed with a decoration ('6.50/10', '7.50*'), or "
        "the token in the score's place that was not read ('65%', 'abc'; score null); null for a plain number.")

    _bbox = field_validator("bbox", mode="before")(_round_bbox)
    _judgement = model_validator(mode="before")(_split_judgement)


class Rank(_Model):
    metric: Literal["criminality", "resilience"]
    scope: Literal["global", "continent", "region"]
    rank: int
    of: int
    area: str = Field(description="Area as printed: 'countries', 'Africa', 'West Africa', ….")
    page: int | None = None
    bbox: BBox | None = None
    status: Literal["ok", "unconfirmed"] = Field(
        default="unconfirmed", description="ok: the competition rank computed from the reference workbook's "
        "sheet of the edition (ties share the best rank) equals the printed rank, over the printed number of "
        "countries of the printed area; unconfirmed: no reference checked it, or it disagrees (a validation "
        "finding says how).")
    confirmed_by: list[RankEvidence] | None = Field(
        default=None, description="reference when the reference workbook confirms the rank; empty when a "
        "reference was given but does not; null when no reference was given.")
    tie: bool | None = Field(default=None, description="True when the rank is printed as a tie ('=23rd of 193', "
                             "'23rd= of 193'); null otherwise.")

    _bbox = field_validator("bbox", mode="before")(_round_bbox)


class Indicator(_Model):
    id: str
    label: str
    pillar: str
    group: str | None = None
    score: float | None = None
    change: float | None = Field(default=None, description="Change against the previous edition; null for n/a.")
    page: int | None = None
    bbox: BBox | None = None
    status: Literal["ok", "unconfirmed", "inferred", "missing"] = Field(
        default="ok", description="ok: read from the profile and confirmed by a check independent of the "
        "reading (see confirmed_by; the parser's own geometry does not count); unconfirmed: read, but nothing confirms it (a validation finding says "
        "why); inferred: fixed by the printed average; missing: not found in the profile.")
    change_printed: str | None = Field(default=None, description="The change as printed ('n/a', '-0.5', ...); "
                                       "for a change cut off where it is printed (a clip path leaves part of it "
                                       "undrawn; change null), what is drawn, its cut marked '\u2026' ('0.\u2026').")
    score_printed: str | None = Field(
        default=None, description="The score as printed when printed with a decoration ('6.50/10', '7.50*'), or "
        "the token in the score's place that was not read ('65%', 'abc'; score null, status missing, an "
        "unread_cell finding); null for a plain number.")
    bar_score: float | None = Field(default=None, description="Score implied by the drawn bar's length.")
    inferred_score: float | None = Field(
        default=None, description="Value fixed by the printed pillar average when the score was not read "
        "(status inferred); score stays null because it was not read.")
    confirmed_by: list[Evidence] | None = Field(
        default=None, description="The independent checks that confirm the score: average (the printed pillar "
        "average reproduces, at the precision it was printed with), bar (the drawn bar agrees), reference (the "
        "official dataset agrees). Empty: nothing confirms it (status unconfirmed); null when the value was not "
        "read by octa's parser (a profile built otherwise) and nothing confirms it.")
    evidence: list[Judgement] | None = Field(
        default=None, description="The parser's own judgement, recorded but never making the value ok: "
        "geometry (its row left no other number that could be the score). Null when not read by octa's parser.")

    _bbox = field_validator("bbox", mode="before")(_round_bbox)
    _judgement = model_validator(mode="before")(_split_judgement)


class Paragraph(_Model):
    text: str
    indicator: str | None = None
    pages: list[int] = Field(default_factory=list)


class Section(_Model):
    path: list[str]
    heading: str
    level: int
    paragraphs: list[Paragraph] = Field(default_factory=list)
    page: int | None = None
    bbox: BBox | None = None

    _bbox = field_validator("bbox", mode="before")(_round_bbox)


class Finding(_Model):
    rule: str
    severity: Severity
    message: str
    indicator: str | None = None


class Repair(_Model):
    rule: str
    before: str
    after: str
    page: int | None = None


class Profile(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    source: Source
    family: Family | None = Field(default=None, description="The index family: global, enact, or the id of a "
                                  "family read from a family file (octa --family-file).")
    country: str | None = None
    iso3: str | None = Field(
        default=None, description="ISO 3166-1 alpha-3 code of the country (KEN), from the printed name through "
        "the alias table and pycountry (octa.taxonomy.countries.iso3); XKX for Kosovo, which has no ISO code; "
        "null when the name maps to no code. Filled from country when not given.")
    year: int | None = None
    summary: Summary = Field(default_factory=Summary)
    summary_scores: list[SummaryScore] = Field(default_factory=list)
    ranks: list[Rank] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    validation: list[Finding] = Field(default_factory=list)
    cleaning: list[Repair] = Field(default_factory=list)

    @model_validator(mode="after")
    def _country_code(self) -> Profile:
        if self.iso3 is None and self.country:
            from octa.taxonomy.countries import iso3

            self.iso3 = iso3(self.country)
        return self

    def to_json(self) -> str:
        """Deterministic JSON (fixed key order, 2-space indent, trailing newline)."""
        return self.model_dump_json(indent=2) + "\n"

    @property
    def edition(self) -> taxonomy.Edition:
        """The edition this profile belongs to (:func:`octa.taxonomy.resolve` of its family and year:
        the object the pipeline resolved and passed on; a profile read from JSON gets the same)."""
        return taxonomy.resolve(self.family, self.year)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def scores_frame(self) -> Any:
        """The scores as a pandas DataFrame, one row per summary score and indicator
        (the columns of ``scores_long.csv``)."""
        import pandas as pd

        return pd.DataFrame(long_rows(self))


def long_rows(profile: Profile) -> list[dict[str, Any]]:
    """One row per summary score (the profile edition's metrics) and per indicator, in taxonomy
    order (the ``scores_long.csv`` rows)."""
    base = {"file": profile.source.file, "country": profile.country, "year": profile.year, "family": profile.family}
    rows: list[dict[str, Any]] = []
    by_metric = {s.metric: s for s in profile.summary_scores}
    for metric in profile.edition.summary_ids:
        s = by_metric.get(metric)
        score = getattr(profile.summary, metric)
        if s is None and score is None:
            continue
        rows.append({**base, "pillar": metric, "group": None, "indicator": metric,
                     "label": metric.replace("_", " ").capitalize(), "score": score,
                     "change": s.change if s else None, "page": s.page if s else None,
                     "status": (s.status if s else "ok") if score is not None else "missing",
                     "inferred_score": None, "confirmed_by": " ".join(s.confirmed_by or ()) if s else ""})
    for ind in profile.indicators:
        rows.append({**base, "pillar": ind.pillar, "group": ind.group, "indicator": ind.id, "label": ind.label,
                     "score": ind.score, "change": ind.change, "page": ind.page,
                     "status": ind.status, "inferred_score": ind.inferred_score,
                     "confirmed_by": " ".join(ind.confirmed_by or ())})
    for r in rows:  # an addition to the contract: last
        r["iso3"] = profile.iso3
    return rows


def read_profile(path: str | Path) -> Profile:
    """A profile JSON file as octa writes it (the one reader of them). Raises OSError when the file
    cannot be read and ValueError when it is not a profile."""
    return Profile.model_validate_json(Path(path).read_bytes())


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the per-profile contract."""
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://octa.invalid/schema/profile-1.json"
    schema["title"] = "octa profile (schema_version 1)"
    return schema
