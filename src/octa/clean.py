"""The cleaner: repairs garbled layout text and records every repair (work in progress)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from octa.model import Repair


@dataclass
class Block:
    """A cleaned block of narrative: a heading or a paragraph, with its typography and pages."""

    kind: str
    text: str
    pages: list[int]
    bbox: list[float] | None = None
    size: float = 0.0
    bold: bool = False


@dataclass
class Cleaned:
    blocks: list[Block] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)


def clean_text(text: str) -> tuple[str, list[Repair]]:
    return text, []


def clean_document(doc: Any) -> Cleaned:
    return Cleaned()
