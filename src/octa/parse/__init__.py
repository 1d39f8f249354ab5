"""Parsers of a profile's layout or text: :mod:`octa.parse.scores` (score tables) and
:mod:`octa.parse.sections` (the narrative). The score parser's thresholds are
:class:`ScoreTableSettings` (:data:`DEFAULT_SETTINGS` unless a caller passes others)."""

from octa.parse.settings import DEFAULT_SETTINGS, ScoreTableSettings

__all__ = ["DEFAULT_SETTINGS", "ScoreTableSettings"]
