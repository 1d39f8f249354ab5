"""The ``unread_cell`` finding: a row of the score table whose label was read but whose score's
place holds a token octa did not understand (``abc``, ``65%``, ``5.0/100``). The parser leaves the
value missing and keeps the token as printed (``score_printed`` with a null score); this rule names
the row and quotes the token, with the reason where the token says one (a percentage, another
scale: decorations that change a value's meaning are never converted)."""

from __future__ import annotations

from octa.model import Finding, Profile

RULE = "unread_cell"


def _reason(printed: str) -> str:
    from octa.parse.scores import parse_token  # the parser's own reading of the token says why

    t = parse_token(printed)
    return t.note if t is not None and t.kind == "unread" else "not a number octa can read"


def check_unread_cell(profile: Profile) -> list[Finding]:
    """One warning per indicator or summary score left missing with a token in its place."""
    out: list[Finding] = []
    for s in profile.summary_scores:
        if s.score is None and s.score_printed:
            out.append(Finding(rule=RULE, severity="warning", indicator=s.metric, message=(
                f"{s.metric.replace('_', ' ').capitalize()}: {s.score_printed!r} ({_reason(s.score_printed)}): "
                "the score is left missing")))
    for ind in profile.indicators:
        if ind.score is None and ind.score_printed:
            out.append(Finding(rule=RULE, severity="warning", indicator=ind.id, message=(
                f"{ind.label}: {ind.score_printed!r} ({_reason(ind.score_printed)}): the score is left missing")))
    return out
