"""TEI P5 import: the body is the truth; a file may hold many documents.

A file is read from its header and body (:mod:`tei_body`); one document per
``div type="document"`` (a FRUS volume) or per ``TEI`` in a ``teiCorpus``, else one.
Emendo's own record in ``xenoData`` is used only when it passes its schema and the hash
stored with it matches the body (:mod:`tei_record`); otherwise the body wins and the
document's ``meta["tei_import"]`` says what came from where.

Parsing is defensive: no DTD loading, no entity expansion, no network, no huge trees, and
any DOCTYPE that declares entities (external entities, entity bombs) is refused outright.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from emendo.core.errors import ImportFailedError
from emendo.core.importers.tei_body import TEI_NS, BodyMapper, text_without_notes
from emendo.core.importers.tei_record import RecordInvalid, body_hash, validate_record
from emendo.core.model import Document, Span

EMENDO_NS = "https://emendo.example.org/ns/record/1"
_T = f"{{{TEI_NS}}}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.I)
_WS = re.compile(r"\s+")
_ISO = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?")
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

Progress = Callable[[int, int], None]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False, remove_pis=True)


def parse_xml(raw: str, name: str = "") -> etree._Element:
    """The root element of untrusted XML text, or ImportFailedError in one line."""
    label = name or "The file"
    if _ENTITY_DECL.search(raw):
        raise ImportFailedError(f"{label}: refused, it declares XML entities "
                                "(external entities and entity expansion are not allowed).")
    try:
        return etree.fromstring(_XML_DECL.sub("", raw, count=1).encode("utf-8"), _parser())
    except etree.XMLSyntaxError as e:
        raise ImportFailedError(f"{label} is not well-formed XML: {e}") from e
    except ValueError as e:  # lxml's word for text it cannot take (lone surrogates)
        raise ImportFailedError(f"{label} is not XML text: {e}") from e


def parse_tei(raw: str, name: str = "") -> Document:
    """The one document of a TEI file (ImportFailedError when it holds several)."""
    docs = parse_tei_documents(raw, name)
    if len(docs) != 1:
        raise ImportFailedError(f"{name or 'The file'} holds {len(docs)} documents")
    return docs[0]


def parse_tei_documents(raw: str, name: str = "",
                        progress: Progress | None = None) -> list[Document]:
    """Every document of a TEI file, in order; ``progress(done, total)`` after each.

    ``progress`` may raise (the window's Cancel): nothing is returned then.
    """
    root = parse_xml(raw, name)
    local = etree.QName(root).localname
    if local == "teiCorpus":
        pending = {}
        members = list(root.iter(_T + "TEI"))
        if not members:
            raise ImportFailedError(f"{name or 'The file'}: a teiCorpus without TEI documents.")
        jobs: list[tuple[etree._Element, etree._Element | None]] = []
        for tei in members:
            jobs += _regions(tei, name)
    else:
        if local != "TEI":
            found = root.find(".//" + _T + "TEI")
            if found is None:
                raise ImportFailedError(f"{name or 'The file'} is not TEI (no TEI element).")
            root = found
        single, pending = _from_record(root, raw, name)
        if single is not None:
            if progress is not None:
                progress(1, 1)
            return [single]
        jobs = _regions(root, name)
    docs: list[Document] = []
    n = len(jobs)
    headers: dict[int, dict[str, str]] = {}  # each TEI's header, read once for its documents
    for i, (tei, div) in enumerate(jobs):
        header = headers.get(id(tei))
        if header is None:
            header = headers[id(tei)] = read_header(tei)
        docs.append(_map(tei, div, raw if n == 1 else "", name, header,
                         volume=div is not None and n > 1, pending=pending if n == 1 else {}))
        if progress is not None:
            progress(i + 1, n)
    return docs


def _regions(tei: etree._Element, name: str) -> list[tuple[etree._Element,
                                                           etree._Element | None]]:
    """(TEI, document div) for each document of one TEI element (div None: the whole)."""
    text = tei.find(_T + "text")
    if text is None:
        raise ImportFailedError(f"{name or 'The file'}: TEI without a text element.")
    divs = [d for d in text.iter(_T + "div") if d.get("type") == "document"
            and not any(a.get("type") == "document" for a in d.iterancestors(_T + "div"))]
    if not divs:
        return [(tei, None)]
    return [(tei, d) for d in divs]


# --- the record ------------------------------------------------------------------------

def _from_record(tei: etree._Element, raw: str,
                 name: str) -> tuple[Document | None, dict[str, Any]]:
    """The document from Emendo's record when it is valid and matches the body, else None
    and what the body's document should say about the record (its note, its meta).
    """
    rec = tei.find(f"{_T}teiHeader/{_T}xenoData/{{{EMENDO_NS}}}record")
    if rec is None or not rec.text:
        return None, {}
    label = name or "the file"
    try:
        checked = validate_record(rec.text)
    except RecordInvalid as e:
        return None, {"note": f"{label}: the Emendo record was not used ({e}); text, marks "
                              "and fields come from the TEI body"}
    text_el = tei.find(_T + "text")
    doc: Document = checked["doc"]
    if text_el is not None and _matches(checked["body_hash"], doc, text_el):
        doc.source_text = raw
        doc.source_name = name or doc.source_name
        return doc, {}
    return None, {
        "note": f"{label}: the body was edited after Emendo wrote it; text, marks and "
                "fields come from the TEI body, the language and settings from Emendo's record",
        "meta": doc.meta}


def _matches(digest: str | None, doc: Document, text_el: etree._Element) -> bool:
    """Whether the record belongs to this body (a record without a hash: its body
    written again must be this one).
    """
    got = body_hash(text_el)
    if digest is not None:
        return digest == got
    from emendo.core.editions.tei import build_body  # an earlier Emendo's record

    try:
        return body_hash(build_body(doc)) == got
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return False


# --- the body ----------------------------------------------------------------------------

def _map(tei: etree._Element, div: etree._Element | None, raw: str, name: str,
         header: dict[str, str], volume: bool, pending: dict[str, Any]) -> Document:
    """One document from its TEI (the whole text, or one document division)."""
    m = BodyMapper()
    if div is None:
        m.walk(tei.find(_T + "text"))
    else:
        m.element(div)
    m.finish_notes()
    text, spans = m.result()
    title = ""
    if not volume:
        title = header.get("title", "")
    if not title:
        t = next((s for s in spans if s.kind == "title"), None)
        title = str(t.attrs.get("value")) if t is not None else ""
    date = _div_date(div) if div is not None else None
    date = date or header.get("date") or m.date
    nid = len(spans) + 1
    for kind in ("citation", "translator"):
        if header.get(kind):
            spans.append(Span(kind, None, None, {"value": header[kind]}, nid))
            nid += 1
    meta: dict[str, Any] = {"tei_body": True}
    ns = {p: u for p, u in (div if div is not None else tei).nsmap.items()
          if p and u not in (TEI_NS, EMENDO_NS)}
    if ns:
        meta["tei_namespaces"] = ns
    if pending:
        meta.update({k: v for k, v in (pending.get("meta") or {}).items()
                     if k not in ("tei_body", "tei_import")})
        meta["tei_import"] = pending["note"]
    doc = Document(title=title or name or "Untitled", text=text, spans=spans,
                   source_text=raw, date=date, source_name=name, meta=meta)
    lang = _language(tei, div, header)
    if lang:
        doc.language = lang
    return doc


def _div_date(div: etree._Element) -> str | None:
    """A document division's own date: FRUS's ``doc-dateTime-min``, else its dateline."""
    for k, v in div.attrib.items():
        if k.endswith("}doc-dateTime-min") and _ISO.match(v):
            return v[:10]
    for d in div.iter(_T + "dateline"):
        for el in d.iter(_T + "date"):
            when = el.get("when") or el.get("notBefore") or el.get("from") or ""
            if re.match(r"^\d{4}-\d{2}-\d{2}", when):
                return when[:10]
    return None


def _language(tei: etree._Element, div: etree._Element | None,
              header: dict[str, str]) -> str | None:
    for el in (div, tei.find(_T + "text"), tei):
        if el is not None and _LANG.match(el.get(_XML_LANG) or ""):
            return el.get(_XML_LANG)
    return header.get("language")


def read_header(tei: etree._Element) -> dict[str, str]:
    """What the header says that Emendo keeps: title, date, citation, translator, language."""
    h = tei.find(_T + "teiHeader")
    out: dict[str, str] = {}
    if h is None:
        return out
    ts = h.find(f"{_T}fileDesc/{_T}titleStmt")
    if ts is not None:
        titles = ts.findall(_T + "title")
        main = next((t for t in titles if t.get("type") in (None, "main", "complete")), None)
        if main is not None:
            out["title"] = _WS.sub(" ", text_without_notes(main)).strip()
        for rs in ts.iter(_T + "respStmt"):
            resp = " ".join(rs.findtext(_T + "resp") or "".split()).lower()
            who = rs.find(_T + "name")
            if who is None:
                who = rs.find(_T + "persName")
            if "transl" in resp and who is not None:
                out.setdefault("translator", _WS.sub(" ", "".join(who.itertext())).strip())
    for path in (f".//{_T}sourceDesc//{_T}msIdentifier/{_T}idno",
                 f".//{_T}sourceDesc//{_T}idno"):
        el = h.find(path)
        if el is not None and (el.text or "").strip() and el.text.strip() != "unknown":
            out["citation"] = _WS.sub(" ", el.text).strip()
            break
    for path in (f".//{_T}profileDesc//{_T}date", f".//{_T}creation//{_T}date",
                 f".//{_T}sourceDesc//{_T}date", f".//{_T}date[@type='created']"):
        for el in h.iterfind(path):
            when = el.get("when") or el.get("notBefore") or el.get("from") or ""
            if re.match(r"^\d{4}-\d{2}-\d{2}", when):
                out["date"] = when[:10]
                break
        if "date" in out:
            break
    lang = h.find(f".//{_T}langUsage/{_T}language")
    if lang is not None and _LANG.match(lang.get("ident") or ""):
        out["language"] = lang.get("ident", "")
    return out
