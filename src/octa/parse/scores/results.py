"""Stage 2, the result model and its arithmetic: what a reading gives (:class:`ScoreRead`,
:class:`RankRead`, :class:`UnreadCell`, gathered in a :class:`ScoreResult`), and what the read
indicator scores of a result say of its summary scores.

Takes tokens (stage 1) and a result; gives the result's classes, the summary scores that the read
indicator scores give by the taxonomy's formula (``_exact_summary``, ``_computed_summary``; only
for whole pillars), whether they reproduce the printed pillar averages (``_average_checks``,
``_pillar_fits``), and a change token as a read's change (``_set_change``, ``_change_value``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from octa import taxonomy
from octa.parse.scores.tokens import Token


@dataclass
class ScoreRead:
    """One score (indicator or summary) as read: value, change, provenance."""

    key: str  # indicator id or summary id
    score: Fraction | None
    change: Fraction | None
    change_printed: str | None
    change_sign_unknown: bool = False
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    label_text: str = ""
    label_bbox: tuple[float, float, float, float] | None = None
    bar_score: Fraction | None = None
    #: how the score was placed: "row" (in the label's row), "below" (under the label), "nearby"
    #: (a summary figure above or below its caption), "line" (text: on the label's own line),
    #: "stream" (text: on a line of numbers next to a line holding only the label)
    how: str = "row"
    #: other numbers in the label's cell that could also have been its score
    alternatives: int = 0
    direction: int = 0
    block: object = field(default=None, repr=False, compare=False)
    score_token: Token | None = field(default=None, repr=False, compare=False)
    change_token: Token | None = field(default=None, repr=False, compare=False)
    change_unsigned: bool = False


@dataclass
class RankRead:
    metric: str
    scope: str
    rank: int
    of: int
    area: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    tie: bool = False  # printed as a tie (``=23rd``)


@dataclass
class UnreadCell:
    """A row whose label was read and whose score's place holds a token not understood (``abc``,
    ``65%``, ``5.0/100``): the value is missing, and the token is quoted as printed."""

    key: str  # indicator id or summary id
    printed: str
    note: str = ""  # why it was not read, when known (a percentage, another scale)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class ScoreResult:
    indicators: dict[str, ScoreRead] = field(default_factory=dict)
    summary: dict[str, ScoreRead] = field(default_factory=dict)
    #: rows read as labels whose score could not be read (by key), see :class:`UnreadCell`
    unread: dict[str, UnreadCell] = field(default_factory=dict)
    ranks: list[RankRead] = field(default_factory=list)
    country: str | None = None
    year: int | None = None
    family: str | None = None
    notes: list[str] = field(default_factory=list)  # things the validator should report
    table_pages: list[int] = field(default_factory=list)

    @property
    def found_anything(self) -> bool:
        return bool(self.indicators) or any(s.score is not None for s in self.summary.values())


#: How many indicators a pillar has in each edition of the bundled families.
_PILLAR_SIZES: dict[str, set[int]] = {p: {len(e.indicators_for(p)) for f in taxonomy.FAMILIES
                                          for e in taxonomy.family(f).editions} for p in taxonomy.PILLARS}


def _whole_pillar(res: ScoreResult, pillar: str) -> list[Fraction | None] | None:
    """The pillar's indicator scores as read, when the pillar is whole (as many indicators as one of
    the editions has); None otherwise: only a whole pillar can reproduce its average or change."""
    reads = [r for k, r in res.indicators.items() if taxonomy.INDICATORS_BY_ID[k].pillar == pillar]
    sizes = _PILLAR_SIZES.get(pillar, set())
    return [r.score for r in reads] if len(reads) in sizes else None


def _average_checks(res: ScoreResult) -> list[bool]:
    """For each printed pillar average over a whole pillar of read scores: whether they reproduce it."""
    out = []
    for pillar in taxonomy.PILLARS:
        printed = res.summary.get(pillar)
        want = _computed_summary(res, pillar)
        if printed is None or printed.score is None or want is None:
            continue
        out.append(want == printed.score)
    return out


def _computed_summary(res: ScoreResult, key: str) -> Fraction | None:
    """The summary score ``key`` as the read indicator scores give it, by the taxonomy's formula
    (a pillar's mean, or the mean of other summaries' unrounded means), rounded as profiles print
    it; None unless every pillar it needs is whole."""
    from octa.scoring import round2

    value = _exact_summary(res, key)
    return None if value is None else Fraction(round2(value))


def _exact_summary(res: ScoreResult, key: str) -> Fraction | None:
    """The summary score ``key`` as the read indicator scores give it, unrounded (see
    :func:`_computed_summary`); None unless every pillar it needs is whole."""
    from octa.scoring import mean

    def exact(metric: str) -> Fraction | None:
        m = _SUMMARY_BY_ID[metric]
        if m.pillar is not None:
            vals = _whole_pillar(res, m.pillar)
            return None if vals is None or any(v is None for v in vals) else mean(vals)  # type: ignore[arg-type]
        parts = [exact(x) for x in m.mean_of]
        return None if not parts or None in parts else mean(parts)  # type: ignore[arg-type]

    return exact(key) if key in _SUMMARY_BY_ID else None


_SUMMARY_BY_ID = {m.id: m for m in taxonomy.SUMMARY}


def _pillar_fits(res: ScoreResult) -> int:
    """How many printed pillar averages the indicator scores reproduce (whole pillars only)."""
    return sum(_average_checks(res))


def _change_value(tok: Token | None) -> tuple[Fraction | None, str | None, bool]:
    if tok is None:
        return None, None, False
    if tok.kind == "na":
        return None, "n/a", False
    if tok.sign is None:
        return None, tok.text, True
    value = tok.value if tok.value is not None else None
    if value is not None and tok.sign < 0:
        value = -value
    printed = None if value is None else _fmt_change(value, tok.decimals)
    return value, printed, False


def _fmt_change(v: Fraction, decimals: int) -> str:
    q = f"{float(v):.{max(decimals, 1)}f}"
    return q if v < 0 or q.startswith("-") else q


def _set_change(read: ScoreRead, change: Token) -> None:
    value, printed, unknown = _change_value(change)
    read.change, read.change_printed, read.change_sign_unknown = value, printed, unknown
    read.change_token = change
    read.change_unsigned = change.kind == "num" and change.sign == 0 and bool(change.value)
