"""How a Document is stored in a row of the documents table, and read back.

Space matters (a project of 10,000 cables should stay within 3x of their text), so:
spans are stored as compact columns, an attribute that only repeats the text a span covers
is stored as its key name, the source file (mostly the text again) is zlib-compressed, and
the search column holds only field values that are *not* already in the text.
"""
from __future__ import annotations

import json
import zlib
from itertools import compress as _select
from itertools import repeat
from operator import add
from typing import Any

try:  # a compiled JSON library; Emendo depends on it, and works (slower) without it
    import orjson
except ImportError:  # pragma: no cover (a platform without its wheel)
    orjson = None  # type: ignore[assignment]

from emendo.core.errors import DamagedProjectError
from emendo.core.model import ECHO_ATTRS, FIELD_KINDS, FIELD_LABELS, Document, Span

SEARCH_KINDS = FIELD_KINDS | {"person", "place", "org", "note", "sic"}
# Attributes worth indexing for search when they say more than the covered text.
SEARCH_ATTRS = ("value", "name", "text", "number", "date", "note", "corr")
_SEARCH_ATTR_SET = frozenset(SEARCH_ATTRS)
# Short single-valued fields always indexed with their label: searches name them, and
# the window offers the values already used (e.g. every priority in the project).
ALWAYS_INDEXED = frozenset({"priority", "classification", "doctype", "date", "origin",
                            "refno", "addressee", "citation", "translator", "signature",
                            "copies"})

# Attributes that often repeat the covered text are stored by key name when they do.
_ECHO = frozenset(ECHO_ATTRS)

DOC_COLUMNS = ("id", "title", "date", "text", "spans", "source_z", "imported_text",
               "source_name", "meta")


# Span data is freshly built plain lists and dicts, never cyclic: the cycle check (a dict
# entry per container) would cost a fifth of a document's encoding.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def dumps_compact(data: Any) -> str:
    """JSON without spaces, non-ASCII as is: orjson's, else the standard library's (same text).

    orjson writes a 1,000-mark document's spans fifteen times faster and reads them two and
    a half times faster (measured), which a keystroke, opening a document, an import and an
    export all wait for. What it refuses (an integer beyond 64 bits, a lone surrogate) the
    standard library writes.
    """
    if orjson is not None:
        try:
            return orjson.dumps(data).decode("utf-8")
        except TypeError:  # orjson.JSONEncodeError is one
            pass
    return _COMPACT.encode(data)


# Digits to "9", every other byte to a space: a run of 19 nines marks a possible integer
# beyond 64 bits, which orjson would read as a float (losing digits) and json reads exactly.
_DIGIT_RUNS = bytes(57 if 48 <= b <= 57 else 32 for b in range(256))
_LONG_RUN = b"9" * 19


def loads(data: str | bytes) -> Any:
    """Parse JSON: orjson's parser, else (or for what it refuses) the standard library's."""
    if orjson is not None:
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        if _LONG_RUN not in raw.translate(_DIGIT_RUNS):  # C speed: 20 us for 1,000 marks
            try:
                return orjson.loads(raw)
            except ValueError:  # orjson.JSONDecodeError is one
                pass
    return json.loads(data)


def encode_spans(text: str, spans: list[Span]) -> str:
    """Spans as compact columns, each encoded in one pass by the C JSON encoder.

    ``{"k": kinds, "t": kind index per span, "s": starts, "l": lengths, "i": ids (left out
    when they are 1..n), "a": attrs per span (0 when empty; left out when all are)}``.
    An attribute that repeats the covered text is stored by its key under "=": a
    recipient's name is most often exactly the words it covers, and leaving it out keeps a
    10,000-cable project within 3x of its text.  Columns rather than one object per span
    halve the size; one encoder pass keeps a keystroke's re-encoding of 1,000 spans well
    under a millisecond.
    """
    kinds: dict[str, int] = {}
    kind_col: list[int] = []
    starts: list[int | None] = []
    lengths: list[int | None] = []
    attrs_col: list[Any] = []
    ids_in_order = True
    any_attrs = False
    # One loop with bound methods and no calls: it runs for every span of every import.
    add_kind, add_start, add_length, add_attrs = (kind_col.append, starts.append,
                                                  lengths.append, attrs_col.append)
    for n, span in enumerate(spans, 1):
        k = kinds.get(span.kind)
        if k is None:
            k = kinds[span.kind] = len(kinds)
        add_kind(k)
        s, e = span.start, span.end
        add_start(s)
        add_length(None if s is None or e is None else e - s)
        if span.id != n:
            ids_in_order = False
        attrs = span.attrs
        if not attrs:
            add_attrs(0)
            continue
        any_attrs = True
        if s is None or _ECHO.isdisjoint(attrs):
            add_attrs(attrs)
            continue
        covered = text[s:e]
        echoes = None
        for key in ECHO_ATTRS:
            if key in attrs and attrs[key] == covered:
                if echoes is None:
                    echoes = [key]
                else:
                    echoes.append(key)
        if echoes is None:
            add_attrs(attrs)
            continue
        stored = attrs.copy()  # the same key order as the attrs, less the echoed keys
        for key in echoes:
            del stored[key]
        stored["="] = echoes
        add_attrs(stored)
    data: dict[str, Any] = {"k": list(kinds), "t": kind_col, "s": starts, "l": lengths}
    if not ids_in_order:
        data["i"] = [span.id for span in spans]
    if any_attrs:
        data["a"] = attrs_col
    return dumps_compact(data)


