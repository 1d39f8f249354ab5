from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from octa import scoring, taxonomy
from octa.dataset import read_reference


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(97, 15), "6.47"),  # Mali 2023 markets
        (Fraction(27, 5), "5.40"),  # Mali 2023 actors
        ((Fraction(97, 15) + Fraction(27, 5)) / 2, "5.93"),  # criminality from unrounded means
        (Fraction(57, 24), "2.38"),  # 28.5/12 = 2.375 rounds half up
        (Fraction(25, 12), "2.08"),
        (Fraction(25, 12) - Fraction(57, 24), "-0.29"),  # change from unrounded means
        (Fraction(-1, 200), "-0.01"),  # half away from zero below zero
        (Fraction(1, 200), "0.01"),
        (Fraction(-3, 800), "0.00"),
    ],
)
def test_round2_hand_cases(value: Fraction, expected: str) -> None:
    assert scoring.round2(value) == Decimal(expected)


def test_mali_2023_example_from_indicator_scores() -> None:
    # 15 market scores summing to 97, 5 actor scores summing to 27, 12 resilience summing to 28.5.
    markets = [6.5] * 14 + [6.0]
    actors = [5.5, 5.5, 5.5, 5.5, 5.0]
    res = [2.5] * 9 + [2.0, 2.0, 2.0]
    ids = taxonomy.indicators_for(2023)
    scores = {}
    for pillar, vals in (("criminal_markets", markets), ("criminal_actors", actors), ("resilience", res)):
        for ind, v in zip([i for i in ids if i.pillar == pillar], vals, strict=True):
            scores[ind.id] = v
    got = scoring.summarise(scores, 2023).rounded()
    assert got == {"criminality": Decimal("5.93"), "criminal_markets": Decimal("6.47"),
                   "criminal_actors": Decimal("5.40"), "resilience": Decimal("2.38")}


def test_rounded_pillars_would_give_wrong_criminality() -> None:
    # The trap of DOMAIN §3: averaging the printed (rounded) pillar averages is off by 0.01 here.
    m, a = Fraction(97, 15), Fraction(27, 5)
    naive = scoring.round2((scoring.exact(scoring.round2(m)) + scoring.exact(scoring.round2(a))) / 2)
    assert scoring.round2((m + a) / 2) == Decimal("5.93")
    assert naive == Decimal("5.94")


def test_summary_change_uses_unrounded_means() -> None:
    assert scoring.summary_change(Fraction(25, 12), Fraction(57, 24)) == Decimal("-0.29")
    assert scoring.round2(scoring.exact(scoring.round2(Fraction(25, 12))) -
                          scoring.exact(scoring.round2(Fraction(57, 24)))) == Decimal("-0.30")


def test_solve_missing_mali_non_state_actors() -> None:
    known = [2.0, 2.0, 3.0, 2.5, 2.0, 2.0, 1.5, 2.5, 2.0, 1.5, 2.0]
    assert scoring.solve_missing(known, "2.08", 12) == [Fraction(2)]


def test_exact_never_uses_binary_float() -> None:
    assert scoring.exact(2.08) == Fraction(52, 25)
    assert scoring.is_valid_score("9.5") and not scoring.is_valid_score("9.25")
    assert not scoring.is_valid_score("0.5") and not scoring.is_valid_score("10.5")
    assert not scoring.is_valid_score("abc")


@given(st.lists(st.sampled_from(scoring.SCORE_GRID), min_size=1, max_size=15))
def test_mean_is_within_grid_and_round_trips(values: list[Fraction]) -> None:
    m = scoring.mean(values)
    r = scoring.round2(m)
    assert Decimal(1) <= r <= Decimal(10)
    assert abs(Fraction(r) - m) <= Fraction(1, 200)


def test_every_row_of_the_official_dataset(reference_xlsx) -> None:
    rows = read_reference(reference_xlsx)
    assert len(rows) == 386
    assert {r.edition for r in rows} == {2021, 2023}
    mismatches = []
    for row in rows:
        assert len(row.scores) == len(taxonomy.indicators_for(row.edition))
        assert all(scoring.is_valid_score(v) for v in row.scores.values())
        got = scoring.summarise(row.scores, row.edition).rounded()
        for key, printed in row.summary.items():
            if got[key] != printed:
                mismatches.append((row.edition, row.country, key, got[key], printed))
    assert mismatches == []
    # and the naive criminality (from printed averages) really does disagree in many rows
    naive_off = sum(
        1 for r in rows
        if scoring.round2((Fraction(r.summary["criminal_markets"]) + Fraction(r.summary["criminal_actors"])) / 2)
        != r.summary["criminality"]
    )
    assert naive_off > 50
