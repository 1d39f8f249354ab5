"""Exact score arithmetic of the index (DOMAIN §3), with :class:`fractions.Fraction`.

* indicator scores lie on the half-step grid {1.0, 1.5, …, 10.0};
* a pillar average is the exact mean of its indicators, rounded half up to 2 decimals;
* criminality is the mean of the two *unrounded* pillar means (markets, actors), rounded half up;
* a summary change is the difference of the *unrounded* means, rounded half away from zero.

Floats never enter a computation: every input is converted through its decimal string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from octa import taxonomy

Number = int | float | str | Decimal | Fraction

#: Every valid indicator score: 1.0, 1.5, …, 10.0.
SCORE_GRID: tuple[Fraction, ...] = tuple(Fraction(k, 2) for k in range(2, 21))
#: The same as a set (membership by hash: a Fraction's ``==`` is Python code, nineteen times over).
SCORE_SET: frozenset[Fraction] = frozenset(SCORE_GRID)
_HUNDREDTH = Decimal("0.01")


_EXACT_FLOATS: dict[float, Fraction] = {}


def exact(x: Number) -> Fraction:
    """``x`` as an exact fraction; floats go through their shortest decimal repr (``2.08`` → 52/25)."""
    if isinstance(x, Fraction):
        return x
    if type(x) is float:
        # the same few values come again and again (every check converts each score and change):
        # their fractions are kept (immutable; a bounded cache)
        f = _EXACT_FLOATS.get(x)
        if f is None:
            f = Fraction(repr(x))
            if len(_EXACT_FLOATS) >= 4096:
                _EXACT_FLOATS.clear()
            _EXACT_FLOATS[x] = f
        return f
    if isinstance(x, float):
        return Fraction(repr(x))
    if isinstance(x, Decimal):
        return Fraction(x)
    return Fraction(str(x).strip())


def round_to(x: Fraction, places: int) -> Decimal:
    """Round half away from zero to ``places`` decimals (half up for the non-negative averages),
    exactly: ``round_to(Fraction(1, 15), 1)`` is ``0.1``, ``round_to(Fraction(-7, 24), 2)`` is ``-0.29``."""
    sign = -1 if x < 0 else 1
    scaled = abs(x) * 10**places + Fraction(1, 2)
    q = scaled.numerator // scaled.denominator
    return Decimal(sign * q).scaleb(-places)


def round2(x: Fraction) -> Decimal:
    """Round half away from zero to 2 decimals (half up for the non-negative averages), exactly."""
    return round_to(x, 2).quantize(_HUNDREDTH)


_NUMBER = re.compile(r"\d+(?:[.,·](\d+))?")


def printed_places(printed: str | None, shown: Number | None = None, default: int = 2) -> int:
    """How many decimals a value was printed with: those of the first number in its printed text
    (``'+0.1'``, ``'(0.10)'``, ``'▲1.5'``, ``'6.50/10'`` → 1, 2, 1, 2; ``'7'`` → 0). Without a
    printed text (a profile built otherwise, or a value whose text octa does not keep), at least
    ``default`` (the contract's two decimals) and as many as ``shown`` has: a float cannot say
    whether ``0.1`` was printed ``0.1`` or ``0.10``, so the check stays the strict one."""
    if printed:
        m = _NUMBER.search(printed)
        if m is not None:
            return len(m.group(1) or "")
    if shown is None:
        return default
    f = exact(shown)
    own = next((k for k in range(0, 7) if (f * 10**k).denominator == 1), 6)
    return max(default, own)


def agrees(shown: Number, value: Number, printed: str | None = None) -> bool:
    """Whether a printed value ``shown`` agrees with the exact ``value`` at the precision it was
    printed with (:func:`printed_places` of ``printed``): ``value`` rounded half away from zero to
    that many decimals equals ``shown``. A change printed ``+0.1`` agrees with 1/15 = 0.0667; one
    printed ``0.10`` does not; an average printed ``6`` agrees with 5.9667. The one comparison every
    arithmetic and reference check makes (exact: no float enters it)."""
    places = printed_places(printed, shown)
    return exact(shown) == Fraction(round_to(exact(value), places))


def to_float(d: Decimal | Fraction) -> float:
    """The printed 2-decimal value as a float for JSON (exact round trip through ``repr``)."""
    return float(round2(d) if isinstance(d, Fraction) else d)


def is_valid_score(x: Number) -> bool:
    """Whether ``x`` is on the half-step grid 1.0 … 10.0."""
    try:
        return exact(x) in SCORE_SET
    except (ValueError, ZeroDivisionError):
        return False


def mean(values: Iterable[Number]) -> Fraction:
    vals = [exact(v) for v in values]
    if not vals:
        raise ValueError("mean of no values")
    return sum(vals, Fraction(0)) / len(vals)


@dataclass(frozen=True)
class Summary:
    """Unrounded pillar means and criminality; ``rounded()`` gives what a profile prints."""

    criminal_markets: Fraction | None
    criminal_actors: Fraction | None
    resilience: Fraction | None

    @property
    def criminality(self) -> Fraction | None:
        if self.criminal_markets is None or self.criminal_actors is None:
            return None
        return (self.criminal_markets + self.criminal_actors) / 2

    def exact_values(self) -> dict[str, Fraction | None]:
        return {
            "criminality": self.criminality,
            "criminal_markets": self.criminal_markets,
            "criminal_actors": self.criminal_actors,
            "resilience": self.resilience,
        }

    def rounded(self) -> dict[str, Decimal | None]:
        return {k: (None if v is None else round2(v)) for k, v in self.exact_values().items()}


def summarise(scores: Mapping[str, Number | None], year: int | None = None, family: str | None = None, *,
              edition: taxonomy.Edition | None = None) -> Summary:
    """Pillar means from indicator scores by id. A pillar with any indicator missing (None or
    absent, among those of ``edition`` when given, else of edition ``year`` of ``family`` when
    given, else those present) has mean None."""
    means: dict[str, Fraction | None] = {}
    for pillar in taxonomy.PILLARS:
        if edition is not None:
            ids = [i.id for i in edition.indicators_for(pillar)]
        elif year is not None:
            ids = [i.id for i in taxonomy.indicators_of(family, year, pillar)]
        else:
            ids = [i.id for i in taxonomy.INDICATORS if i.pillar == pillar and i.id in scores]
        vals = [scores.get(i) for i in ids]
        if not ids or any(v is None for v in vals):
            means[pillar] = None
        else:
            means[pillar] = mean(v for v in vals if v is not None)
    return Summary(means["criminal_markets"], means["criminal_actors"], means["resilience"])


def summary_change(current: Fraction | None, previous: Fraction | None) -> Decimal | None:
    """Change of a summary score: difference of the unrounded means, rounded half away from zero."""
    if current is None or previous is None:
        return None
    return round2(current - previous)


def indicator_change(current: Number | None, previous: Number | None) -> Decimal | None:
    """Change of an indicator score (exact: both lie on the half-step grid)."""
    if current is None or previous is None:
        return None
    return round2(exact(current) - exact(previous))


def solve_missing(
    known: Iterable[Number], printed_average: Number, n_total: int, printed: str | None = None
) -> list[Fraction]:
    """Every grid score ``s`` such that the mean of ``known`` plus ``s`` (``n_total`` values in all)
    rounds to ``printed_average`` at the precision it was printed with (``printed``, its text: see
    :func:`agrees`). One solution means the missing score is fixed by the average."""
    ks = [exact(k) for k in known]
    if len(ks) != n_total - 1:
        raise ValueError(f"need {n_total - 1} known scores, got {len(ks)}")
    base = sum(ks, Fraction(0))
    return [s for s in SCORE_GRID if agrees(printed_average, (base + s) / n_total, printed)]