def decode_spans(text: str, data: str) -> list[Span]:
    """Inverse of :func:`encode_spans` (also reads the older shared-attrs and long forms)."""
    return StoredSpans(text, data, lazy=False).all()


class StoredSpans:
    """A document's stored spans, parsed; the :class:`Span` objects are built when asked for.

    Opening a document with 1,000 marks highlights the few dozen on screen before the first
    paint from their keys alone (:meth:`overlapping_keys`) and builds every Span a moment
    later (:meth:`all`).
    """

    __slots__ = ("text", "_spans", "_raw", "_ids", "_echo", "_attrs")

    def __init__(self, text: str, data: str, *, lazy: bool = True) -> None:
        """``lazy``: leave the attrs column unread until the spans are built (a first paint
        needs only the positions and kinds); without it, all is parsed in one pass.
        """
        self.text = text
        self._spans: list[Span] | None = None
        raw, self._attrs = _load_columns(data) if lazy else (loads(data), None)
        if isinstance(raw, list):  # the long form: a list of span objects
            self._spans = [Span.from_json(item) for item in raw]
            return
        kinds = raw["k"]
        ids = raw.get("i") or range(1, len(raw["t"]) + 1)
        if "u" in raw:
            self._spans = _decode_shared(text, raw, kinds, ids)
            return
        self._raw = raw
        self._ids = ids  # the columns are made by all(): overlapping_keys() needs none
        self._echo = '"="' in data

    def _whole(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The columns with the attrs section parsed too (it is read only when needed)."""
        if self._attrs is not None:
            raw.update(loads(self._attrs))
            self._attrs = None
        return raw

    def __len__(self) -> int:
        return len(self._spans if self._spans is not None else self._raw["s"])

    def overlapping_keys(self, lo: int, hi: int) -> list[tuple[int, int, int, str]]:
        """``(start, -end, id, kind)`` of the spans with characters in ``[lo, hi)``, sorted.

        The order is :func:`~emendo.core.model.span_sort_key`'s, made by comparing plain
        tuples: what a first paint needs to highlight, with no Span built.
        """
        if self._spans is not None:
            return sorted((s.start, -s.end, s.id, s.kind) for s in self._spans  # type: ignore[operator]
                          if s.start is not None and s.start < hi and s.end > lo)  # type: ignore[operator]
        raw = self._raw
        starts, lengths, kinds, kind_of, ids = raw["s"], raw["l"], raw["k"], raw["t"], self._ids
        before = _select(range(len(starts)), map(hi.__gt__, starts))
        return sorted((starts[i], -(starts[i] + lengths[i]), ids[i], kinds[kind_of[i]])
                      for i in before
                      if starts[i] is not None and starts[i] < hi and starts[i] + lengths[i] > lo)

    def _make_columns(self) -> tuple:
        raw = self._whole(self._raw)
        kinds, starts, lengths = raw["k"], raw["s"], raw["l"]
        # Built column by column: a comprehension calling Span for each costs a third more.
        kind_col = [kinds[k] for k in raw["t"]]
        ends = (list(map(add, starts, lengths)) if None not in starts
                else [None if s is None else s + k for s, k in zip(starts, lengths)])
        attrs = raw.get("a")
        if attrs is None:
            attrs = [{} for _ in range(len(starts))]
        elif 0 in attrs:  # the parser made a fresh dict for every other span: no copies
            attrs = [a or {} for a in attrs]
        return kind_col, starts, ends, attrs, self._ids

    def all(self) -> list[Span]:
        """Every span, in stored order (:class:`DamagedProjectError` if they cannot be read)."""
        if self._spans is None:
            try:
                columns = self._make_columns()
            except (ValueError, KeyError, TypeError) as exc:  # what loads() and indexing raise
                raise DamagedProjectError(f"the marks cannot be read: {exc}") from None
            spans = list(map(Span, *columns))
            if self._echo:
                for span in spans:
                    if "=" in span.attrs:
                        _fill_echoes(self.text, span)
            self._spans = spans
        return self._spans


# The attrs column comes last in what encode_spans writes and is most of its length (a
# note or a name per span); the first paint of a document needs only the columns before
# it. A quote right after a comma opens a string at the top level of the JSON text or in
# a list (inside a string it would be escaped), and only an object key is followed by a
# colon: the first ',"a":[' is the attrs key of the outer object.
_ATTRS_KEY = ',"a":['


def _load_columns(data: str) -> tuple[Any, str | None]:
    """The parsed columns before the attrs, and the attrs as JSON still to be read (or None).

    Anything else (another key order, an older form, text that only looks split) is read
    whole: a split inside a nested value leaves a bracket open and fails to parse.
    """
    cut = data.find(_ATTRS_KEY) if data.startswith('{"k":') else -1
    if cut > 0:
        attrs = "{" + data[cut + 1:]
        if '"i":' not in attrs and '"u":' not in attrs:  # else needed now: read it whole
            try:
                return loads(data[:cut] + "}"), attrs
            except ValueError:
                pass
    return loads(data), None


def _fill_echoes(text: str, span: Span) -> None:
    """Put back the attribute values stored as "the covered text" (the "=" key)."""
    a = span.attrs
    echoes = a.pop("=", None)
    if echoes:
        covered = text[span.start:span.end]
        for key in echoes:
            a[key] = covered


def _decode_shared(text: str, raw: dict[str, Any], kinds: list[str],
                   ids: Any) -> list[Span]:
    """Rows written with shared attrs ("u": distinct [attrs, echoed keys], "x": index)."""
    uniq = raw["u"]
    spans = []
    for k, s, n, i, ix in zip(raw["t"], raw["s"], raw["l"], ids, raw.get("x") or repeat(0)):
        end = None if s is None else s + n
        attrs: dict[str, Any] = {}
        if ix:
            shared, echoes = uniq[ix - 1]
            attrs = dict(shared)  # a copy: spans must never share one dict
            for key in echoes:
                attrs[key] = text[s:end]
        spans.append(Span(kinds[k], s, end, attrs, i))
    return spans


def compress(text: str) -> bytes:
    """Zlib of the UTF-8 text (the source file is read rarely and whole)."""
    return zlib.compress(text.encode("utf-8"), 1)  # fast; the text compresses well anyway


def decompress(data: bytes | str | None) -> str:
    """Inverse of :func:`compress` (tolerates an uncompressed string)."""
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    return zlib.decompress(data).decode("utf-8")


# A source stored as the lines it has beyond the transcription: b"L", the CRC-32 of the
# transcription it was taken against, then a JSON list where a number n copies the next n
# lines of that transcription and a string is a line of the source file only.
_DELTA = b"L"
# Beyond this many characters of lines the transcription lacks, zlib of the whole file wins.
_DELTA_MAX_EXTRA = 2048


def encode_source(source: str, baseline: str) -> bytes:
    """The file as imported, stored against the transcription as first imported.

    An imported page is its transcription plus the site's chrome lines, so the source is
    kept as those lines and runs of transcription lines: about 100 bytes for a cable, three
    times faster than compressing it and a tenth of the size.  A source in another shape
    (CRLF line ends, a byte-order mark, TEI) is zlib-compressed whole.  ``baseline`` is
    ``Document.baseline_text``, which no edit changes, so the source can always be rebuilt.
    """
    if "\r" in source or source.startswith("\ufeff") or len(source) < len(baseline):
        return compress(source)
    lines = baseline.split("\n")
    n = len(lines)
    ops: list[int | str] = []
    j = run = extra = 0
    for line in source.split("\n"):
        if j < n and line == lines[j]:
            run += 1
            j += 1
            continue
        if run:
            ops.append(run)
            run = 0
        extra += len(line) + 1
        if extra > _DELTA_MAX_EXTRA:
            return compress(source)
        ops.append(line)
    if j != n:
        return compress(source)  # the transcription is not the source's lines in order
    if run:
        ops.append(run)
    crc = zlib.crc32(baseline.encode("utf-8")).to_bytes(4, "big")
    return _DELTA + crc + json.dumps(ops, ensure_ascii=False, separators=(",", ":")).encode()


def decode_source(data: bytes | str | None, baseline: str) -> str:
    """Inverse of :func:`encode_source` (also reads zlib and uncompressed sources)."""
    if not isinstance(data, bytes) or not data.startswith(_DELTA):
        try:
            return decompress(data)
        except (zlib.error, UnicodeDecodeError) as exc:
            raise DamagedProjectError(f"the source file is unreadable ({exc})") from None
    if zlib.crc32(baseline.encode("utf-8")).to_bytes(4, "big") != data[1:5]:
        raise DamagedProjectError("the source file was stored against another transcription")
    try:
        ops = json.loads(data[5:])
    except ValueError as exc:
        raise DamagedProjectError(f"the source file is unreadable ({exc})") from None
    lines = baseline.split("\n")
    out: list[str] = []
    j = 0
    for op in ops:
        if isinstance(op, int):
            out += lines[j:j + op]
            j += op
        else:
            out.append(op)
    return "\n".join(out)


def fields_text(doc: Document) -> str:
    """Field values the text does not already say, one 'Label: value' line each.

    The text itself is indexed in full, so a recipient's name is found there; this
    column adds normalised values (ISO dates, 'Urgent'), fields without a place in the
    text, notes and corrections, and always the short header fields.
    """
    lines = []
    text = doc.text
    for span in doc.spans:
        kind = span.kind
        if kind not in SEARCH_KINDS or kind == "title" or not span.attrs:
            continue
        covered = text[span.start:span.end] if span.start is not None else ""
        always = kind in ALWAYS_INDEXED
        for key, value in span.attrs.items():
            if key not in _SEARCH_ATTR_SET or not isinstance(value, str):
                continue
            if not always and value in covered:
                continue
            value = " ".join(value.split())
            if value:
                lines.append(f"{FIELD_LABELS.get(kind) or kind.capitalize()}: {value}")
    return "\n".join(lines)


def doc_to_row(doc: Document, now: str) -> dict[str, Any]:
    """The documents-table row of a Document."""
    return {
        "id": doc.id,
        "title": doc.title,
        "date": doc.date,
        "text": doc.text,
        "spans": encode_spans(doc.text, doc.spans),
        "source_z": encode_source(doc.source_text, doc.baseline_text),
        "imported_text": doc.imported_text,
        "source_name": doc.source_name,
        "fields_text": fields_text(doc),
        "meta": json.dumps(doc.meta, ensure_ascii=False),
        "created": now,
        "modified": now,
    }


def row_to_doc(row: dict[str, Any]) -> Document:
    """A Document from a documents-table row (columns as in DOC_COLUMNS)."""
    doc, stored = row_to_parts(row, lazy=False)
    doc.spans = stored.all()
    return doc


def row_to_parts(row: dict[str, Any], *, lazy: bool = True) -> tuple[Document, StoredSpans]:
    """A Document without its spans yet, and its spans parsed to be built when wanted."""
    text = row["text"]
    stored = StoredSpans(text, row["spans"], lazy=lazy)
    doc = Document(
        id=row["id"],
        title=row["title"],
        date=row["date"],
        text=text,
        spans=[],
        source_text=decode_source(row["source_z"], text if row["imported_text"] is None
                                  else row["imported_text"]),
        imported_text=row["imported_text"],
        source_name=row["source_name"],
        meta=loads(row["meta"] or "{}"),
    )
    return doc, stored


def doc_to_json(doc: Document) -> dict[str, Any]:
    """A whole document as plain JSON data (kept in the log when a document is removed)."""
    return {"id": doc.id, "title": doc.title, "date": doc.date, "text": doc.text,
            "spans": [s.to_json() for s in doc.spans], "source_text": doc.source_text,
            "imported_text": doc.imported_text, "source_name": doc.source_name,
            "meta": doc.meta}


def doc_from_json(data: dict[str, Any]) -> Document:
    """Inverse of :func:`doc_to_json`."""
    return Document(id=data["id"], title=data["title"], date=data.get("date"),
                    text=data["text"], spans=[Span.from_json(s) for s in data["spans"]],
                    source_text=data.get("source_text", ""),
                    imported_text=data.get("imported_text"),
                    source_name=data.get("source_name", ""), meta=data.get("meta") or {})
