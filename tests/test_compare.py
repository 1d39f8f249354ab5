"""octa.compare: a number is only right when the truth holds the same number. A value where the
truth has none (an invented change, a score of an indicator the truth lacks, a rank it does not
print) is a difference, exactly like a wrong or a missing value."""

from __future__ import annotations

from octa.compare import Difference, compare_scores
from octa.model import Indicator, Profile, Rank, Source, Summary, SummaryScore


def _truth() -> Profile:
    return Profile(
        source=Source(file="mali.pdf", sha256="0" * 64, pages=4, engine="synth"),
        family="enact", country="Mali", year=2025,
        summary=Summary(criminality=6.07, criminal_markets=6.53, criminal_actors=5.6, resilience=2.08),
        summary_scores=[SummaryScore(metric="criminality", score=6.07, change=0.13),
                        SummaryScore(metric="criminal_markets", score=6.53, change=None),
                        SummaryScore(metric="criminal_actors", score=5.6, change=None),
                        SummaryScore(metric="resilience", score=2.08, change=-0.29)],
        ranks=[Rank(metric="criminality", scope="continent", rank=12, of=54, area="Africa")],
        indicators=[
            Indicator(id="human_trafficking", label="Human trafficking", pillar="criminal_markets",
                      group="people", score=7.5, change=0.5),
            Indicator(id="cyber_dependent_crimes", label="Cyber-dependent crimes", pillar="criminal_markets",
                      group="cyber_dependent_crimes", score=3.0, change=None),  # printed n/a
            Indicator(id="prevention", label="Prevention", pillar="resilience",
                      group="civil_society_and_social_protection", score=2.0, change=0.0),
        ],
    )


def _fields(diffs: list[Difference]) -> list[tuple[str, str]]:
    return [(d.field, d.key) for d in diffs]


def test_identical_profiles_have_no_differences() -> None:
    assert compare_scores(_truth(), _truth()) == []


def test_invented_summary_change_is_wrong() -> None:
    got = _truth()
    got.summary_scores[1].change = 0.07  # the truth prints no change for the markets average
    assert _fields(compare_scores(got, _truth())) == [("summary.change", "criminal_markets")]
    got = _truth()
    got.summary_scores[3].change = None  # and a change the truth has, not read
    assert _fields(compare_scores(got, _truth())) == [("summary.change", "resilience")]


def test_summary_change_of_a_metric_the_truth_does_not_list_is_wrong() -> None:
    truth = _truth()
    truth.summary_scores = [s for s in truth.summary_scores if s.metric != "criminal_actors"]
    got = _truth()
    assert _fields(compare_scores(got, truth)) == []  # no change on either side: nothing to say
    got.summary_scores[2].change = 0.2
    assert _fields(compare_scores(got, truth)) == [("summary.change", "criminal_actors")]


def test_invented_summary_score_is_wrong() -> None:
    truth = _truth()
    truth.summary.criminal_actors = None
    got = _truth()
    assert _fields(compare_scores(got, truth)) == [("summary", "criminal_actors")]


def test_invented_indicator_values_are_wrong() -> None:
    got = _truth()
    got.indicators[1].change = 0.5  # the truth prints n/a
    got.indicators.append(Indicator(id="fauna_crimes", label="Fauna crimes", pillar="criminal_markets",
                                    group="environment", score=4.0, change=0.0))  # not in the truth
    assert _fields(compare_scores(got, _truth())) == [
        ("indicator.change", "cyber_dependent_crimes"),
        ("indicator.score", "fauna_crimes"), ("indicator.change", "fauna_crimes")]


def test_a_score_marked_missing_is_still_a_score() -> None:
    truth = _truth()
    truth.indicators = truth.indicators[:2]
    got = _truth()
    got.indicators[2].status = "missing"  # says missing, yet carries a number the truth lacks
    assert _fields(compare_scores(got, truth)) == [("indicator.score", "prevention"),
                                                   ("indicator.change", "prevention")]


