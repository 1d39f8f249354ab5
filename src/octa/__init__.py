"""octa: OCTA-style organised-crime country profiles (PDF or extracted text) to validated data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from octa.model import Profile

__all__ = ["__version__", "extract", "batch", "panel"]


def extract(path: Any, **kwargs: Any) -> Profile:
    """Extract one profile (PDF or text) into a validated :class:`octa.model.Profile`."""
    from octa.pipeline import extract as _extract

    return _extract(path, **kwargs)


def batch(paths: Any, **kwargs: Any) -> Any:
    """Convert many profiles; see :func:`octa.convert.run_batch`."""
    from octa.convert import run_batch

    return run_batch(paths, **kwargs)


def __getattr__(name: str) -> Any:
    """``octa.panel``: the module :mod:`octa.panel`, which is callable: ``octa.panel(paths)`` returns
    the panel's long table as a pandas DataFrame indexed by ``(iso3, family, edition, indicator)``
    (see :func:`octa.panel.frame`). Imported on first use, so ``import octa`` stays light."""
    if name == "panel":
        import importlib

        return importlib.import_module("octa.panel")
    raise AttributeError(f"module 'octa' has no attribute {name!r}")
