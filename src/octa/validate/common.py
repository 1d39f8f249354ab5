"""What every part of the validator shares: the rule names, the tolerances, a finding's wording and
the profile's edition and printed values."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from octa import scoring, taxonomy
from octa.model import Finding, Profile, Severity
from octa.thresholds import BAR_AGREEMENT

RULES: tuple[str, ...] = (
    "edition",
    "score_grid",
    "indicator_set",
    "inferred_score",
    "pillar_average",
    "summary_change",
    "indicator_change",
    "implied_previous",
    "bar_score",
    "paragraph_count",
    "summary_present",
    "country_code",
    "previous",
    "reference",
    "reference_missing",
    "rank",
    "unconfirmed",
    "change_direction",
    "profile_json",
    "unread_cell",
)

#: How far a score read from a drawn bar may be from the printed score (the score-table parser's
#: ``bar_agreement``: one definition).
BAR_TOLERANCE = BAR_AGREEMENT
#: The largest possible indicator change (10.0 − 1.0).
MAX_CHANGE = Fraction(9)
_TAXONOMY_ORDER = {ind.id: k for k, ind in enumerate(taxonomy.INDICATORS)}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

def _finding(rule: str, severity: Severity, message: str, indicator: str | None = None) -> Finding:
    return Finding(rule=rule, severity=severity, message=message, indicator=indicator)


def fmt(x: scoring.Number | None, places: int = 1) -> str:
    """A value for a message: exact decimals with at least ``places`` places (``7.5``, ``2.08``,
    ``7.25``), or a fraction with 4 decimals when it is not a short decimal (``25/12 ≈ 2.0833``)."""
    if x is None:
        return "null"
    f = scoring.exact(x)
    for k in range(places, 7):
        scaled = f * 10**k
        if scaled.denominator == 1:
            return f"{Decimal(scaled.numerator).scaleb(-k):.{k}f}"
    return f"{f.numerator}/{f.denominator} ≈ {float(f):.4f}"


def _label(profile: Profile) -> str:
    parts = [profile.country or "unknown country", str(profile.year) if profile.year else "unknown edition"]
    if profile.family:
        parts.append(f"({profile.family})")
    return " ".join(parts)


def edition_of(profile: Profile) -> taxonomy.Edition:
    """The edition ``profile`` belongs to (:func:`octa.taxonomy.resolve` of its family and year).
    The pipeline passes the one it resolved; a profile read back from JSON gets it here."""
    return profile.edition


def _has_changes(edition: taxonomy.Edition) -> bool | None:
    """Whether the edition prints changes; None when the family or edition is unknown."""
    if edition.family is None or not edition.dated:
        return None
    return edition.has_changes


def _printed(profile: Profile, metric: str) -> Fraction | None:
    """A printed summary score: ``profile.summary`` first, else ``profile.summary_scores``."""
    val = getattr(profile.summary, metric)
    if val is None:
        val = next((s.score for s in profile.summary_scores if s.metric == metric and s.score is not None), None)
    return None if val is None else scoring.exact(val)


def printed_text(item: object, what: str = "score") -> str | None:
    """The text a value was printed as (``change_printed``; ``score_printed`` where the model keeps a
    score's printed token), which sets the precision every check compares it at
    (:func:`octa.scoring.agrees`); None when not kept (then the strict two decimals)."""
    text = getattr(item, f"{what}_printed", None)
    return text if isinstance(text, str) else None


def _printed_summary_text(profile: Profile, metric: str) -> str | None:
    """The printed text of a summary score, when the profile keeps it."""
    return next((printed_text(s) for s in profile.summary_scores if s.metric == metric), None)


def _scores(profile: Profile) -> dict[str, Fraction | None]:
    return {i.id: (None if i.score is None else scoring.exact(i.score)) for i in profile.indicators}


def _exact_summary(profile: Profile, edition: taxonomy.Edition) -> scoring.Summary | None:
    """Unrounded pillar means from the profile's indicator scores (None without a known edition)."""
    if not edition.dated:
        return None
    return scoring.summarise(_scores(profile), edition=edition)


def _same_country(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return (taxonomy.canonical_country(a) or a) == (taxonomy.canonical_country(b) or b)


def _short(exc: Exception) -> str:
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    text = "; ".join(ln for ln in lines[:3] if not ln.startswith("For further information"))
    return (text[:240] + "…" if len(text) > 240 else text) or type(exc).__name__


def count(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    fs = list(findings)
    return sum(f.severity == "error" for f in fs), sum(f.severity == "warning" for f in fs)
