"""The import scorer: every expected record valid, floor figures per field on both splits."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _import_checks import CORPUS

from emendo.core.importers.scoring import (
    SINGLE_FIELDS,
    SPLITS,
    Score,
    corpus_pairs,
    fold,
    main,
    score_corpus,
    score_document,
    validate_expected,
)
from emendo.core.model import Document, Span

# Floors per split and field: (recall, precision) the importer must keep on the corpus.
# Raised as the reader improves; the test split is measured, never tuned on.
FLOORS: dict[str, dict[str, tuple[float, float]]] = {
    "dev": {"single": (0.86, 0.93), "stamps": (0.84, 0.95), "handwritten": (0.82, 0.95),
            "recipients": (0.96, 0.98)},
    "test": {"single": (0.76, 0.88), "stamps": (0.85, 0.95), "handwritten": (0.85, 0.95),
             "recipients": (0.69, 0.97)},
}
# Each field on its own must also keep this much where the corpus has enough of it.
FIELD_FLOOR: dict[str, tuple[float, float]] = {}
MIN_EXPECTED = 5  # a field with fewer expected values on a split is too noisy for a floor


@pytest.fixture(scope="module")
def score() -> Score:
    return score_corpus(CORPUS)


def test_every_expected_record_is_valid() -> None:
    pairs = corpus_pairs(CORPUS)
    assert pairs, "no expected records in the corpus"
    problems = [p for txt, exp in pairs for p in validate_expected(txt, exp)]
    assert problems == []


def test_every_corpus_document_of_the_writers_has_a_record() -> None:
    # Documents 100-299 are written with their expected record; one without is a slip.
    for txt in CORPUS.glob("[12]??_*.txt"):
        assert txt.with_name(txt.stem + ".expected.json").exists(), txt.name


@pytest.mark.parametrize("split", SPLITS)
def test_floors(score: Score, split: str) -> None:
    tallies = score.tallies.get(split, {})
    low = []
    for name, (rec, prec) in {**FIELD_FLOOR, **FLOORS[split]}.items():
        t = tallies.get(name)
        if t is None or t.expected < MIN_EXPECTED and name not in FLOORS[split]:
            continue
        r, p = t.recall(), t.precision()
        if r is not None and r < rec:
            low.append(f"{name} recall {r:.2f} < {rec}")
        if p is not None and p < prec:
            low.append(f"{name} precision {p:.2f} < {prec}")
    assert low == [], low


def _write(tmp: Path, stem: str, text: str, record: dict) -> tuple[Path, Path]:
    txt = tmp / f"{stem}.txt"
    exp = tmp / f"{stem}.expected.json"
    txt.write_text(text, encoding="utf-8")
    exp.write_text(json.dumps(record), encoding="utf-8")
    return txt, exp


def test_validation_catches_each_kind_of_slip(tmp_path: Path) -> None:
    text = "Priority: Urgent\nTo the Ministry:\nText.\n/-/ Kowalski\n"
    good = {"split": "dev", "family": "plain", "fields": {"priority": "urgent", "date": "1965-06"},
            "recipients": [{"name": "Ministry", "copies": 2}]}
    assert validate_expected(*_write(tmp_path, "100_ok", text, good)) == []
    bad = [
        ({**good, "split": "train"}, "not dev or test"),
        ({**good, "colour": 1}, "unknown key"),
        ({**good, "fields": {"date": "17 June 1965"}}, "not ISO"),
        ({**good, "fields": {"date": "1965-02-30"}}, "not a real day"),
        ({**good, "fields": {"priority": "Flash"}}, "not in the text"),
        ({**good, "fields": {"sender": "Kowalski"}}, "unknown field"),
        ({**good, "stamps": "Urgent"}, "not a list"),
        ({**good, "recipients": [{"name": "Ministry", "copies": "two"}]}, "positive integer"),
        ({k: v for k, v in good.items() if k != "family"}, "no 'family'"),
    ]
    for k, (record, words) in enumerate(bad):
        problems = validate_expected(*_write(tmp_path, f"10{k}_bad", text, record))
        assert any(words in p for p in problems), (record, problems)


def test_fold_ignores_case_spacing_and_surrounding_punctuation() -> None:
    assert fold("  [Top  SECRET].\n") == "top secret"
    assert fold("Stalin (2)") == "stalin (2"  # inner punctuation stays
    assert fold("«Ж»") == "ж"


def _doc(text: str, marks: list[tuple[str, str, dict]]) -> Document:
    """A document with spans over the first occurrence of each given piece of text."""
    spans = []
    for kind, piece, attrs in marks:
        s = text.index(piece)
        spans.append(Span(kind, s, s + len(piece), attrs))
    doc = Document(title="A cable", text=text, spans=spans)
    doc.assign_ids()
    return doc


def test_scoring_counts_hits_misses_and_wrong_values() -> None:
    # Built by hand, not imported: the scorer is tested apart from any reader.
    text = ("Priority: Urgent\nFrom Warsaw Station\n\n[Stamp] Registry 44\n\n"
            "To the Ministry:\n\nThe text of the cable goes on for a while here, as they do.\n\n"
            "Distribution: Kowalski, Nowak (2)\n")
    doc = _doc(text, [("priority", "Priority: Urgent", {"value": "Urgent"}),
                      ("origin", "From Warsaw Station", {"value": "Warsaw Station"}),
                      ("stamp", "[Stamp] Registry 44", {"text": "Registry 44"}),
                      ("recipient", "Kowalski", {"name": "Kowalski"}),
                      ("recipient", "Nowak", {"name": "Nowak", "count": 2})])
    record = {"split": "test", "family": "plain",
              "fields": {"priority": "Urgent", "origin": "Kraków", "signature": "Nowak"},
              "stamps": ["Registry 44"], "handwritten": ["[handwritten 5]"],
              "recipients": [{"name": "Kowalski"}, {"name": "Nowak", "copies": 3}]}
    score = Score()
    score_document("x.txt", record, doc, text, score)
    t = score.tallies["test"]
    assert (t["priority"].correct, t["priority"].expected, t["priority"].predicted) == (1, 1, 1)
    assert (t["origin"].correct, t["origin"].predicted) == (0, 1)  # Warsaw is not Kraków
    assert t["signature"].recall() == 0.0 and t["signature"].precision() is None
    assert t["stamps"].correct == 1
    assert t["handwritten"].recall() == 0.0
    # Nowak's count is wrong (2, expected 3): a miss on recall and a wrong prediction.
    assert (t["recipients"].correct, t["recipients"].expected, t["recipients"].predicted) == \
        (1, 2, 2)
    kinds = {(m.field, m.kind) for m in score.misses}
    assert {("origin", "missed"), ("signature", "missed"), ("handwritten", "missed"),
            ("recipients", "missed"), ("recipients", "wrong")} <= kinds
    miss = next(m for m in score.misses if m.field == "origin")
    assert miss.predicted == "Warsaw Station" and miss.line == "(not found in the text)"
    assert set(SINGLE_FIELDS) <= set(t)


def test_command_line_prints_the_table_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CORPUS), "--misses"]) == 0
    out = capsys.readouterr().out
    assert "recall" in out and out.rstrip().splitlines()[-1].startswith("score-import: dev")
