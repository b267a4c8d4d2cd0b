"""Accessible HTML editions: axe-core in headless Chromium finds no serious or critical
violation on any edition or index page, in the light and the dark colour scheme.

Chromium comes from the system (Debian's ``chromium``), axe-core and puppeteer-core from
npm into tests/.node (``make test-deps`` installs all three). Where they cannot be had the
test is skipped with the reason, except under CI, where it fails.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from _fidelity import all_documents
from _tools import missing_tool
from lxml import html as lhtml

from emendo.core.editions import EditionContext, render, write_editions

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE.parent / ".node" / "node_modules"
SCRIPT = HERE / "axe_check.mjs"


def _chromium() -> str | None:
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                       "google-chrome")) if p), None)


def _tools() -> tuple[str, str]:
    chromium, node = _chromium(), shutil.which("node")
    missing = [name for name, ok in (("chromium", chromium), ("node", node),
                                     ("axe-core", (NODE_MODULES / "axe-core").is_dir()),
                                     ("puppeteer-core", (NODE_MODULES / "puppeteer-core").is_dir()))
               if not ok]
    if missing:
        message = (f"axe-core check needs {', '.join(missing)}: run 'make test-deps' "
                   "(installs Chromium, and axe-core and puppeteer-core into tests/.node)")
        missing_tool(message)
    return chromium, node  # type: ignore[return-value]


def run_axe(files: list[Path]) -> dict:
    chromium, node = _tools()
    done = subprocess.run([node, str(SCRIPT), chromium, str(NODE_MODULES), *map(str, files)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def serious(report: dict) -> list[str]:
    return [f"{Path(f).name} ({scheme}): {v['id']} ({v['impact']}, {v['nodes']} nodes, "
            f"e.g. {v['sample']})"
            for f, schemes in report.items() for scheme, vs in schemes.items() for v in vs
            if v["impact"] in ("serious", "critical")]


def test_every_html_edition_passes_axe(tmp_path: Path):
    docs = [d for _, d in all_documents()]
    ctx = EditionContext(editor="Ann Editor", project_title="Cables")
    files = []
    for reading in ("diplomatic", "reading"):
        files += [p for p in write_editions(docs, "html", tmp_path / reading, reading, ctx)]
    assert any(p.name == "index.html" for p in files)
    report = run_axe(files)
    assert len(report) == len(files)
    assert serious(report) == []


def test_axe_sees_what_it_should(tmp_path: Path):
    # the check itself can fail: an image without alt text and grey on grey
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><title>x</title></head><body>'
                   '<img src="x.png"><p style="color:#999;background:#aaa">low</p>'
                   '</body></html>', encoding="utf-8")
    found = {v.split(": ")[1].split(" ")[0] for v in serious(run_axe([bad]))}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found


def test_page_structure_and_language():
    docs = dict(all_documents())
    zh = next(d for name, d in docs.items() if name.startswith("027_"))
    page = lhtml.fromstring(render(zh, "html").encode("utf-8"))
    assert page.get("lang") == "zh"
    assert len(page.xpath("//main")) == 1 and page.xpath("//main//h1")
    assert {h.text_content() for h in page.xpath("//h2")} >= {"Record", "Conventions",
                                                             "Text (diplomatic)"}
    # the edition's own English labels say so on a Chinese page
    assert page.xpath("//section[@class='record']")[0].get("lang") == "en"
    # Cyrillic initials inside the Chinese text carry their own language
    foreign = page.xpath("//div[@class='transcription']//span[@lang='ru']")
    assert foreign and any("А.Н." in f.text_content() for f in foreign)
    ru = next(d for name, d in docs.items() if name.startswith("025_"))
    assert lhtml.fromstring(render(ru, "html").encode("utf-8")).get("lang") == "ru"


def test_notes_are_linked_both_ways():
    docs = dict(all_documents())
    page = lhtml.fromstring(render(docs["model_cable"], "html").encode("utf-8"))
    refs = page.xpath("//sup[@class='noteref']/a[@href]")
    assert refs
    for a in refs:
        note = page.get_element_by_id(a.get("href")[1:])
        back = note.xpath(".//a[@href]")[0]
        assert back.get("href") == "#" + a.get("id")
