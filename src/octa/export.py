"""Exporters: atomic writes and the tabular views of profiles (the batch exporters build on these)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from octa import taxonomy
from octa.model import Profile

LONG_COLUMNS = ["file", "country", "year", "family", "pillar", "group", "indicator", "label", "score", "change",
                "page"]


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place, so a reader (or a
    run killed mid-write) only ever sees a complete file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def long_rows(profile: Profile) -> list[dict[str, Any]]:
    """One row per summary score and per indicator, in taxonomy order (the ``scores_long.csv`` rows)."""
    base = {"file": profile.source.file, "country": profile.country, "year": profile.year, "family": profile.family}
    rows: list[dict[str, Any]] = []
    by_metric = {s.metric: s for s in profile.summary_scores}
    for metric in taxonomy.SUMMARY_IDS:
        s = by_metric.get(metric)
        score = getattr(profile.summary, metric)
        if s is None and score is None:
            continue
        rows.append({**base, "pillar": metric, "group": None, "indicator": metric,
                     "label": metric.replace("_", " ").capitalize(), "score": score,
                     "change": s.change if s else None, "page": s.page if s else None})
    for ind in profile.indicators:
        rows.append({**base, "pillar": ind.pillar, "group": ind.group, "indicator": ind.id, "label": ind.label,
                     "score": ind.score, "change": ind.change, "page": ind.page})
    return rows
