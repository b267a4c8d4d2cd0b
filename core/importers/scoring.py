"""The import scorer: how much of a hand-written expected record the importer recovers.

Each corpus document ``NNN_<stem>.txt`` with an ``NNN_<stem>.expected.json`` beside it is
imported through the public interface (:func:`~emendo.core.importers.parse_file`) and its
record compared with the expected one, per field: single-value fields (title, date,
doctype, priority, …), stamps, handwritten notes and distribution recipients.  Values are
compared folded (case, runs of white space and surrounding punctuation ignored); a field's
prediction is what ``emendo show`` reports (the first span of that kind), either its
normalised value or the text it covers.  The scorer knows nothing of how the importer
works, so it measures any reader.

``python -m emendo.core.importers.scoring [--misses] [--split dev|test] [DIR]`` prints the
table, the misses with their source lines, and a one-line summary (``make score-import``).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emendo.core.dates import parse_date

SINGLE_FIELDS = ("title", "date", "doctype", "priority", "classification", "origin", "refno",
                 "addressee", "signature", "citation", "translator")
LIST_FIELDS = ("stamps", "handwritten", "recipients")
ALL_FIELDS = SINGLE_FIELDS + LIST_FIELDS
SPLITS = ("dev", "test")
_TOP_KEYS = {"split": str, "family": str, "fields": dict, "stamps": list,
             "handwritten": list, "recipients": list}
_REQUIRED = ("split", "family", "fields")
_ISO = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_WS = re.compile(r"\s+")
# A stamp's or note's own label ("[Stamp]", "[handwritten:", "stamp:") is convention, not
# its text: an expected record may give the text with it or without it.
_ITEM_LABEL = re.compile(
    r"^\[?\s*(?:[\w\-]+\s+){0,3}?(?:stamps?|stamped|seal|hand[\s\-]?written|"
    r"in handwriting|handwriting|written by hand|entered by hand)(?:\s+(?:reads|note|notes|"
    r"text|annotation|comment|number|addition))?\s*[:\]]?\s*", re.IGNORECASE)
# Two list items match when one contains the other and the shorter is this much of the longer.
_CONTAIN_RATIO = 0.6


def fold(value: str) -> str:
    """The comparison form: case folded, white space runs as one space, no surrounding
    punctuation or brackets.
    """
    v = _WS.sub(" ", value.casefold()).strip()
    lo, hi = 0, len(v)
    while lo < hi and not v[lo].isalnum():
        lo += 1
    while hi > lo and not v[hi - 1].isalnum():
        hi -= 1
    return v[lo:hi]


def _item_core(value: str) -> str:
    """A stamp's or note's text without its label, folded."""
    return fold(_ITEM_LABEL.sub("", value.strip(), count=1))


def _items_match(expected: str, candidates: Iterable[str]) -> bool:
    """True when a list item (stamp, note) reads as the expected one."""
    fe, ce = fold(expected), _item_core(expected)
    for cand in candidates:
        for a in (fe, ce):
            for b in (fold(cand), _item_core(cand)):
                if not a or not b:
                    continue
                if a == b:
                    return True
                short, long_ = (a, b) if len(a) <= len(b) else (b, a)
                if short in long_ and len(short) >= _CONTAIN_RATIO * len(long_):
                    return True
    return False


# -- what the importer said ----------------------------------------------------------------
@dataclass
class Predicted:
    """One document's record as the importer gives it: values and where they came from."""

    fields: dict[str, list[str]] = field(default_factory=dict)  # candidates per field
    field_where: dict[str, int] = field(default_factory=dict)  # offset of the field's span
    stamps: list[tuple[list[str], int]] = field(default_factory=list)
    handwritten: list[tuple[list[str], int]] = field(default_factory=list)
    recipients: list[tuple[str, int | None, int]] = field(default_factory=list)


