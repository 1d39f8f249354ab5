"""Validation of extracted profiles: the score arithmetic of DOMAIN §3, the taxonomy, the narrative's
paragraph counts, and a cross-check against the official dataset.

Every rule is a small function ``check_<rule>(...) -> list[Finding]``; :data:`PLAN` names them in a
fixed order as :class:`Rule` objects over one :class:`Context`, and :func:`validate` runs the plan, so
its output is deterministic. The package's parts: ``common`` (rule names, tolerances, wording),
``inference`` (a missing score the printed average fixes), ``reference`` (the official dataset),
``rules`` (the checks, the plan, the confirmation of each value's status), ``report`` (``octa
validate`` over JSON files). A finding names the indicator at fault
(``Finding.indicator``) wherever one indicator is at fault; a wrong pillar average names the pillar
id, a wrong criminality score ``"criminality"``, a summary change the summary metric.

Recovery is never silent: :func:`infer_missing` fills a single missing indicator of a pillar when the
printed pillar average fixes it uniquely on the half-step grid: the indicator gets ``status="inferred"``
and ``inferred_score`` (its ``score`` stays null: it was not read), and an ``inferred_score`` warning
names the value and the average it comes from. The arithmetic rules use the inferred value.

Without the previous edition, the printed changes still constrain each other: ``score − change`` is
the previous edition's score, which must lie on the grid (``indicator_change``), and the printed
summary changes must equal what the current scores and these implied previous scores give
(``implied_previous``). That is what finds a misprinted or misread change.

Rule names (``Finding.rule``): ``edition``, ``score_grid``, ``indicator_set``, ``inferred_score``,
``pillar_average``, ``summary_change``, ``indicator_change``, ``implied_previous``, ``bar_score``,
``paragraph_count``,
``summary_present``, ``previous``, ``reference``, ``reference_missing``, ``rank`` (a printed rank the
reference's sheet contradicts), ``unconfirmed``, ``change_direction`` (and ``profile_json`` for a file
of a batch folder that is not a readable profile).

Confirmation is independent of the reading: a value is ``ok`` only when the printed average
reproduces, its drawn bar agrees or the reference agrees (``confirmed_by``); the parser's own
judgement (``evidence: ["geometry"]``) confirms nothing. Every arithmetic and reference comparison is
made at the precision the value was printed with (:func:`octa.scoring.agrees`).
"""

from __future__ import annotations

from octa.validate.common import BAR_TOLERANCE, MAX_CHANGE, RULES, count, edition_of, fmt
from octa.validate.inference import infer_missing
from octa.validate.reference import (
    Reference,
    check_ranks,
    check_reference,
    expected_ranks,
    load_reference,
    profile_from_reference,
)
from octa.validate.report import (
    FileReport,
    UsageProblem,
    collect_profiles,
    print_report,
    report_json,
    rule_counts,
    run,
    validate_files,
)
from octa.validate.rules import (
    PLAN,
    Context,
    PreviousEdition,
    Rule,
    check_bar_score,
    check_edition,
    check_implied_previous,
    check_indicator_change,
    check_indicator_set,
    check_paragraph_count,
    check_pillar_average,
    check_score_grid,
    check_summary_change,
    check_summary_present,
    confirm,
    find_previous,
    implied_previous,
    validate,
    validated,
)

__all__ = [
    "BAR_TOLERANCE", "MAX_CHANGE", "PLAN", "RULES", "Context", "FileReport", "PreviousEdition", "Reference", "Rule",
    "UsageProblem",
    "check_bar_score", "check_edition", "check_implied_previous", "check_indicator_change", "check_indicator_set",
    "check_paragraph_count", "check_pillar_average", "check_ranks", "check_reference", "check_score_grid", "check_summary_change",
    "check_summary_present", "collect_profiles", "confirm", "count", "edition_of", "expected_ranks", "find_previous", "fmt", "implied_previous",
    "infer_missing", "load_reference", "print_report", "profile_from_reference", "report_json", "rule_counts", "run",
    "validate", "validate_files", "validated",
]
