"""Thresholds that more than one layer decides by, kept below all of them, and the helper that
documents a settings field.

The layout's :class:`~octa.layout.settings.LayoutSettings` and the score reader's
:class:`~octa.parse.settings.ScoreTableSettings` are each one layer's; a value that two layers
must agree on is defined once here and both take it from here (the layout and the score reader
share the largest icon; the score reader and the validator the tolerance of a drawn bar; the
cleaner and the score reader the band of a page where running headers and footers stand).
"""

from __future__ import annotations

from dataclasses import field
from fractions import Fraction
from typing import Any


def documented(default: Any, doc: str) -> Any:
    """A settings field with its default and its documentation (``metadata["doc"]``): the fields of
    :class:`LayoutSettings` and of the score parser's ``ScoreTableSettings``."""
    return field(default=default, metadata={"doc": doc})


#: pt: the largest side of an icon (the layout's ``LayoutSettings.icon_max`` by default; the score
#: reader's largest mark beside a change). Larger shapes are charts, logos or decoration.
ICON_MAX = 16.0

#: Score points: a drawn bar agrees with its row's printed score within this (the score reader's
#: ``ScoreTableSettings.bar_agreement`` by default; the validator's bar tolerance).
BAR_AGREEMENT = Fraction(1, 4)

#: Share of the page's height at its top and at its bottom where running headers and footers stand
#: (the cleaner's band; the score reader's ``ScoreTableSettings.furniture_band`` by default).
FURNITURE_BAND = 0.10
