"""A second, deliberately plain implementation of the index's arithmetic (DOMAIN.md §3), for test
expectations only. It shares no code with :mod:`octa.scoring` and uses :mod:`decimal` instead of
fractions, so that an error in ``octa.scoring`` cannot cancel out in a test that computes its
expected values here.

* a pillar average: the exact mean of its indicator scores, rounded half up to 2 decimals;
* criminality: the mean of the two unrounded pillar means (markets, actors), rounded half up;
* a summary change: the difference of the unrounded means, rounded half away from zero;
* an indicator change: current minus previous (both on the half-step grid, so exact).

The indicator lists per pillar are written out here by hand (DOMAIN.md §2), not read from
``octa.taxonomy``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

MARKETS_2019 = ("human_trafficking", "human_smuggling", "arms_trafficking", "flora_crimes", "fauna_crimes",
                "non_renewable_resource_crimes", "heroin_trade", "cocaine_trade", "cannabis_trade",
                "synthetic_drug_trade")
MARKETS_2023 = ("human_trafficking", "human_smuggling", "extortion_and_protection_racketeering",
                "arms_trafficking", "trade_in_counterfeit_goods", "illicit_trade_in_excisable_goods",
                "flora_crimes", "fauna_crimes", "non_renewable_resource_crimes", "heroin_trade", "cocaine_trade",
                "cannabis_trade", "synthetic_drug_trade", "cyber_dependent_crimes", "financial_crimes")
ACTORS_2019 = ("mafia_style_groups", "criminal_networks", "state_embedded_actors", "foreign_actors")
ACTORS_2023 = ACTORS_2019 + ("private_sector_actors",)
RESILIENCE = ("political_leadership_and_governance", "government_transparency_and_accountability",
              "international_cooperation", "national_policies_and_laws", "judicial_system_and_detention",
              "law_enforcement", "territorial_integrity", "anti_money_laundering", "economic_regulatory_capacity",
              "victim_and_witness_support", "prevention", "non_state_actors")

_CENT = Decimal("0.01")


def pillar_ids(year: int) -> dict[str, tuple[str, ...]]:
    """The indicator ids of each pillar in the edition of ``year`` (2019 and 2021: the small set)."""
    small = year <= 2021
    return {"criminal_markets": MARKETS_2019 if small else MARKETS_2023,
            "criminal_actors": ACTORS_2019 if small else ACTORS_2023,
            "resilience": RESILIENCE}


def _d(x: object) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def _mean(values: list[Decimal]) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return sum(values, Decimal(0)) / Decimal(len(values))


def _round(x: Decimal) -> Decimal:
    # half away from zero: ROUND_HALF_UP in decimal rounds away from zero on ties
    return x.quantize(_CENT, rounding=ROUND_HALF_UP)


def unrounded(scores: dict[str, object], year: int) -> dict[str, Decimal]:
    """Unrounded pillar means and criminality (60 significant digits)."""
    out = {p: _mean([_d(scores[i]) for i in ids]) for p, ids in pillar_ids(year).items()}
    with localcontext() as ctx:
        ctx.prec = 60
        out["criminality"] = (out["criminal_markets"] + out["criminal_actors"]) / 2
    return out


def summary(scores: dict[str, object], year: int) -> dict[str, Decimal]:
    """What a profile prints: the four summary scores, 2 decimals."""
    return {k: _round(v) for k, v in unrounded(scores, year).items()}


def summary_changes(scores: dict[str, object], year: int, previous: dict[str, object],
                    previous_year: int) -> dict[str, Decimal]:
    """Each summary score's change against the previous edition (difference of unrounded means)."""
    now, before = unrounded(scores, year), unrounded(previous, previous_year)
    with localcontext() as ctx:
        ctx.prec = 60
        return {k: _round(now[k] - before[k]) for k in now}


def indicator_change(current: object, previous: object | None) -> Decimal | None:
    """``None`` for an indicator new in the edition (printed ``n/a``)."""
    if previous is None:
        return None
    return _d(current) - _d(previous)
