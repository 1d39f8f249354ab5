from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The shared folder beside the project (DOMAIN §6), or the folder named by OCTA_SHARED (set it to a
#: path that does not exist, e.g. ``OCTA_SHARED=/nonexistent``, to run the suite as a fresh clone would).
SHARED_ROOT = Path(os.environ["OCTA_SHARED"]) if os.environ.get("OCTA_SHARED") else ROOT.parent / "shared"
SHARED = SHARED_ROOT / "reference"
FIXTURES = ROOT / "fixtures"

#: The reference files the "shared" group of tests reads; none of them is part of the repository.
SHARED_FILES = ("global_oc_index.xlsx", "global_oc_index_2025.xlsx", "enact_2025_mali_extracted.txt",
                "ocindex_methodology.pdf")
#: The fixtures that hand out those files: a test using one of them belongs to the group (a test
#: that asks for one at run time, or calls :func:`shared_file`, skips with the same reason).
SHARED_FIXTURES = ("reference_xlsx", "reference_2025_xlsx", "mali_text", "methodology_pdf")
#: The one reason every test of the group is skipped with when the files are absent.
SHARED_SKIP_REASON = (f"shared: needs the reference files of ../shared/reference (not in the repository; "
                      f"looked in {SHARED}, set OCTA_SHARED to the folder holding reference/)")


def mutation_module():  # type: ignore[no-untyped-def]
    """``scripts/mutation.py`` as a module (the tests use its mutators and its judge)."""
    import importlib.util
    import sys

    name = "octa_mutation_script"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "mutation.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def shared_available() -> bool:
    return all((SHARED / name).is_file() for name in SHARED_FILES)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: reads the reference files of ../shared/reference; the whole "
                                       "group is skipped, with one reason, when they are absent")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a reference file as ``shared``; without the files, skip the group
    with one reason (so that no other test's outcome depends on them)."""
    available = shared_available()
    for item in items:
        if item.get_closest_marker("shared") is None and any(
                f in getattr(item, "fixturenames", ()) for f in SHARED_FIXTURES):
            item.add_marker(pytest.mark.shared)
        if item.get_closest_marker("shared") is not None and not available:
            item.add_marker(pytest.mark.skip(reason=SHARED_SKIP_REASON))


def shared_file(name: str) -> Path:
    """A file of ../shared/reference, or skip the test (with the group's reason) when it is absent."""
    path = SHARED / name
    if not path.is_file():
        pytest.skip(SHARED_SKIP_REASON)
    return path


@pytest.fixture(scope="session")
def reference_xlsx() -> Path:
    return shared_file("global_oc_index.xlsx")


@pytest.fixture(scope="session")
def reference_2025_xlsx() -> Path:
    """The official workbook as published for 2025 (sheets 2025_dataset, 2023_dataset, 2021_dataset)."""
    return shared_file("global_oc_index_2025.xlsx")


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
