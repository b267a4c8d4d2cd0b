"""Emendo's own record in ``teiHeader/xenoData``: its schema, and the hash that ties it to a body.

The record is untrusted input like any file (a hand-edited or hostile one may hold a span
ending at ``null``, negative offsets, duplicate ids, a date that is an object, lone
surrogates, JSON nested ten thousand deep). :func:`validate_record` checks every part of
it against the record's own schema before anything is built from it; a record that fails
is never used (the body is read instead).

:func:`body_hash` is a digest of a TEI ``text`` element's elements, attributes and text
(white space folded, so re-indenting a file does not count as an edit): the record is used
only when the hash stored with it matches the body it came with.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from lxml import etree

from emendo.core.codec import decode_spans
from emendo.core.errors import DamagedProjectError
from emendo.core.model import Document, Span, validate_spans

MAX_TEXT = 64 * 1024 * 1024  # the importers' file limit: no record may say more
MAX_TITLE = 10_000
MAX_SPANS = 1_000_000
MAX_DEPTH = 32  # nesting of JSON inside the record (meta, attrs)
MAX_ATTR_CHARS = 1_000_000  # one span's attrs, serialised
MAX_ID = 2**31 - 1
_KEYS = {"title", "text", "date", "source_name", "imported_text", "meta", "spans_encoded",
         "spans", "span_rows", "body_hash", "version"}
_KIND = re.compile(r"^[A-Za-z_][\w.-]{0,63}$")
_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_WS = re.compile(r"\s+")


class RecordInvalid(ValueError):
    """The record does not fit its schema; ``str()`` says where, in one line."""


def body_hash(text_el: etree._Element) -> str:
    """A digest of a ``text`` element: its elements, attributes and folded text, in order."""
    # The pieces are gathered as text and hashed once: the same bytes as hashing each
    # piece in turn, without a hash update and an encode per piece (a quarter of an export)
    parts: list[str] = []
    add = parts.append
    fold = _WS.sub
    for event, el in etree.iterwalk(text_el, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):  # comments and processing instructions are not text
            if event == "end":
                t = el.tail
                if t and not t.isspace():
                    add("\x1ft" + fold(" ", t))
            continue
        if event == "start":
            add("\x1f<" + tag)
            if el.attrib:
                for k, v in sorted(el.attrib.items()):
                    add("\x1e" + k + "=" + v)
            t = el.text
            if t and not t.isspace():
                add("\x1ft" + fold(" ", t))
        else:
            add("\x1f>")
            t = el.tail
            if t and not t.isspace() and el is not text_el:
                add("\x1ft" + fold(" ", t))
    return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _check_json(value: Any, where: str, depth: int = 0) -> None:
    """Plain JSON data of bounded depth, no lone surrogates in any string or key."""
    if depth > MAX_DEPTH:
        raise RecordInvalid(f"{where} is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            raise RecordInvalid(f"{where} holds a lone surrogate")
    elif isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str) or _LONE_SURROGATE.search(k):
                raise RecordInvalid(f"{where} has a key that is not text")
            _check_json(v, f"{where}.{k}"[:80], depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check_json(v, where, depth + 1)
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, int):
        if not -2**63 <= value < 2**63:
            raise RecordInvalid(f"{where} holds an integer beyond 64 bits")
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RecordInvalid(f"{where} holds a number that is not finite")
    else:  # pragma: no cover (json.loads makes nothing else)
        raise RecordInvalid(f"{where} holds a {type(value).__name__}")


def _text(data: dict[str, Any], key: str, limit: int, optional: bool = True) -> str | None:
    v = data.get(key)
    if v is None and optional:
        return None
    if not isinstance(v, str):
        raise RecordInvalid(f"{key} is not text")
    if len(v) > limit:
        raise RecordInvalid(f"{key} is longer than {limit} characters")
    return v


def _span(raw: Any, n: int) -> Span:
    """One span of an earlier record form (an object, or an [id, kind, start, end, attrs] row)."""
    if isinstance(raw, dict):
        kind, start, end = raw.get("kind"), raw.get("start"), raw.get("end")
        attrs, sid = raw.get("attrs") or {}, raw.get("id") or 0
    elif isinstance(raw, list) and len(raw) == 5:
        sid, kind, start, end, attrs = raw
        attrs = attrs or {}
    else:
        raise RecordInvalid(f"span {n} is neither an object nor a row of five")
    for name, v in (("start", start), ("end", end)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            raise RecordInvalid(f"span {n} has a {name} that is not an integer")
    if isinstance(sid, bool) or not isinstance(sid, int):
        raise RecordInvalid(f"span {n} has an id that is not an integer")
    if not isinstance(kind, str):
        raise RecordInvalid(f"span {n} has a kind that is not text")
    if not isinstance(attrs, dict):
        raise RecordInvalid(f"span {n} has attrs that are not an object")
    return Span(kind, start, end, dict(attrs), sid)


def validate_record(payload: str) -> dict[str, Any]:
    """The record's data, checked against its schema (RecordInvalid says what is wrong).

    Returns ``{"doc": Document, "body_hash": str | None}``.
    """
    if len(payload) > 4 * MAX_TEXT:
        raise RecordInvalid("the record is larger than any document may be")
    try:
        data = json.loads(payload)
    except RecursionError:
        raise RecordInvalid(f"the record is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as e:
        raise RecordInvalid(f"the record is not JSON ({e})") from None
    if not isinstance(data, dict):
        raise RecordInvalid("the record is not an object")
    extra = set(data) - _KEYS
    if extra:
        raise RecordInvalid(f"the record has unknown keys ({', '.join(sorted(extra))[:60]})")
    _check_json(data, "record")
    text = _text(data, "text", MAX_TEXT, optional=False) or ""
    title = _text(data, "title", MAX_TITLE) or ""
    source_name = _text(data, "source_name", 4096) or ""
    imported = _text(data, "imported_text", MAX_TEXT)
    date = _text(data, "date", 64)
    if date is not None and not _DATE.match(date):
        raise RecordInvalid("date is not an ISO 8601 date")
    digest = _text(data, "body_hash", 64)
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise RecordInvalid("meta is not an object")
    if len(json.dumps(meta)) > MAX_ATTR_CHARS:
        raise RecordInvalid("meta is too large")
    spans: list[Span] = []
    encoded = data.get("spans_encoded")
    if encoded is not None:
        if not isinstance(encoded, str):
            raise RecordInvalid("spans_encoded is not text")
        try:
            spans = decode_spans(text, encoded)
        except RecursionError:
            raise RecordInvalid("the spans are nested too deep") from None
        except (DamagedProjectError, ValueError, KeyError, TypeError, IndexError,
                AttributeError) as e:
            raise RecordInvalid(f"the spans are damaged ({' '.join(str(e).split())[:80]})") \
                from None
    for key in ("spans", "span_rows"):
        rows = data.get(key) or []
        if not isinstance(rows, list):
            raise RecordInvalid(f"{key} is not a list")
        spans += [_span(r, i) for i, r in enumerate(rows)]
    if len(spans) > MAX_SPANS:
        raise RecordInvalid(f"the record holds more than {MAX_SPANS} spans")
    _check_spans(text, spans)
    doc = Document(title=title, text=text, spans=spans, imported_text=imported, date=date,
                   source_name=source_name, meta=dict(meta))
    return {"doc": doc, "body_hash": digest}


def _check_spans(text: str, spans: list[Span]) -> None:
    """Kinds, ids, ranges and attrs of every span."""
    for s in spans:
        if not isinstance(s.kind, str) or not _KIND.match(s.kind):
            raise RecordInvalid(f"span {s.id} has a kind that is not a name")
        if isinstance(s.id, bool) or not isinstance(s.id, int) or not 0 <= s.id <= MAX_ID:
            raise RecordInvalid(f"span {s.id!r:.20} has an id out of range")
        for v in (s.start, s.end):
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                raise RecordInvalid(f"span {s.id} has an offset that is not an integer")
        if not isinstance(s.attrs, dict):
            raise RecordInvalid(f"span {s.id} has attrs that are not an object")
        _check_json(s.attrs, f"span {s.id} attrs", 1)
        if len(json.dumps(s.attrs)) > MAX_ATTR_CHARS:
            raise RecordInvalid(f"span {s.id} has attrs that are too large")
    problems = validate_spans(text, spans)
    if problems:
        raise RecordInvalid(problems[0])
