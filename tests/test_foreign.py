"""Profiles from another producer: a browser (headless Chromium's print-to-PDF) renders an HTML
profile with its own layout — a real table, CSS letter-spacing, text-transform, bars as styled
boxes, arrows from a web font — and the parser must read it as exactly as octa's own fixtures.
Nothing in the parser knows this layout: it is the generalisation test."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

import pytest

from octa import synth, taxonomy
from octa.compare import compare_scores
from octa.model import Profile
from octa.pipeline import extract


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    return exe


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _rank_text(p: Profile, r) -> str:
    if p.family == "enact":
        adj = r.area + "n" if r.area.endswith("Africa") else r.area
        return f"{_ordinal(r.rank)} of {r.of} {adj} countries"
    if r.scope == "global":
        return f"{_ordinal(r.rank)} of {r.of} countries"
    return f"{_ordinal(r.rank)} of {r.of} countries in {r.area}"


def _change(v: float | None, style: int) -> str:
    if v is None:
        return "n/a"
    if v == 0:
        return "0.0" if style else "0.00"
    arrow = "▲" if v > 0 else "▼"
    return f"{arrow} {abs(v):.1f}" if style else f"{arrow}{abs(v):.2f}"


def profile_html(p: Profile, variant: int) -> str:
    """An HTML rendering of a truth profile, unlike octa's generator: labels in table cells,
    right-aligned numbers, bars in their own cell, uppercase by CSS, tracked headings."""
    e = html.escape
    publisher = "Global Organized Crime Index" if p.family == "global" else "ENACT Africa Organised Crime Index"
    summ = {s.metric: s for s in p.summary_scores}
    css = """
    body { font-family: 'DejaVu Sans', sans-serif; margin: 28px; font-size: 9.5px; color: #222 }
    h1 { font-size: 26px; margin: 0 }
    .pub { letter-spacing: 0.12em; text-transform: uppercase; font-size: 9px }
    .big { display: inline-block; width: 45%; vertical-align: top }
    .big .h { letter-spacing: 0.25em; font-weight: bold; text-transform: uppercase }
    .big .v { font-size: 30px; font-weight: bold }
    table { border-collapse: collapse; width: 100%; margin-top: 6px }
    td { padding: 2px 6px }
    td.l { width: 45% } td.n { text-align: right; width: 9% } td.c { text-align: right; width: 10% }
    td.b div.track { background: #ddd; height: 5px; width: 120px }
    td.b div.bar { background: #b03; height: 5px }
    th { text-align: left; letter-spacing: 0.1em; padding-top: 8px }
    .upper td.l { text-transform: uppercase }
    """
    out = [f"<html><head><meta charset='utf-8'><style>{css}</style></head><body class='{'upper' if variant % 2 else ''}'>",
           f"<div class='pub'>{e(publisher)} {p.year}</div><h1>{e(p.country or '')}</h1>"]
    for metric in ("criminality", "resilience"):
        s = summ[metric]
        ranks = "<br>".join(e(_rank_text(p, r)) for r in p.ranks if r.metric == metric)
        chg = "" if s.change is None else " " + _change(s.change, 0)
        out.append(f"<div class='big'><div class='h'>{metric} score</div><div class='v'>{s.score:.2f}"
                   f"<small>{e(chg)}</small></div>{ranks}</div>")
    by_id = {i.id: i for i in p.indicators}
    for pillar in taxonomy.PILLARS:
        s = summ[pillar]
        chg = "" if s.change is None else _change(s.change, 0)
        out.append(f"<table><tr><th colspan=2>{e(taxonomy.SUMMARY_LABELS[pillar])}</th>"
                   f"<td class='n'><b>{s.score:.2f}</b></td><td class='c'>{e(chg)}</td></tr>")
        for ind in taxonomy.indicators_for(p.year, pillar):
            t = by_id[ind.id]
            label = ind.label.replace(" and ", " & ") if variant % 3 == 0 else ind.label
            chg = "" if not taxonomy.has_changes(p.family, p.year) else _change(t.change, 1)
            out.append(f"<tr><td class='l'>{e(label)}</td><td class='b'><div class='track'>"
                       f"<div class='bar' style='width:{t.score * 10:.0f}%'></div></div></td>"
                       f"<td class='n'>{t.score:.1f}</td><td class='c'>{e(chg)}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


@pytest.fixture(scope="module")
def browser_profiles(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Profile]]:
    exe = _chromium()
    tmp = tmp_path_factory.mktemp("browser")
    pdfs = synth.generate(8, 31337, "mixed", tmp / "src")
    out = []
    for k, pdf in enumerate(pdfs):
        truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        page = tmp / f"{pdf.stem}.html"
        page.write_text(profile_html(truth, k), encoding="utf-8")
        target = tmp / f"browser_{pdf.stem}.pdf"
        run = subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={target}",
             page.as_uri()], capture_output=True, text=True, timeout=120)
        if not target.exists():
            pytest.fail(f"chromium is installed but could not print {page.name} to PDF: {run.stderr[-300:]}")
        out.append((target, truth))
    return out


def test_browser_made_profiles_are_read_exactly(browser_profiles: list[tuple[Path, Profile]]) -> None:
    failures = {}
    for pdf, truth in browser_profiles:
        got = extract(pdf)
        diffs = compare_scores(got, truth)
        if diffs:
            failures[pdf.name] = diffs[:6]
        bars = [i for i in got.indicators if i.bar_score is not None]
        assert len(bars) == len(got.indicators), f"{pdf.name}: bars read for {len(bars)} of {len(got.indicators)}"
        assert all(abs(i.bar_score - i.score) <= 0.05 for i in bars)
        assert not [f for f in got.validation if f.severity == "error"], got.validation
    assert failures == {}
