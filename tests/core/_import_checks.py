"""Shared checks for importer tests: spans sound, values faithful to the text they cover."""
from __future__ import annotations

from pathlib import Path

from emendo.core.dates import parse_date
from emendo.core.model import Document, validate_spans

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
# Field kinds whose value must be found inside the text the span covers.
_VALUE_INSIDE = ("title", "origin", "addressee", "signature", "citation", "translator",
                 "funder", "refno", "doctype", "classification", "copies", "priority")


def corpus_file(prefix: str) -> Path:
    """The corpus copy under tests/data whose name starts with prefix."""
    # The expected records beside the documents (*.expected.json) are not documents.
    found = sorted(p for p in CORPUS.glob(prefix + "*") if not p.name.endswith(".json"))
    assert found, f"no corpus file {prefix}* in {CORPUS}"
    return found[0]


def check_document(doc: Document) -> None:
    """Every span in range, ids unique, parents real, values matching covered text."""
    text = doc.text
    assert validate_spans(text, doc.spans) == []
    ids = [s.id for s in doc.spans]
    assert all(ids) and len(set(ids)) == len(ids)
    by_id = {s.id: s for s in doc.spans}
    for s in doc.spans:
        assert s.anchored and 0 <= s.start <= s.end <= len(text), s  # type: ignore[operator]
        covered = text[s.start:s.end]  # type: ignore[index]
        a = s.attrs
        if s.kind == "recipient":
            assert a["name"] == covered
            assert by_id[a["parent"]].kind == "distribution"
            parent = by_id[a["parent"]]
            assert parent.start <= s.start and s.end <= parent.end  # type: ignore[operator]
        elif s.kind == "supplied":
            assert covered == "[" + a["value"] + "]"
        elif s.kind in ("illegible", "omission", "noteref"):
            assert covered.startswith("[") and covered.endswith("]")
        elif s.kind == "handwritten":
            assert covered.startswith("[") and a["value"] in covered
        elif s.kind == "stamp":
            for key in ("text", "number", "date_text"):
                if key in a:
                    assert a[key] in covered, (key, a[key], covered)
            if "date_text" in a:
                assert parse_date(a["date_text"]) == a["date"]
        elif s.kind == "date":
            assert parse_date(covered) == a["value"] or (
                len(a["value"]) == 4 and a["value"] in covered)
        elif s.kind == "unclear" and "value" in a:
            assert a["value"] in covered
        elif s.kind in _VALUE_INSIDE and a.get("value") is not None:
            assert str(a["value"]).lower() in covered.lower(), (s.kind, a["value"], covered)
        if s.kind in _VALUE_INSIDE:
            assert covered.strip() == covered and covered, (s.kind, covered)