def predicted_record(doc: Any) -> Predicted:
    """The record of an imported Document, in the scorer's terms."""
    p = Predicted()
    text = doc.text
    if doc.title:
        p.fields["title"] = [doc.title]
        t = doc.first("title")
        p.field_where["title"] = t.start if t is not None and t.anchored else 0
    if doc.date:
        p.fields["date"] = [doc.date]
        d = doc.first("date")
        p.field_where["date"] = d.start if d is not None and d.anchored else 0
    for kind in SINGLE_FIELDS:
        if kind in ("title", "date"):
            continue
        span = doc.first(kind)
        if span is None:
            continue
        cands = []
        if span.attrs.get("value") is not None:
            cands.append(str(span.attrs["value"]))
        if span.anchored:
            cands.append(text[span.start:span.end])
            p.field_where[kind] = span.start
        p.fields[kind] = cands
    for span in doc.spans_of("stamp"):
        cands = [str(span.attrs[k]) for k in ("text",) if span.attrs.get(k)]
        if span.anchored:
            cands.append(text[span.start:span.end])
        p.stamps.append((cands, span.start or 0))
    for span in doc.spans_of("handwritten"):
        cands = [str(span.attrs["value"])] if span.attrs.get("value") else []
        if span.anchored:
            cands.append(text[span.start:span.end])
        p.handwritten.append((cands, span.start or 0))
    for span in doc.spans_of("recipient"):
        count = span.attrs.get("count")
        p.recipients.append((str(span.attrs.get("name") or doc.span_text(span)),
                             int(count) if isinstance(count, int) else None, span.start or 0))
    return p


# -- comparing ------------------------------------------------------------------------------
@dataclass
class Miss:
    """One disagreement: an expected value not found (recall) or a wrong prediction."""

    doc: str
    field: str
    kind: str  # "missed" (expected, not found) or "wrong" (predicted, not expected)
    expected: str
    predicted: str
    line: str  # the source line the value stands on


@dataclass
class Tally:
    """Counts for one field over a set of documents."""

    expected: int = 0
    predicted: int = 0
    correct: int = 0  # expected items found (recall's numerator)
    right: int = 0  # predicted items that are right (precision's numerator)

    def recall(self) -> float | None:
        """Found over expected (None when nothing was expected)."""
        return self.correct / self.expected if self.expected else None

    def precision(self) -> float | None:
        """Right over predicted (None when nothing was predicted)."""
        return self.right / self.predicted if self.predicted else None

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.expected += other.expected
        self.predicted += other.predicted
        self.correct += other.correct
        self.right += other.right


@dataclass
class Score:
    """Tallies per split and field, with the misses."""

    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)

    def tally(self, split: str, name: str) -> Tally:
        """The tally of one field (or group: 'single', 'lists') on one split."""
        return self.tallies.setdefault(split, {}).setdefault(name, Tally())


def _line_at(text: str, offset: int) -> str:
    """The line of text holding an offset, stripped and cut to a readable length."""
    s = text.rfind("\n", 0, offset) + 1
    e = text.find("\n", offset)
    line = text[s:e if e >= 0 else len(text)].strip()
    return line if len(line) <= 160 else line[:157] + "..."


def _find_line(text: str, value: str) -> str:
    """The source line a verbatim value stands on (its first occurrence)."""
    pos = text.find(value)
    if pos < 0:
        pos = text.casefold().find(value.casefold())
    if pos < 0:
        words = value.split()
        pos = text.find(words[0]) if words else -1
    return _line_at(text, pos) if pos >= 0 else "(not found in the text)"


