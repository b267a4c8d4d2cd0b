"""Hostile and odd input: refused with one clear line, or imported sanely."""
from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest
from _import_checks import check_document, corpus_file

from emendo.core.errors import ImportFailedError
from emendo.core.importers import import_path, parse_text, read_raw, read_source


def _refused(path: Path) -> str:
    with pytest.raises(ImportFailedError) as info:
        import_path(path)
    message = str(info.value)
    assert message and "\n" not in message
    return message


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert "empty" in _refused(p)


def test_whitespace_only_file(tmp_path: Path) -> None:
    p = tmp_path / "blank.txt"
    p.write_bytes(b"  \n\r\n\t\n")
    assert "no text" in _refused(p)


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "binary" in _refused(p)


def test_control_characters_without_nul(tmp_path: Path) -> None:
    p = tmp_path / "ctl.txt"
    p.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 50)
    assert "binary" in _refused(p)


def test_invalid_utf8(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("Paździer, Gomułka".encode("cp1250"))
    assert "UTF-8" in _refused(p)


def test_nul_bytes(tmp_path: Path) -> None:
    p = tmp_path / "nul.txt"
    p.write_bytes(b"Priority: Urgent\n\x00\x00 hidden\n")
    assert "NUL" in _refused(p)


def test_directory(tmp_path: Path) -> None:
    assert "folder" in _refused(tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in _refused(tmp_path / "nope.txt")


def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("Top Secret\n", encoding="utf-8")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running with privileges that read a mode-000 file")
        assert "permission" in _refused(p)
    finally:
        p.chmod(0o644)


def test_utf8_bom(tmp_path: Path) -> None:
    raw = corpus_file("000").read_bytes()
    p = tmp_path / "bom.txt"
    p.write_bytes(codecs.BOM_UTF8 + raw)
    d = import_path(p)
    check_document(d)
    assert d.source_text == raw.decode("utf-8")  # the BOM is an encoding mark, not text
    assert not d.text.startswith("\ufeff")
    assert d.date == "1965-04-17"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    text = corpus_file("008").read_text(encoding="utf-8")
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    p = tmp_path / "u16.txt"
    p.write_bytes(bom[encoding] + text.encode(encoding))
    d = import_path(p)
    check_document(d)
    assert d.source_text == text
    assert d.field_value("translator") == "Charles Kraus"


def test_crlf_and_mixed_newlines(tmp_path: Path) -> None:
    text = corpus_file("000").read_text(encoding="utf-8")
    lines = text.split("\n")
    # A lone CR only before a non-empty line: CR then LF would read as one CRLF.
    mixed = "".join(
        line + ("\r" if k % 3 == 1 and k + 1 < len(lines) and lines[k + 1]
                else ("\r\n", "\n")[k % 2])
        for k, line in enumerate(lines))
    p = tmp_path / "mixed.txt"
    p.write_bytes(mixed.encode("utf-8"))
    d = import_path(p)
    check_document(d)
    assert d.source_text == mixed
    assert "\r" not in d.text
    assert read_source(p) == mixed.replace("\r\n", "\n").replace("\r", "\n")
    assert read_raw(p) == mixed
    ref = import_path(corpus_file("000"))
    assert d.text.rstrip() == ref.text.rstrip()
    assert len(d.spans_of("recipient")) == len(ref.spans_of("recipient"))


def test_five_megabyte_single_line(tmp_path: Path) -> None:
    chunk = "Priority: Urgent [illegible] F[oreign] word [?] April 16th [date underlined] "
    line = (chunk * (5_000_000 // len(chunk) + 1))[:5_000_000]
    p = tmp_path / "huge.txt"
    p.write_text(line, encoding="utf-8")
    t = time.perf_counter()
    d = import_path(p)
    elapsed = time.perf_counter() - t
    print(f"5 MB single line imported in {elapsed:.2f} s with {len(d.spans)} spans")
    assert d.text == line
    assert 0 < len(d.title) <= 300
    check_document(d)


def test_huge_line_without_brackets(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("a, " * 1_700_000, encoding="utf-8")
    t = time.perf_counter()
    d = import_path(p)
    print(f"5 MB comma line imported in {time.perf_counter() - t:.2f} s")
    check_document(d)


def test_rtl_text() -> None:
    raw = ("برقية من السفارة\n\n17 أبريل 1965\n\nالأولوية: عاجل [illegible] نص\n"
           "שלום עולם [?] טקסט\n")
    d = parse_text(raw, "rtl.txt")
    check_document(d)
    assert d.title == "برقية من السفارة"
    assert d.text == raw


def test_combining_characters_and_emoji() -> None:
    raw = ("Cafe\u0301 meeting 🇵🇱 📜\n\nPriority: Urgent\n\n"
           "Ṭhe Z̧ ministry 👍🏽 said [illegible] and F[oreign] 👨‍👩‍👧.\n")
    d = parse_text(raw, "emoji.txt")
    check_document(d)
    assert d.title == "Cafe\u0301 meeting 🇵🇱 📜"
    assert d.span_text(d.first("supplied")) == "[oreign]"
    assert d.text == raw


def test_path_with_spaces_and_non_latin(tmp_path: Path) -> None:
    folder = tmp_path / "архив 档案 folder"
    folder.mkdir()
    p = folder / "телеграмма 电报 no 1.txt"
    p.write_bytes(corpus_file("020").read_bytes())
    d = import_path(p)
    check_document(d)
    assert d.source_name == "телеграмма 电报 no 1.txt"
    assert d.field_value("signature") == "ROSHCHIN"


def test_unbalanced_and_nested_brackets() -> None:
    raw = "Title\n\n[[illegible]] [unclosed ] [ [ ] ]] [" + "x" * 500 + "] [\n]\n"
    d = parse_text(raw)
    check_document(d)
    assert d.text == raw


def test_parse_text_accepts_a_bom() -> None:
    d = parse_text("\ufeffTitle line\n\nBody.\n")
    assert d.title == "Title line"
    check_document(d)


def test_millions_of_marks_are_capped(tmp_path: Path) -> None:
    p = tmp_path / "marks.txt"
    p.write_text("Title\n" + "[?] " * 1_250_000 + "\n" + "Distribution: a, b, c\n" * 50_000,
                 encoding="utf-8")
    t = time.perf_counter()
    d = import_path(p)
    print(f"{len(d.spans)} spans in {time.perf_counter() - t:.2f} s")
    assert d.meta.get("marks_truncated") is True
    assert d.text.count("[?]") == 1_250_000  # the text is all there, only marking stopped
    check_document(d)
