"""The section parser (work in progress)."""

from __future__ import annotations

from typing import Any

from octa.model import Section


def parse_sections(cleaned: Any) -> list[Section]:
    return []


def parse_sections_text(text: str) -> list[Section]:
    return []
