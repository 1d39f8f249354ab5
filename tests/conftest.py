from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "reference"
FIXTURES = ROOT / "fixtures"


def shared_file(name: str) -> Path:
    """A file of ../shared/reference, or skip the test when it is absent."""
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"reference file {name} not available (../shared absent)")
    return path


@pytest.fixture(scope="session")
def reference_xlsx() -> Path:
    return shared_file("global_oc_index.xlsx")


@pytest.fixture(scope="session")
def mali_text() -> Path:
    return shared_file("enact_2025_mali_extracted.txt")


@pytest.fixture(scope="session")
def methodology_pdf() -> Path:
    return shared_file("ocindex_methodology.pdf")


#: The shared generated corpus: 40 profiles, mixed families, editions and layout variants.
CORPUS_SIZE = 40


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from octa import synth

    out = tmp_path_factory.mktemp("corpus")
    return synth.generate(CORPUS_SIZE, 4242, "mixed", out)