def score_document(name: str, expected: dict[str, Any], doc: Any, source: str,
                   score: Score) -> None:
    """Compare one document's record with its expected record, adding to ``score``."""
    split = expected.get("split", "dev")
    score.documents[split] = score.documents.get(split, 0) + 1
    p = predicted_record(doc)
    text = doc.text
    exp_fields = expected.get("fields") or {}
    for fname in SINGLE_FIELDS:
        t = Tally()
        exp = exp_fields.get(fname)
        cands = p.fields.get(fname)
        if exp is not None:
            t.expected = 1
        if cands:
            t.predicted = 1
        ok = False
        if exp is not None and cands:
            if fname == "date":
                ok = any(c == exp for c in cands)
            else:
                fe = fold(exp)
                ok = any(fold(c) == fe for c in cands)
        if ok:
            t.correct = t.right = 1
        else:
            where = p.field_where.get(fname)
            pred_line = _line_at(text, where) if where is not None and cands else ""
            if exp is not None:
                score.misses.append(Miss(name, fname, "missed", str(exp),
                                         cands[0] if cands else "",
                                         _find_line(source, str(exp)) if fname != "date"
                                         else pred_line or _find_line(source, str(exp)[:4])))
            elif cands:
                score.misses.append(Miss(name, fname, "wrong", "", cands[0], pred_line))
        _count(score, split, fname, t, "single")
    for lname, preds in (("stamps", p.stamps), ("handwritten", p.handwritten)):
        exp_items = [str(x) for x in expected.get(lname) or []]
        used = [False] * len(preds)
        t = Tally(expected=len(exp_items), predicted=len(preds))
        for e in exp_items:
            k = next((k for k, (cands, _) in enumerate(preds)
                      if not used[k] and _items_match(e, cands)), None)
            if k is None:
                score.misses.append(Miss(name, lname, "missed", e, "", _find_line(source, e)))
            else:
                used[k] = True
                t.correct += 1
        t.right = t.correct
        for k, (cands, where) in enumerate(preds):
            if not used[k]:
                score.misses.append(Miss(name, lname, "wrong", "", cands[0] if cands else "",
                                         _line_at(text, where)))
        _count(score, split, lname, t, "lists")
    exp_recips = expected.get("recipients") or []
    used = [False] * len(p.recipients)
    t = Tally(expected=len(exp_recips), predicted=len(p.recipients))
    for r in exp_recips:
        rname = fold(str(r.get("name", "")))
        copies = r.get("copies")
        k = next((k for k, (n, c, _) in enumerate(p.recipients)
                  if not used[k] and fold(n) == rname and (copies is None or c == copies)),
                 None)
        if k is None:
            label = str(r.get("name", "")) + (f" ({copies})" if copies is not None else "")
            near = next((f"{n} ({c})" for n, c, _ in p.recipients if fold(n) == rname), "")
            score.misses.append(Miss(name, "recipients", "missed", label, near,
                                     _find_line(source, str(r.get("name", "")))))
        else:
            used[k] = True
            t.correct += 1
    t.right = t.correct
    for k, (n, c, where) in enumerate(p.recipients):
        if not used[k]:
            score.misses.append(Miss(name, "recipients", "wrong", "",
                                     n + (f" ({c})" if c is not None else ""),
                                     _line_at(text, where)))
    _count(score, split, "recipients", t, "lists")


def _count(score: Score, split: str, name: str, t: Tally, group: str) -> None:
    score.tally(split, name).add(t)
    score.tally(split, group).add(t)


# -- the corpus ----------------------------------------------------------------------------
def corpus_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """(text, expected record) pairs of a corpus folder, in name order."""
    out = []
    for exp in sorted(folder.glob("*.expected.json")):
        txt = exp.with_name(exp.name[: -len(".expected.json")] + ".txt")
        out.append((txt, exp))
    return out


