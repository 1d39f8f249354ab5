"""The pipeline for one file: PDF → layout → cleaner → parsers → Profile → validator.

``extract`` is what ``octa extract`` and every batch worker call. Bad input raises an
:class:`octa.errors.OctaError` subclass with the file and the reason; nothing else escapes for
input problems.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction
from pathlib import Path
from typing import Any

from octa import taxonomy
from octa.errors import NotAProfile, UnsupportedInput
from octa.layout import LayoutSettings, gc_paused
from octa.model import Indicator, Profile, Rank, Repair, Source, Summary, SummaryScore
from octa.parse.scores import ScoreRead, ScoreResult, parse_document, parse_text
from octa.parse.settings import ScoreTableSettings

#: Smallest evidence that a document is a profile: indicator rows read with their scores.
MIN_INDICATORS = 3
#: Largest text input accepted, in bytes.
MAX_TEXT_BYTES = 5 * 1024 * 1024


def _num(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def file_name(path: Path) -> str:
    """The file name as valid Unicode: bytes of a name that are not UTF-8 (which Python keeps as
    lone surrogates, unwritable to JSON and CSV) become U+FFFD."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_text_input(path: Path) -> bool:
    return path.suffix.lower() in (".txt", ".text", ".md")


def extract(
    path: str | Path,
    *,
    engine: str = "pymupdf",
    password: str | None = None,
    text_mode: bool | None = None,
    country: str | None = None,
    year: int | None = None,
    family: str | None = None,
    reference: Any = None,
    max_pages: int = 200,
    layout_settings: LayoutSettings | None = None,
    table_settings: ScoreTableSettings | None = None,
) -> Profile:
    """Extract one profile (PDF, or text already extracted by another tool) and validate it.
    ``layout_settings`` and ``table_settings`` replace the layout's and the score-table parser's
    thresholds (:class:`octa.layout.LayoutSettings`, :class:`octa.parse.ScoreTableSettings`; the
    defaults when None), as pdfplumber takes its ``table_settings``."""
    path = Path(path)
    if text_mode is None:
        text_mode = is_text_input(path)
    from octa.validate import validated  # local import: the validator loads the dataset lazily

    # One file allocates a few hundred thousand small objects that live until it is done, and
    # hardly any cycles: the cyclic collector would walk the growing page model again and again
    # for nothing (12% of the time per file), also after the PDF has loaded.
    with gc_paused():
        if text_mode:
            profile, edition = _extract_text(path, country=country, year=year, family=family,
                                             table_settings=table_settings)
        else:
            profile, edition = _extract_pdf(path, engine=engine, password=password, max_pages=max_pages,
                                            country=country, year=year, family=family,
                                            layout_settings=layout_settings, table_settings=table_settings)
        return validated(profile, reference=reference, edition=edition)


def _extract_pdf(path: Path, *, engine: str, password: str | None, max_pages: int,
                 country: str | None, year: int | None, family: str | None,
                 layout_settings: LayoutSettings | None = None,
                 table_settings: ScoreTableSettings | None = None) -> tuple[Profile, taxonomy.Edition]:
    from octa import clean, layout
    from octa.parse import sections as sections_parser

    doc = layout.load(path, engine=engine, password=password, max_pages=max_pages, settings=layout_settings)
    scores = parse_document(doc, settings=table_settings)
    _require_profile(path, scores)
    edition = taxonomy.resolve(family or scores.family, year or scores.year)
    cleaned = clean.clean_document(doc, edition)
    joins: list[Repair] = []
    sections = sections_parser.parse_sections(cleaned, edition, repairs=joins)
    source = Source(file=file_name(path), sha256=doc.sha256, pages=len(doc.pages), engine=engine)
    profile = build_profile(source, scores, edition, country=country, year=year, family=family)
    profile.sections = sections
    profile.cleaning = [*cleaned.repairs, *joins]
    return profile, edition


def _extract_text(path: Path, *, country: str | None, year: int | None, family: str | None,
                  table_settings: ScoreTableSettings | None = None) -> tuple[Profile, taxonomy.Edition]:
    from octa import clean
    from octa.parse import sections as sections_parser

    data, text = _read_text(path)
    # the score parser reads the text before the cleaner does: control, zero-width and bidi
    # characters hidden inside labels and numbers must not reach it either (the cleaner logs them)
    scores = parse_text(clean._SOFT_HYPHEN.sub("", clean._CONTROL.sub("", text)), family=family, year=year,
                        country=country, settings=table_settings)
    _require_profile(path, scores)
    edition = taxonomy.resolve(family or scores.family, year or scores.year)
    cleaned_text, repairs = clean.clean_text(text, edition)
    sections = sections_parser.parse_sections_text(cleaned_text, edition)
    source = Source(file=file_name(path), sha256=hashlib.sha256(data).hexdigest(), pages=0, engine="text")
    profile = build_profile(source, scores, edition, country=country, year=year, family=family)
    profile.sections = sections
    profile.cleaning = list(repairs)
    return profile, edition


