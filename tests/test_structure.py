"""The shape of the code: data flows one way, so no module of octa imports, directly or through
others, a module that imports it back (imports inside functions count too). The package's own
``__init__`` (which re-exports ``extract`` and ``batch`` lazily, and holds ``__version__``) is left
out: its edges are imports inside the two functions, which no module calls. The function
``octa.batch`` and the module of batch conversion (``octa.convert``) no longer share a name."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "octa"


def _graph() -> dict[str, set[str]]:
    mods = {}
    for f in SRC.rglob("*.py"):
        name = ".".join(("octa", *f.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")
        mods[name] = f
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, f in mods.items():
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "octa":
                for a in node.names:
                    sub = f"{node.module}.{a.name}"
                    graph[m].add(sub if sub in mods else node.module)
            elif isinstance(node, ast.Import):
                graph[m].update(a.name for a in node.names if a.name.split(".")[0] == "octa")
    return {m: {t for t in ts if t in mods and t not in (m, "octa")} for m, ts in graph.items() if m != "octa"}


def test_no_import_cycle_between_modules() -> None:
    graph = _graph()
    assert len(graph) > 10 and "octa.export" in graph["octa.convert"]  # the graph was read
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(n: str, path: list[str]) -> None:
        state[n] = 1
        for t in sorted(graph[n]):
            if state.get(t) == 1:
                cycles.append(path[path.index(t):] + [t])
            elif t not in state:
                visit(t, [*path, t])
        state[n] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_no_module_spells_a_label_or_a_heading() -> None:
    """The taxonomy's data files are the one place that spells an indicator label, a group or
    narrative heading, or a summary label (issue 17): no Python module of octa does."""
    import tomllib

    here = SRC / "taxonomy"
    data = tomllib.loads((here / "global.toml").read_text(encoding="utf-8"))
    names = {i["label"] for i in data["indicators"]} | {g["heading"] for g in data["groups"]}
    names |= {m["label"] for m in data["summary"]} | {h for p in data["pillars"] for h in p["narrative"]}
    assert len(names) > 40
    found = [f"{f.relative_to(SRC)}: {n!r}" for f in sorted(SRC.rglob("*.py"))
             for n in sorted(names) if n in f.read_text(encoding="utf-8")]
    assert found == []


SCORES = SRC / "parse" / "scores"


def _stages() -> tuple[str, ...]:
    """The score package's stages, in order: the ``STAGES`` its ``__init__`` defines."""
    for node in ast.parse((SCORES / "__init__.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "STAGES" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise AssertionError("octa.parse.scores defines no STAGES")


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import statement of a module of the score package names (a relative one
    resolved against the package), with each name of a ``from`` import as a module too."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        base = ".".join(["octa", "parse", "scores"][:4 - node.level] + ([node.module] if node.module else []))
    return [base, *(f"{base}.{a.name}" for a in node.names)]


def test_score_stages_import_only_earlier_stages() -> None:
    """``octa.parse.scores`` is a package whose modules are the reader's stages in the order data
    flows through them (issue 27, point 3): its ``__init__`` names them in that order, each stage
    imports from the stages before it only (never from a later one, nor from the package, whose
    ``__init__`` imports them all; imports inside functions count too), and no module of the package
    is longer than 700 lines."""
    stages = _stages()
    init = SCORES / "__init__.py"
    assert sorted(stages) == sorted(f.stem for f in SCORES.glob("*.py") if f != init)  # every module a stage, once
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    at = [doc.find(f"``{s}``") for s in stages]
    assert -1 not in at and at == sorted(at), "the package's docstring names its stages in order"
    reaching: set[str] = set()
    for k, stage in enumerate(stages):
        tree = ast.parse((SCORES / f"{stage}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for mod in _imported(node):
                parts = mod.split(".")
                if parts[:3] != ["octa", "parse", "scores"]:
                    continue
                if len(parts) == 3 or parts[3] not in stages[:k]:
                    reaching.add(f"{stage} imports {mod}")
    assert reaching == set()
    long = {f.name: n for f in SCORES.glob("*.py") if (n := len(f.read_text(encoding="utf-8").splitlines())) > 700}
    assert long == {}


#: The readers of the layout: they consume the page model and nothing else of the layout layer.
_READERS = ("octa.clean", "octa.parse", "octa.validate")


def _imports_of(name: str) -> set[str]:
    """Every module ``name`` (a module of octa) imports, at the top or inside functions, as
    written (``from octa.layout.page import Word`` → ``octa.layout.page``; ``from octa import
    layout`` → ``octa.layout``)."""
    f = SRC.joinpath(*name.split(".")[1:])
    f = f / "__init__.py" if f.is_dir() else f.with_suffix(".py")
    out: set[str] = set()
    for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names if node.module == "octa")
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_the_readers_import_only_the_page_model_and_the_engines_sit_behind_it() -> None:
    """Issue 27, point 4: the cleaner, the parsers and the validator import of the layout only its
    page model (``octa.layout.page``), never the package (which loads the engines), its builder,
    settings or an engine, and no PDF library; the page model imports nothing of octa; each engine
    module is imported by the layout's ``load`` alone; a threshold two layers share comes from
    ``octa.thresholds``, not from the other layer's settings."""
    graph = _graph()
    readers = sorted(m for m in graph if m.startswith(_READERS))
    assert "octa.parse.scores.labels" in readers and "octa.validate.rules" in readers  # the walk found them
    for m in readers:
        layout = {i for i in _imports_of(m) if i == "octa.layout" or i.startswith("octa.layout.")}
        assert layout <= {"octa.layout.page"}, (m, layout)
        pdf = {i for i in _imports_of(m) if i.split(".")[0] in ("pymupdf", "fitz", "pdfplumber", "pdfminer")}
        assert not pdf, (m, pdf)
    assert not {i for i in _imports_of("octa.layout.page") if i.startswith("octa")}
    for engine in ("octa.layout.mupdf", "octa.layout.plumber"):
        importers = sorted(m for m in graph if engine in _imports_of(m))
        assert importers == ["octa.layout"], (engine, importers)
    assert "octa.layout" not in _imports_of("octa.parse.settings") and \
        "octa.thresholds" in _imports_of("octa.parse.settings")
    assert not {i for m in graph if m.startswith("octa.validate") for i in _imports_of(m)
                if i.startswith("octa.parse.settings")}
