"""Hand-written truth cases (tests/cases/*.json): small extracted-text tables with the readings
written by hand from the text, in the manner of ftfy's test cases. The truth here is independent of
the code under test: nothing in a case was produced by octa.

For each case: the score parser (``parse_text``) must read every listed value exactly, must read no
value the case does not list (in particular none for the ids under ``absent``), and the text
extraction of the pipeline (``octa.pipeline.extract`` on the text as a ``.txt`` file) must not report
any value with status ``ok`` that differs from the case."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from octa.errors import NotAProfile
from octa.parse.scores import parse_text
from octa.pipeline import extract

CASES_DIR = Path(__file__).resolve().parent / "cases"
CASES = sorted(CASES_DIR.glob("*.json"))
KEYS = {"description", "family", "year", "text", "indicators", "summary", "ranks", "absent", "unread"}
SUMMARY_IDS = ("criminality", "criminal_markets", "criminal_actors", "resilience")


def _exact(x: Any) -> Fraction | None:
    """A number of a case (JSON number or text) or of octa's output, exactly, through its text."""
    return None if x is None else Fraction(str(x))


def _pair(score: Any, change: Any) -> tuple[Fraction | None, Fraction | None]:
    return _exact(score), _exact(change)


def _show(p: tuple[Fraction | None, Fraction | None] | None) -> str:
    if p is None:
        return "nothing"
    s, c = p
    return f"score {'-' if s is None else float(s):g}, change {'n/a' if c is None else f'{float(c):+g}'}"


def load_case(path: Path) -> dict[str, Any]:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert set(case) <= KEYS, f"{path.name}: unknown keys {set(case) - KEYS}"
    assert case.get("description") and case["family"] in ("global", "enact") and isinstance(case["year"], int)
    assert isinstance(case["text"], list) and all(isinstance(line, str) for line in case["text"])
    assert not set(case.get("absent", [])) & set(case["indicators"]), f"{path.name}: absent and expected"
    assert not set(case.get("unread", {})) & set(case["indicators"]), f"{path.name}: unread and expected"
    return case


def _read_pairs(reads: dict[str, Any]) -> dict[str, tuple[Fraction | None, Fraction | None]]:
    """What the parser reported: id → (score, change), for every read holding a value. A change whose
    sign the parser could not tell is no reading of a signed change (a zero has no sign)."""
    out = {}
    for key, r in reads.items():
        if r.score is None and r.change is None:
            continue
        change = r.change
        if change is not None and change != 0 and getattr(r, "change_sign_unknown", False):
            change = "sign unknown"
        out[key] = (r.score, change)
    return out


def _compare(what: str, expected: dict[str, tuple], got: dict[str, tuple], absent: set[str],
             problems: list[str]) -> None:
    for key, want in expected.items():
        if key not in got:
            problems.append(f"{what} {key}: not read, expected {_show(want)}")
        elif got[key] != want:
            problems.append(f"{what} {key}: read {_show(got[key]) if 'sign unknown' not in got[key] else got[key]}, "
                            f"expected {_show(want)}")
    for key, value in got.items():
        if key not in expected:
            why = "listed as absent" if key in absent else "not in the case"
            problems.append(f"{what} {key}: read {value if 'sign unknown' in value else _show(value)}, {why}")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path, tmp_path: Path) -> None:
    case = load_case(path)
    text = "\n".join(case["text"]) + "\n"
    absent = set(case.get("absent", []))
    exp_ind = {k: _pair(*v) for k, v in case["indicators"].items()}
    exp_sum = {k: _pair(*v) for k, v in case.get("summary", {}).items()}
    exp_ranks = sorted(tuple(r) for r in case.get("ranks", []))
    problems: list[str] = []

    # 1. the score parser
    res = parse_text(text, family=case["family"], year=case["year"])
    _compare("parser: indicator", exp_ind, _read_pairs(res.indicators), absent, problems)
    _compare("parser: summary", exp_sum, _read_pairs(res.summary), set(), problems)
    got_ranks = sorted((r.metric, r.scope, r.rank, r.of, r.area) for r in res.ranks)
    if got_ranks != exp_ranks:
        problems.append(f"parser: ranks {got_ranks}, expected {exp_ranks}")
    exp_unread = case.get("unread", {})
    got_unread = {k: u.printed for k, u in res.unread.items()}
    if got_unread != exp_unread:
        problems.append(f"parser: unread rows {got_unread}, expected {exp_unread}")

    # 2. the pipeline's text extraction: no value reported ok may differ from the case
    src = tmp_path / f"{path.stem}.txt"
    src.write_text(text, encoding="utf-8")
    try:
        profile = extract(src, family=case["family"], year=case["year"])
    except NotAProfile as exc:
        problems.append(f"pipeline: {exc.message}")
    else:
        for ind in profile.indicators:
            if ind.status != "ok" or (ind.score is None and ind.change is None):
                continue
            value = _pair(ind.score, ind.change)
            if ind.id in absent:
                problems.append(f"pipeline: indicator {ind.id}: reported ok with {_show(value)}, listed as absent")
            elif ind.id not in exp_ind:
                problems.append(f"pipeline: indicator {ind.id}: reported ok with {_show(value)}, not in the case")
            elif value != exp_ind[ind.id]:
                problems.append(f"pipeline: indicator {ind.id}: reported ok with {_show(value)}, "
                                f"expected {_show(exp_ind[ind.id])}")
        changes = {s.metric: s for s in profile.summary_scores}
        for key in SUMMARY_IDS:
            score = getattr(profile.summary, key)
            s = changes.get(key)
            if getattr(s, "status", "ok") != "ok":
                continue
            change = None if s is None else s.change
            if score is None and change is None:
                continue
            value = _pair(score, change)
            if key not in exp_sum:
                problems.append(f"pipeline: summary {key}: reported ok with {_show(value)}, not in the case")
            elif value != exp_sum[key]:
                problems.append(f"pipeline: summary {key}: reported ok with {_show(value)}, "
                                f"expected {_show(exp_sum[key])}")
        got_ranks = sorted((r.metric, r.scope, r.rank, r.of, r.area) for r in profile.ranks)
        if got_ranks != exp_ranks:
            problems.append(f"pipeline: ranks {got_ranks}, expected {exp_ranks}")
        # each unread row: missing (or inferred from its average, never read), with a finding quoting it
        for key, token in exp_unread.items():
            ind = profile.indicator(key)
            if ind is not None and (ind.score is not None or ind.status not in ("missing", "inferred")):
                problems.append(f"pipeline: indicator {key}: {ind.status} with score {ind.score}, expected unread")
            if not any(f.rule == "unread_cell" and f.indicator == key and repr(token) in f.message
                       for f in profile.validation):
                problems.append(f"pipeline: no unread_cell finding for {key} quoting {token!r}")
        for f in profile.validation:
            if f.rule == "unread_cell" and f.indicator not in exp_unread:
                problems.append(f"pipeline: unread_cell finding not in the case: {f.message}")

    assert not problems, f"{path.name}: {case['description']}\n  " + "\n  ".join(problems)


def test_cases_are_many_and_say_what_they_test() -> None:
    assert len(CASES) >= 25
    for path in CASES:
        case = load_case(path)
        assert len(case["description"]) > 40, path.name
        assert case["indicators"], path.name
