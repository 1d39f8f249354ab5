from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from octa import scoring, taxonomy
from octa.dataset import read_reference

from . import oracle


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


# --------------------------------------------------------------------------------------------
# octa.scoring against tests/oracle.py, a second implementation (decimal, no shared code), and
# both against the hand-worked examples of DOMAIN §3
# --------------------------------------------------------------------------------------------

_HALVES = [Decimal(k) / 2 for k in range(2, 21)]  # 1.0 … 10.0, written out here


def _edition(rng: random.Random, year: int) -> dict[str, Decimal]:
    return {i: rng.choice(_HALVES) for ids in oracle.pillar_ids(year).values() for i in ids}


@pytest.mark.parametrize("seed", range(8))
def test_scoring_agrees_with_the_oracle_on_random_editions(seed: int) -> None:
    rng = random.Random(seed)
    ties = 0
    for _ in range(250):
        year = rng.choice([2019, 2021, 2023, 2025])
        prev_year = {2019: 2019, 2021: 2019, 2023: 2021, 2025: 2023}[year]
        cur, prev = _edition(rng, year), _edition(rng, prev_year)
        if rng.random() < 0.2:  # flat scores: means on whole and half points
            value = rng.choice(_HALVES)
            cur = dict.fromkeys(cur, value)
        got = scoring.summarise(cur, year)
        assert got.rounded() == oracle.summary(cur, year), (seed, year, cur)
        before = scoring.summarise(prev, prev_year)
        want = oracle.summary_changes(cur, year, prev, prev_year)
        for k in ("criminality", "criminal_markets", "criminal_actors", "resilience"):
            assert scoring.summary_change(got.exact_values()[k], before.exact_values()[k]) == want[k], (seed, k)
        ties += sum(1 for v in oracle.unrounded(cur, year).values() if (v * 1000) % 10 == 5)
        for i in set(cur) & set(prev):
            assert scoring.indicator_change(cur[i], prev[i]) == oracle.indicator_change(cur[i], prev[i])
        assert scoring.indicator_change(cur[next(iter(cur))], None) is None
        assert oracle.indicator_change(cur[next(iter(cur))], None) is None
    assert ties > 0  # the half-up rounding of exact ties (k/24 resilience means) was exercised


# Mali, hand-worked (DOMAIN §3): global 2023 with markets 97/15, actors 27/5, resilience 28.5/12;
# ENACT 2025 resilience 25/12 (the real profile's indicator scores, non-state actors 2.0).
MALI_2023 = {
    "criminal_markets": ["6.5"] * 14 + ["6.0"],  # 97
    "criminal_actors": ["5.5"] * 4 + ["5.0"],  # 27
    "resilience": ["2.5", "2.5", "4.0", "2.5", "2.5", "2.0", "1.5", "2.5", "2.0", "1.5", "2.0", "3.0"],  # 28.5
}
MALI_2025 = {
    "criminal_markets": ["6.5"] * 14 + ["7.0"],  # 98
    "criminal_actors": ["5.5"] * 4 + ["6.0"],  # 28
    "resilience": ["2.0", "2.0", "3.0", "2.5", "2.0", "2.0", "1.5", "2.5", "2.0", "1.5", "2.0", "2.0"],  # 25
}


def _scores(by_pillar: dict[str, list[str]], year: int) -> dict[str, Decimal]:
    ids = oracle.pillar_ids(year)
    return {i: Decimal(v) for p, vals in by_pillar.items() for i, v in zip(ids[p], vals, strict=True)}


def test_mali_hand_cases_in_scoring_and_oracle() -> None:
    cur, prev = _scores(MALI_2025, 2025), _scores(MALI_2023, 2023)
    printed_2023 = {"criminality": "5.93", "criminal_markets": "6.47", "criminal_actors": "5.40", "resilience": "2.38"}
    # 2025: markets 98/15 = 6.5333, actors 28/5 = 5.6, criminality 182/30 = 6.0667, resilience 25/12 = 2.0833
    printed_2025 = {"criminality": "6.07", "criminal_markets": "6.53", "criminal_actors": "5.60", "resilience": "2.08"}
    # changes from the unrounded means: 4/30 = 0.1333, 1/15 = 0.0667, 0.2, 25/12 - 57/24 = -0.2917; the
    # printed (rounded) values would give 0.14, 0.06, 0.20, -0.30
    changes = {"criminality": "0.13", "criminal_markets": "0.07", "criminal_actors": "0.20", "resilience": "-0.29"}
    for impl in ("scoring", "oracle"):
        if impl == "scoring":
            s23, s25 = scoring.summarise(prev, 2023), scoring.summarise(cur, 2025)
            r23, r25 = s23.rounded(), s25.rounded()
            ch = {k: scoring.summary_change(s25.exact_values()[k], s23.exact_values()[k]) for k in changes}
        else:
            r23, r25 = oracle.summary(prev, 2023), oracle.summary(cur, 2025)
            ch = oracle.summary_changes(cur, 2025, prev, 2023)
        assert r23 == {k: Decimal(v) for k, v in printed_2023.items()}, impl
        assert r25 == {k: Decimal(v) for k, v in printed_2025.items()}, impl
        assert ch == {k: Decimal(v) for k, v in changes.items()}, impl
    naive = {k: Decimal(printed_2025[k]) - Decimal(printed_2023[k]) for k in changes}
    assert naive == {"criminality": Decimal("0.14"), "criminal_markets": Decimal("0.06"),
                     "criminal_actors": Decimal("0.20"), "resilience": Decimal("-0.30")}
    # the real ENACT 2025 Mali resilience row, non-state actors unread: the printed 2.08 fixes it at 2.0
    known = MALI_2025["resilience"][:11]
    assert scoring.solve_missing(known, "2.08", 12) == [Fraction(2)]
