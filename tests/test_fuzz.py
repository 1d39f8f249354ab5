"""Property-based fuzzing (hypothesis, bounded and derandomised for CI): mutated fixture PDFs and
generated or mutated text inputs give a Profile or an OctaError naming the reason, nothing else,
within a time budget; the cleaner never raises. ``scripts/fuzz.py`` runs the same mutations at
scale in a process pool (crashes, hangs, peak memory, files written outside the output folder)."""

from __future__ import annotations

import json
import signal
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st

from octa import taxonomy
from octa.clean import clean_text
from octa.errors import OctaError
from octa.model import Profile
from octa.pipeline import extract
from tests.hostile import (
    BYTE_OPS,
    NUMBERS,
    PDF_TOKENS,
    TEXT_OPS,
    TEXT_TOKENS,
    fuzz_seeds,
    mutate_bytes,
    mutate_text,
)

ROOT = Path(__file__).resolve().parents[1]
REASONS = {"corrupt", "empty", "encrypted", "no text layer", "not a profile", "too large", "timeout", "unsupported"}
#: Seconds one example may take before it counts as a hang (a profile takes well under one).
BUDGET = 30
N_SEEDS = 4  # fuzz_seeds: 4 PDFs + their decompressed copies, 4 texts

FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def event(value: str) -> None:
    """Count an outcome in hypothesis's statistics; outside a hypothesis test (the seed check)
    newer hypothesis versions refuse ``event``, so there is nothing to count."""
    try:
        hypothesis_event(value)
    except Exception:  # hypothesis.errors.InvalidArgument: not inside a test
        pass


@cache
def seeds() -> tuple[list[bytes], list[str]]:
    return fuzz_seeds(ROOT / "fixtures", N_SEEDS)


class Hang(Exception):
    pass


@contextmanager
def budget(seconds: int = BUDGET):
    def alarm(_sig, _frame):
        raise Hang(f"over {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check_extract(path: Path, engine: str = "pymupdf") -> str:
    """Profile or OctaError, nothing else, within the budget; returns the outcome."""
    with budget():
        try:
            profile = extract(path, engine=engine)
        except OctaError as exc:
            assert exc.reason in REASONS, exc.reason
            assert exc.message
            event(exc.reason)
            return exc.reason
    assert isinstance(profile, Profile)
    assert json.loads(profile.to_json())["schema_version"] == "1"
    event("profile")
    return "profile"


pos = st.floats(0, 1, allow_nan=False)
byte_mutation = st.tuples(
    st.sampled_from(BYTE_OPS), pos, pos,
    st.one_of(st.sampled_from(PDF_TOKENS), st.sampled_from(NUMBERS), st.binary(min_size=1, max_size=24)),
    st.integers(0, 2 * N_SEEDS - 1),
)
pdf_case = st.tuples(st.integers(0, 2 * N_SEEDS - 1), st.lists(byte_mutation, min_size=1, max_size=6))


def build_pdf(case) -> bytes:
    pdfs, _ = seeds()
    index, mutations = case
    data = pdfs[index]
    for op, a, b, payload, other in mutations:
        if op == "number":
            payload = NUMBERS[len(payload) % len(NUMBERS)]
        data = mutate_bytes(data, op, a, b, payload, pdfs[other])
    return data


@settings(FUZZ, max_examples=110)
@given(case=pdf_case)
def test_mutated_pdfs_give_a_profile_or_a_reason(scratch: Path, case) -> None:
    path = scratch / "mutant.pdf"
    path.write_bytes(build_pdf(case))
    check_extract(path)


@settings(FUZZ, max_examples=20)
@given(case=pdf_case)
def test_mutated_pdfs_pdfplumber(scratch: Path, case) -> None:
    path = scratch / "mutant_plumber.pdf"
    path.write_bytes(build_pdf(case))
    check_extract(path, "pdfplumber")


text_mutation = st.tuples(st.sampled_from(TEXT_OPS), pos, pos,
                          st.one_of(st.sampled_from(TEXT_TOKENS), st.text(max_size=12)))
mutated_text = st.tuples(st.integers(0, N_SEEDS - 1), st.lists(text_mutation, min_size=1, max_size=12)).map(
    lambda case: _apply_text(*case))
token_text = st.lists(st.one_of(st.sampled_from(TEXT_TOKENS), st.text(max_size=8)), max_size=300).flatmap(
    lambda parts: st.sampled_from((" ", "\n", "\t", "")).map(lambda sep: sep.join(parts)))
any_text = st.one_of(mutated_text, token_text, st.text(max_size=3000))


def _apply_text(index: int, mutations) -> str:
    text = seeds()[1][index]
    for op, a, b, payload in mutations:
        text = mutate_text(text, op, a, b, payload)
    return text


@settings(FUZZ, max_examples=110)
@given(text=any_text, damage=st.lists(st.tuples(pos, st.integers(0, 255)), max_size=3))
def test_text_inputs_give_a_profile_or_a_reason(scratch: Path, text: str, damage) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    for a, byte in damage:  # raw byte damage: invalid UTF-8
        i = min(int(a * len(data)), max(len(data) - 1, 0))
        data = data[:i] + bytes([byte]) + data[i + 1:]
    path = scratch / "mutant.txt"
    path.write_bytes(data)
    check_extract(path)


@settings(FUZZ, max_examples=250)
@given(text=any_text)
def test_clean_text_never_raises(text: str) -> None:
    with budget():
        cleaned, repairs = clean_text(text, taxonomy.resolve(None, None))
    assert isinstance(cleaned, str)
    assert isinstance(repairs, list)


def test_seeds_are_profiles(scratch: Path) -> None:
    """The fuzzers start from real profiles (so mutations land near the parsers' paths)."""
    pdfs, texts = seeds()
    assert len(pdfs) == 2 * N_SEEDS and len(texts) == N_SEEDS
    for i, data in enumerate(pdfs[N_SEEDS:]):  # the decompressed copies still extract
        path = scratch / f"seed{i}.pdf"
        path.write_bytes(data)
        assert check_extract(path) == "profile"
    path = scratch / "seed.txt"
    path.write_text(texts[0], encoding="utf-8")
    assert check_extract(path) == "profile"


#: Cases that ``scripts/fuzz.py`` (seed 0) found crashing, kept as regressions: (kind, index).
FOUND_BY_SCRIPT = [
    ("pdf", 3881),  # MuPDF opens the file, then its page count raises "Invalid number of pages"
    ("pdf", 6534),  # a 5000-digit object number in a repaired file: int() refuses over 4300 digits
]


@pytest.mark.parametrize(("kind", "index"), FOUND_BY_SCRIPT)
def test_cases_the_fuzz_script_found(scratch: Path, kind: str, index: int) -> None:
    import random

    from tests.hostile import random_pdf_case

    pdf_seeds, _ = fuzz_seeds(ROOT / "fixtures")
    rng = random.Random(f"octa-fuzz:0:{kind}:{index}")
    path = scratch / f"found_{kind}_{index}.pdf"
    path.write_bytes(random_pdf_case(rng, pdf_seeds))
    for engine in ("pymupdf", "pdfplumber"):
        assert check_extract(path, engine) in REASONS | {"profile"}