def detect_edition(text: str, family: str | None = None, year: int | None = None) -> taxonomy.Edition:
    """The edition of a document from its text, as the score parser detects family and year
    (``family`` and ``year`` given override them): for the cleaner run on its own (``octa clean``)."""
    from octa.parse.scores import detect_family, detect_year

    fam = family or detect_family(text)
    return taxonomy.resolve(fam, year or detect_year(text, fam))


def _read_text(path: Path) -> tuple[bytes, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnsupportedInput(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if not data:
        from octa.errors import EmptyFile

        raise EmptyFile(str(path), "the file is empty (0 bytes)")
    if len(data) > MAX_TEXT_BYTES:
        from octa.errors import TooLarge

        raise TooLarge(str(path), f"text file is {len(data)} bytes, over the {MAX_TEXT_BYTES} byte limit")
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-":
        raise UnsupportedInput(str(path), "binary data, not text (give a PDF a .pdf name)")
    return data, data.decode("utf-8", errors="replace")


def read_text_input(path: str | Path) -> str:
    """The text of a text input, with the same checks as extraction (size, binary data)."""
    return _read_text(Path(path))[1]


def _require_profile(path: Path, scores: ScoreResult) -> None:
    # rows whose score's place holds a token not understood are rows of the table all the same
    n = sum(1 for r in scores.indicators.values() if r.score is not None) + sum(
        1 for k in scores.unread if k not in taxonomy.SUMMARY_IDS)
    has_summary = any(r.score is not None for r in scores.summary.values())
    if n >= MIN_INDICATORS or (n >= 1 and has_summary):
        return
    raise NotAProfile(str(path), f"no score table found ({n} indicator rows with scores, "
                                 f"{'a' if has_summary else 'no'} summary score): not an OCTA-style profile")


def build_profile(source: Source, scores: ScoreResult, edition: taxonomy.Edition, *, country: str | None = None,
                  year: int | None = None, family: str | None = None) -> Profile:
    """The Profile of what the score parser read; indicators in taxonomy order, those the edition
    should have but the page does not show listed with a null score and status ``missing``."""
    fam = family or scores.family
    yr = year or scores.year
    ctry = (taxonomy.canonical_country(country) or country) if country else scores.country
    summary = Summary(**{k: _num(v.score) for k, v in scores.summary.items()})
    summary_scores = [
        SummaryScore(metric=k, score=_num(v.score), change=_num(v.change), page=v.page, bbox=v.bbox,
                     change_printed=v.change_printed, confirmed_by=[],
                     evidence=["geometry"] if v.alternatives == 0 else [], score_printed=_printed(v))
        if (v := scores.summary.get(k)) is not None else
        SummaryScore(metric=k, page=u.page, bbox=u.bbox, score_printed=u.printed, confirmed_by=[])
        for k in taxonomy.SUMMARY_IDS
        if k in scores.summary or (u := scores.unread.get(k)) is not None
    ]
    expected = {i.id for i in edition.indicators} if yr else set()
    indicators: list[Indicator] = []
    for ind in taxonomy.INDICATORS:
        read = scores.indicators.get(ind.id)
        unread = scores.unread.get(ind.id) if read is None else None
        if unread is not None:  # its row was read, its score not: missing, with the token as printed
            indicators.append(Indicator(id=ind.id, label=ind.label, pillar=ind.pillar, group=ind.group,
                                        page=unread.page, bbox=unread.bbox, score_printed=unread.printed,
                                        status="missing"))
            continue
        if read is None:
            if ind.id in expected:
                indicators.append(Indicator(id=ind.id, label=ind.label, pillar=ind.pillar, group=ind.group,
                                            status="missing"))
            continue
        indicators.append(Indicator(
            id=ind.id, label=ind.label, pillar=ind.pillar, group=ind.group,
            score=_num(read.score), change=_num(read.change), page=read.page, bbox=read.bbox,
            change_printed=read.change_printed, bar_score=_num(_round_bar(read.bar_score)),
            score_printed=_printed(read),
            confirmed_by=[], evidence=["geometry"] if read.alternatives == 0 else [],
        ))
    ranks = [Rank(metric=r.metric, scope=r.scope, rank=r.rank, of=r.of, area=r.area, page=r.page, bbox=r.bbox,
                  tie=True if r.tie else None)
             for r in sorted(scores.ranks, key=lambda r: (r.metric, ("global", "continent", "region").index(r.scope)))]
    return Profile(source=source, family=fam, country=ctry, year=yr, summary=summary,
                   summary_scores=summary_scores, ranks=ranks, indicators=indicators)


def _printed(read: ScoreRead) -> str | None:
    """A score's token as printed, when printed with a decoration (``6.50/10``); else None."""
    t = read.score_token
    return t.text if t is not None and t.decorated and t.value == read.score else None


def _round_bar(x: Fraction | None) -> Fraction | None:
    """Bar lengths are measured, not printed: keep two decimals."""
    if x is None:
        return None
    return Fraction(round(x * 100), 100)