def test_invented_and_wrong_ranks() -> None:
    got = _truth()
    got.ranks.append(Rank(metric="resilience", scope="region", rank=3, of=15, area="West Africa"))
    assert _fields(compare_scores(got, _truth())) == [("rank", "resilience/region")]
    got = _truth()
    got.ranks[0].rank = 13
    diffs = compare_scores(got, _truth())
    assert diffs == [Difference("rank", "criminality/continent", (13, 54, "Africa"), (12, 54, "Africa"))]


def test_summary_change_right_at_the_precision_it_was_printed_with() -> None:
    """A summary change printed with one decimal is the profile's own rounding of the exact change:
    read as printed it is right (truth 0.13 → +0.1, −0.29 → −0.3); a wrong one-decimal value, or a
    value printed with two decimals that differs, is still wrong."""
    def got(crim: float, crim_printed: str, res: float, res_printed: str) -> Profile:
        p = _truth()
        p.summary_scores[0] = SummaryScore(metric="criminality", score=6.07, change=crim, change_printed=crim_printed)
        p.summary_scores[3] = SummaryScore(metric="resilience", score=2.08, change=res, change_printed=res_printed)
        return p

    assert compare_scores(got(0.1, "+0.1", -0.3, "-0.3"), _truth()) == []
    assert _fields(compare_scores(got(0.2, "+0.2", -0.2, "-0.2"), _truth())) == [
        ("summary.change", "criminality"), ("summary.change", "resilience")]
    assert _fields(compare_scores(got(0.1, "+0.10", -0.29, "-0.29"), _truth())) == [("summary.change", "criminality")]


def test_summary_change_against_the_truths_own_one_decimal_print() -> None:
    """A truth that records the change as printed at one decimal (-0.2467 exact: printed -0.2,
    though its two-decimal change -0.25 would round to -0.3) is compared with that print: -0.2 read
    is right, -0.3 is wrong; a truth without that record compares as before (-0.25 → -0.3)."""
    def with_res(p: Profile, change: float, printed: str | None) -> Profile:
        p.summary_scores[3] = SummaryScore(metric="resilience", score=2.08, change=change, change_printed=printed)
        return p

    truth = with_res(_truth(), -0.25, "-0.2")
    assert compare_scores(with_res(_truth(), -0.2, "-0.2"), truth) == []
    assert _fields(compare_scores(with_res(_truth(), -0.3, "-0.3"), truth)) == [("summary.change", "resilience")]
    plain = with_res(_truth(), -0.25, None)
    assert _fields(compare_scores(with_res(_truth(), -0.2, "-0.2"), plain)) == [("summary.change", "resilience")]
    assert compare_scores(with_res(_truth(), -0.3, "-0.3"), plain) == []


def test_the_contract_nulls_are_told_apart_from_differences() -> None:
    """A change left null because its direction is printed by colour alone (its size kept in
    ``change_printed``, a ``change_direction`` finding) or because a clip path cuts it (``0.…``
    kept, an ``indicator_change`` finding saying it is cut off) is the null the output contract
    asks for; without its finding, or with another printed size, it is a difference."""
    from octa.compare import contract_null
    from octa.model import Finding

    truth = _truth()

    def got_with(printed: str, finding: Finding | None) -> Profile:
        got = truth.model_copy(deep=True)
        ind = got.indicator("human_trafficking")
        ind.change, ind.change_printed = None, printed
        got.validation = [finding] if finding else []
        return got

    colour = Finding(rule="change_direction", severity="warning", indicator="human_trafficking",
                     message="the change 0.50 is printed without a sign or an icon")
    cut = Finding(rule="indicator_change", severity="warning", indicator="human_trafficking",
                  message="the change is cut off by a clip path: 0.…")
    for got, want in ((got_with("0.50", colour), "colour only"), (got_with("0.…", cut), "cut off"),
                      (got_with("0.50", None), None), (got_with("0.25", colour), None),
                      (got_with("0.…", None), None), (got_with("0.…", colour), None)):
        diffs = [d for d in compare_scores(got, truth) if d.key == "human_trafficking"]
        assert [(d.field, d.got, d.expected) for d in diffs] == [("indicator.change", None, 0.5)]
        assert contract_null(got, diffs[0], truth) == want, (got.indicator("human_trafficking").change_printed, want)