def validate_expected(txt: Path, exp: Path) -> list[str]:
    """Problems of one expected record (keys, types, ISO date, verbatim values); [] if none."""
    where = exp.name
    if not txt.exists():
        return [f"{where}: no {txt.name} beside it"]
    try:
        data = json.loads(exp.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{where}: not JSON ({exc})"]
    if not isinstance(data, dict):
        return [f"{where}: not a JSON object"]
    problems: list[str] = []
    folded_text = fold(txt.read_text(encoding="utf-8"))

    def verbatim(label: str, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: {label} is not a non-empty string")
        elif fold(value) not in folded_text:
            problems.append(f"{where}: {label} {value!r} is not in the text")

    for key in data:
        if key not in _TOP_KEYS:
            problems.append(f"{where}: unknown key {key!r}")
    for key in _REQUIRED:
        if key not in data:
            problems.append(f"{where}: no {key!r}")
    for key, typ in _TOP_KEYS.items():
        if key in data and not isinstance(data[key], typ):
            problems.append(f"{where}: {key} is not a {typ.__name__}")
    if problems:
        return problems
    if data["split"] not in SPLITS:
        problems.append(f"{where}: split {data['split']!r} is not dev or test")
    for key, value in data["fields"].items():
        if key not in SINGLE_FIELDS:
            problems.append(f"{where}: unknown field {key!r}")
        elif key == "date":
            if not isinstance(value, str) or not _ISO.match(value):
                problems.append(f"{where}: date {value!r} is not ISO (yyyy, yyyy-mm, yyyy-mm-dd)")
            elif len(value) == 10 and parse_date(value) != value:
                problems.append(f"{where}: date {value!r} is not a real day")
        else:
            verbatim(key, value)
    for key in ("stamps", "handwritten"):
        for k, value in enumerate(data.get(key, [])):
            verbatim(f"{key}[{k}]", value)
    for k, r in enumerate(data.get("recipients", [])):
        if not isinstance(r, dict) or "name" not in r:
            problems.append(f"{where}: recipients[{k}] is not an object with a name")
            continue
        extra = set(r) - {"name", "copies"}
        if extra:
            problems.append(f"{where}: recipients[{k}] has unknown keys {sorted(extra)}")
        verbatim(f"recipients[{k}].name", r["name"])
        if "copies" in r and (not isinstance(r["copies"], int) or isinstance(r["copies"], bool)
                              or r["copies"] < 1):
            problems.append(f"{where}: recipients[{k}].copies is not a positive integer")
    return problems


def score_corpus(folder: Path, split: str | None = None, family: str | None = None) -> Score:
    """Import every document of a corpus folder that has an expected record, and score it."""
    from emendo.core.importers import parse_file, read_raw

    score = Score()
    for txt, exp in corpus_pairs(folder):
        expected = json.loads(exp.read_text(encoding="utf-8"))
        if split is not None and expected.get("split") != split:
            continue
        if family is not None and expected.get("family") != family:
            continue
        raw = read_raw(txt)
        docs = parse_file(raw, txt.name)
        score_document(txt.name, expected, docs[0], raw, score)
    return score


def _pct(v: float | None) -> str:
    return "   -" if v is None else f"{100 * v:3.0f}%"


def report(score: Score, misses: bool = False) -> str:
    """The table per split, the misses (when asked) and the summary line."""
    out: list[str] = []
    for split in SPLITS:
        if split not in score.tallies:
            continue
        out.append(f"{split}: {score.documents.get(split, 0)} documents")
        out.append(f"  {'field':<15} {'exp':>5} {'pred':>5} {'found':>5} {'recall':>7} "
                   f"{'prec.':>6}")
        for name in ALL_FIELDS + ("single", "lists"):
            t = score.tallies[split].get(name)
            if t is None:
                continue
            if name == "stamps":
                out.append("  " + "-" * 48)
            label = {"single": "= single-value", "lists": "= lists"}.get(name, name)
            out.append(f"  {label:<15} {t.expected:>5} {t.predicted:>5} {t.correct:>5} "
                       f"{_pct(t.recall()):>7} {_pct(t.precision()):>6}")
    if misses:
        out.append("")
        out.append(f"misses ({len(score.misses)}):")
        for m in score.misses:
            if m.kind == "missed":
                got = f" (got {m.predicted!r})" if m.predicted else ""
                out.append(f"  {m.doc} {m.field}: missed {m.expected!r}{got}\n      | {m.line}")
            else:
                out.append(f"  {m.doc} {m.field}: wrong {m.predicted!r}\n      | {m.line}")
    out.append(summary(score))
    return "\n".join(out)


def summary(score: Score) -> str:
    """One line: recall/precision of single-value fields and of each list, per split."""
    parts = []
    for split in SPLITS:
        tallies = score.tallies.get(split)
        if not tallies:
            continue
        bits = [f"{split} ({score.documents.get(split, 0)} docs)"]
        for name in ("single", "stamps", "handwritten", "recipients"):
            t = tallies.get(name) or Tally()
            bits.append(f"{name} {_pct(t.recall()).strip()}/{_pct(t.precision()).strip()}")
        parts.append(" ".join(bits))
    return "score-import: " + ("; ".join(parts) if parts else "no scored documents") + \
        " (recall/precision)"


def main(argv: list[str] | None = None) -> int:
    """Command line: score a corpus folder and print the report."""
    ap = argparse.ArgumentParser(prog="score-import", description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", default="tests/data/corpus")
    ap.add_argument("--split", choices=SPLITS)
    ap.add_argument("--family")
    ap.add_argument("--misses", action="store_true", help="list every miss with its line")
    ap.add_argument("--check", action="store_true", help="only validate the expected records")
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"score-import: {folder} is not a folder", file=sys.stderr)
        return 2
    problems = [p for txt, exp in corpus_pairs(folder) for p in validate_expected(txt, exp)]
    for p in problems:
        print("invalid: " + p, file=sys.stderr)
    if args.check:
        return 1 if problems else 0
    print(report(score_corpus(folder, args.split, args.family), args.misses))
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
