"""TEI P5 writer: teiHeader from the record's fields, body from the edition tree.

Built with lxml.etree directly (no string concatenation, no re-parsing), so transcription
text can only ever be character data.  Characters XML 1.0 forbids are replaced, with the
same length so span offsets still hold.  Emendo's own stand-off record rides along in
``teiHeader/xenoData`` so that importing an exported edition gives the record back exactly.
"""
from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from emendo.core.codec import encode_spans
from emendo.core.editions.tei_source import (
    BLOCKS,
    build_source_body,
    from_tei,
    is_temporal,
)
from emendo.core.editions.tree import Node, build_tree
from emendo.core.model import Document, Span, span_sort_key

if TYPE_CHECKING:
    from emendo.core.editions import EditionContext

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EMENDO_NS = "https://emendo.example.org/ns/record/1"
_T = f"{{{TEI_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"
_NSMAP = {None: TEI_NS}

# Everything XML 1.0 refuses: C0 controls but tab/newline/return, surrogates, U+FFFE/F.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The C0 controls XML forbids, for str.translate: on ASCII text it runs at memory speed,
# twice as fast as the regular expression.
_DROP_C0 = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

EDITORIAL_DECL = (
    "Transcribed as published by the source; the transcription text is kept unchanged and "
    "marks are stand-off. Bracketed conventions of the source are encoded as follows: "
    "[illegible] as gap reason=\"illegible\"; […] as gap reason=\"editorial\"; "
    "a word followed by [?] as unclear cert=\"low\"; editorial additions in brackets "
    "([Chinese]) as supplied; [handwritten …] as add with the hand in handNote; "
    "[Stamp] blocks as stamp (described under additions); underlining by hand as "
    "hi rend=\"underline\" with the hand; errors kept as written with their correction as "
    "choice/sic/corr; distribution lists as list type=\"distribution\". Site metadata "
    "(title, date, summary, rights) is moved to the header."
)


def clean(value: Any) -> str:
    """A string XML 1.0 accepts: forbidden characters become U+FFFD (same length)."""
    s = value if isinstance(value, str) else str(value)
    return _FORBIDDEN.sub("\ufffd", s)


def _el(parent: etree._Element, tag: str, text: str | None = None,
        **attrs: str) -> etree._Element:
    """A TEI child element; empty attributes are left out, text and values cleaned."""
    if attrs:
        e = etree.SubElement(parent, _T + tag, {k: clean(v) for k, v in attrs.items() if v})
    else:
        e = etree.SubElement(parent, _T + tag)
    if text:
        e.text = clean(text)
    return e


_FIELD_KINDS = frozenset({"translator", "funder", "rights", "citation", "origin", "addressee",
                          "signature", "priority", "classification", "doctype"})


class _Fields:
    """The first span of each header field kind (``Document.first`` order), found in one
    pass instead of a sort per field.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        first: dict[str, Span] = {}
        for s in doc.spans:
            k = s.kind
            if k in _FIELD_KINDS:
                cur = first.get(k)
                if cur is None or span_sort_key(s) < span_sort_key(cur):
                    first[k] = s
        self.first = first

    def __call__(self, kind: str) -> str:
        """The field's normalised value, as ``Document.field_value`` gives it ('' if none)."""
        s = self.first.get(kind)
        return (s.value(self.doc.text) or "") if s is not None else ""


def _hands(doc: Document) -> list[str]:
    """Hand ids the body refers to, in order of first use."""
    hands: list[str] = []
    for s in doc.spans:
        if s.kind in ("handwritten", "underline") and (
                s.kind == "handwritten" or s.attrs.get("by_hand") or s.attrs.get("hand")):
            h = _hand_id(s)
            if h not in hands:
                hands.append(h)
    return hands


_NOT_NCNAME = re.compile(r"[^\w.-]")
_NCNAME_START = re.compile(r"[A-Za-z_]")


@functools.lru_cache(maxsize=256)
def _ncname(hand: str) -> str:
    """A hand's name as an xml:id (an NCName)."""
    h = _NOT_NCNAME.sub("_", hand)
    return h if _NCNAME_START.match(h) else "h" + h


def _hand_id(span: Span) -> str:
    return _ncname(str(span.attrs.get("hand") or "h1"))


_INSTITUTIONS = {
    "PRC FMA": ("People's Republic of China Foreign Ministry Archive", "Beijing"),
    "AVP RF": ("Archive of Foreign Policy of the Russian Federation", "Moscow"),
    "AAN": ("Archiwum Akt Nowych", "Warsaw"),
    "AMSZ": ("Archiwum Ministerstwa Spraw Zagranicznych", "Warsaw"),
    "RGASPI": ("Russian State Archive of Socio-Political History", "Moscow"),
}


_H = {t: _T + t for t in (
    "teiHeader", "fileDesc", "titleStmt", "title", "respStmt", "resp", "name",
    "publicationStmt", "authority", "availability", "p", "sourceDesc", "msDesc",
    "msIdentifier", "settlement", "institution", "collection", "idno", "physDesc",
    "handDesc", "handNote", "additions", "encodingDesc", "editorialDecl", "projectDesc",
    "profileDesc", "correspDesc", "correspAction", "persName", "placeName", "date",
    "textClass", "keywords", "term", "revisionDesc", "change", "xenoData")}
_FOND = re.compile(r"(f\.|fond|zesp\.)\s*[\w-]+")
_HAND_NOTE = "Handwriting on the document (additions, underlining)."


def _ms_identifier(parent: etree._Element, citation: str) -> None:
    """msIdentifier: settlement/institution when a known archive opens the citation; idno."""
    sub, H = _SUB, _H
    ms = sub(parent, H["msIdentifier"])
    for abbr, (name, town) in _INSTITUTIONS.items():
        if citation.startswith(abbr):
            sub(ms, H["settlement"]).text = town
            sub(ms, H["institution"]).text = name
            rest = citation[len(abbr):].lstrip(" ,")
            # "f. 0100, op. 44" style: the fond is the collection
            m = _FOND.match(rest)
            if m:
                sub(ms, H["collection"]).text = clean(m.group())
            break
    if citation:
        sub(ms, H["idno"], {"type": "citation"}).text = clean(citation)
    else:
        sub(ms, H["idno"]).text = "unknown"


def build_header(doc: Document, context: EditionContext | None, hands: list[str],
                 record: Document | None = None,
                 encoded_spans: str | None = None,
                 digest: str | None = None) -> etree._Element:
    """The teiHeader of a document (``record``: the uncleaned document for xenoData;
    ``encoded_spans``: its spans as the project stores them, when at hand; ``digest``:
    the body's hash, stored with the record so that an edited body is noticed).
    """
    # elements made directly, constant text assigned as is: values from the document are
    # the only ones that need cleaning
    sub, H = _SUB, _H
    h = etree.Element(H["teiHeader"])
    _field = _Fields(doc)
    fd = sub(h, H["fileDesc"])
    ts = sub(fd, H["titleStmt"])
    sub(ts, H["title"]).text = clean(doc.title or "Untitled")
    people: dict[str, str] = {}  # name -> the xml:id a change's @who points at
    revisers = [who.strip() for _w, who, _x in (context.revisions if context else [])
                if who.strip()]
    for role, name in (("translated by", _field("translator")),
                       ("transcribed by", context.transcriber if context else ""),
                       ("edited by", context.editor if context else ""),
                       *(("revised by", w) for w in dict.fromkeys(revisers))):
        if name and not (role == "revised by" and name in people):
            rs = sub(ts, H["respStmt"])
            sub(rs, H["resp"]).text = role
            nm = sub(rs, H["name"])
            nm.text = clean(name)
            if name in revisers and name not in people:
                people[name] = _person_id(name, people)
                nm.set(_XML_ID, people[name])
    ps = sub(fd, H["publicationStmt"])
    # an agency first, so an availability statement may follow (pLike alone may not mix)
    project = context.project_title if context and context.project_title else ""
    sub(ps, H["authority"]).text = clean(f"Emendo edition, project {project}") if project \
        else "Emendo edition (not formally published)"
    funder = _field("funder")
    rights = _field.first.get("rights")
    if rights is not None and rights.anchored:
        p = sub(sub(ps, H["availability"]), H["p"])
        said = " ".join(doc.span_text(rights).split())
        if said:
            p.text = clean(said)
    md = sub(sub(fd, H["sourceDesc"]), H["msDesc"])
    _ms_identifier(md, _field("citation"))
    stamps = doc.spans_of("stamp")
    if hands or stamps:
        pd = sub(md, H["physDesc"])
        if hands:
            hd = sub(pd, H["handDesc"])
            for hid in hands:
                # hand ids are NCNames already (_hand_id), nothing to clean
                sub(hd, H["handNote"], {_XML_ID: hid} if hid else None).text = _HAND_NOTE
        if stamps:
            add = sub(pd, H["additions"])
            for st in stamps:
                sa = st.attrs
                parts = [str(sa.get(k)) for k in ("text", "number", "date_text") if sa.get(k)]
                desc = "; ".join(parts) or " ".join(doc.span_text(st).split())
                p = sub(add, H["p"])
                p.text = clean(f"Stamp ({sa.get('type') or 'stamp'}): {desc}")
                if sa.get("date") and is_temporal(str(sa["date"])):
                    p.set("n", "stamp")
    ed = sub(h, H["encodingDesc"])
    sub(sub(ed, H["editorialDecl"]), H["p"]).text = EDITORIAL_DECL
    if funder:
        sub(sub(ed, H["projectDesc"]), H["p"]).text = clean(
            f"Made possible with support from {funder}.")
    _profile(h, doc, _field)
    h.append(_xeno(record or doc, encoded_spans, digest))
    if context and context.revisions:
        rd = sub(h, H["revisionDesc"])
        for when, who, what in context.revisions:
            w = people.get(who.strip())
            ch = sub(rd, H["change"], {"who": "#" + w} if w else None)
            if what:
                ch.text = clean(what)
            if is_temporal(when):
                ch.set("when", when)
            elif is_temporal(when[:10]):
                ch.set("when", when[:10])
    return h


def _person_id(name: str, taken: dict[str, str]) -> str:
    """An xml:id for a person named in the header (``@who`` points at it)."""
    base = "ed-" + _NOT_NCNAME.sub("_", name)[:40]
    ident, n = base, 1
    while ident in taken.values():
        n += 1
        ident = f"{base}-{n}"
    return ident


def _profile(h: etree._Element, doc: Document, _field: _Fields) -> None:
    sub, H = _SUB, _H
    origin, addressee = _field("origin"), _field("addressee")
    signer = _field("signature")
    date = doc.date if doc.date and is_temporal(doc.date) else None
    terms = [(k, v) for k, v in ((k, _field(k)) for k in ("priority", "classification",
                                                         "doctype")) if v]
    lang = doc.language if doc.language and _LANG.match(doc.language) else ""
    if not (origin or addressee or date or signer or terms or lang):
        return  # an empty profileDesc is not allowed
    pd = sub(h, H["profileDesc"])
    if lang:
        sub(sub(pd, _T + "langUsage"), _T + "language", {"ident": lang}).text = lang
    if origin or addressee or date or signer:
        cd = sub(pd, H["correspDesc"])
        if origin or signer or date:
            sent = sub(cd, H["correspAction"], {"type": "sent"})
            if signer:
                sub(sent, H["persName"]).text = clean(signer)
            if origin:
                sub(sent, H["placeName"]).text = clean(origin)
            if date:
                sub(sent, H["date"], {"when": date}).text = date
        if addressee:
            sub(sub(cd, H["correspAction"], {"type": "received"}), H["name"]).text = \
                clean(addressee)
    if terms:
        kw = sub(sub(pd, H["textClass"]), H["keywords"])
        for k, v in terms:
            sub(kw, H["term"], {"type": k}).text = clean(v)


def _xeno(doc: Document, encoded_spans: str | None = None,
          digest: str | None = None) -> etree._Element:
    """Emendo's stand-off record, in its own namespace (lossless re-import).

    The spans go in as the project stores them (:func:`~emendo.core.codec.encode_spans`,
    a string inside the record): exporting from a project passes the stored encoding on
    instead of encoding the spans again, which was a tenth of an edition's time.
    """
    x = etree.Element(_T + "xenoData")
    rec = etree.SubElement(x, f"{{{EMENDO_NS}}}record", nsmap={"emendo": EMENDO_NS})
    if encoded_spans is None:
        encoded_spans = encode_spans(doc.text, doc.spans)
    # ensure_ascii escapes control characters too, so the record survives XML exactly
    rec.text = json.dumps({
        "title": doc.title, "text": doc.text, "date": doc.date,
        "source_name": doc.source_name, "imported_text": doc.imported_text,
        "meta": doc.meta, "spans_encoded": encoded_spans, "body_hash": digest,
    }, ensure_ascii=True, default=str, check_circular=False)  # meta is JSON data
    return x


# ---- body -------------------------------------------------------------------------

_SEG_KINDS = {"priority", "classification", "origin", "refno", "addressee", "doctype",
              "copies", "title", "signature"}
_NAME_TAGS = {"person": "persName", "place": "placeName", "org": "orgName"}


_SUB = etree.SubElement
_TAG = {t: _T + t for t in (
    "lb", "gap", "add", "supplied", "choice", "sic", "corr", "stamp", "hi", "unclear",
    "persName", "placeName", "orgName", "date", "seg", "note", "ref", "signed", "p",
    "opener", "closer", "postscript", "list", "item", "head", "trailer", "div", "body",
    "text", "dateline", "salute", "idno", "measure", "title")}
_TAG_LB = _TAG["lb"]
_SEG_TYPE = re.compile(r"^[\w-]+$")


def _attr(value: Any) -> str:
    """An attribute value from a span's attrs: a string XML accepts."""
    return clean(value)


class _BodyWriter:
    """Writes edition-tree nodes as TEI elements.

    The tree's strings are slices of a document already cleaned of XML-forbidden
    characters, so they are assigned as they are; only values from span attrs are cleaned.
    Text is gathered and assigned once per position (lxml's ``.text``/``.tail`` are slow
    to read back).
    """

    def __init__(self, date: str | None = None) -> None:
        self.note_n = 0
        self.date = date if date and is_temporal(date) else None
        self.opener_dated = False
        self.corrected: set[int] = set()

    def children(self, parent: etree._Element, nodes: list, in_closer: bool = False,
                 top: str = "") -> None:
        """Write ``nodes`` into ``parent``; ``top``: "opener"/"closer" for their own level."""
        last: etree._Element | None = None
        pending: list[str] = []
        drop_space = False
        for c in nodes:
            if c.__class__ is str:
                if drop_space:
                    # a dropped token takes one of the spaces around it along
                    c = c.lstrip(" ")
                    drop_space = False
                pending.append(c)
                continue
            drop_space = False
            if c.kind == "lb":  # the commonest node: no span, no children
                made = _SUB(parent, _TAG_LB)
            else:
                made = self.node(parent, c, in_closer, top) if top else \
                    self.node(parent, c, in_closer)
                if made is None:
                    if c.kind == "token":
                        drop_space = (not pending and last is None) or bool(
                            pending and pending[-1][-1:].isspace())
                    continue
            if pending:
                txt = pending[0] if len(pending) == 1 else "".join(pending)
                pending = []
                if last is None:
                    parent.text = txt
                else:
                    last.tail = txt
            last = made
        if pending:
            txt = "".join(pending)
            if last is None:
                parent.text = txt
            else:
                last.tail = txt

    def node(self, parent: etree._Element, n: Node, in_closer: bool,
             top: str = "") -> etree._Element | None:
        k = n.kind
        s = n.span
        a = s.attrs if s is not None else {}
        if top and k in ("origin", "date", "addressee"):
            return self._opener_closer_field(parent, n, in_closer, top)
        if k == "lb":
            return _SUB(parent, _TAG_LB)
        if k == "token":
            return None  # editorial notation: its meaning is in the neighbouring span
        if k in ("illegible", "omission", "handwritten", "supplied") and not _notation(n):
            # marked words, not the source's bracketed notation: their text is kept
            e = _SUB(parent, _TAG[_KEEP_TAG[k]], dict(_KEEP_ATTRS[k]))
            if k == "handwritten":
                e.set("hand", "#" + _hand_id(s))
            self.children(e, n.children, in_closer)
            return self._note_after(parent, e, n)
        if k in ("illegible", "omission"):
            if n.part:
                return None
            return _SUB(parent, _TAG["gap"],
                        {"reason": "illegible" if k == "illegible" else "editorial"})
        if k == "handwritten":
            if n.part:
                return None
            e = _SUB(parent, _TAG["add"], {"hand": "#" + _hand_id(s)})
            e.text = _attr(a.get("value") or _unbracket(n.text())) or None
            return self._note_after(parent, e, n)
        if k == "supplied":
            e = _SUB(parent, _TAG["supplied"], {"reason": "editorial"})
            if n.part == 0:
                e.text = _attr(a.get("value") or _unbracket(n.text())) or None
            return self._note_after(parent, e, n)
        if k in ("sic", "corr"):
            # the correction once, with the first piece (a span cut at a paragraph starts
            # its pieces again in the next one)
            if n.part == 0 and a.get("corr") and id(s) not in self.corrected:
                self.corrected.add(id(s))
                e = _SUB(parent, _TAG["choice"])
                self.children(_SUB(e, _TAG["sic"]), n.children if k == "sic" else [])
                _SUB(e, _TAG["corr"]).text = _attr(a["corr"])
            else:
                e = _SUB(parent, _TAG["sic"])
                self.children(e, n.children)
            return self._note_after(parent, e, n)
        if k == "stamp":
            t = a.get("type")
            e = _SUB(parent, _TAG["stamp"], {"type": _attr(t)} if t else None)
        elif k == "underline":
            e = _SUB(parent, _TAG["hi"], {"rend": "underline"})
            if a.get("by_hand") or a.get("hand"):
                e.set("hand", "#" + _hand_id(s))
        elif k == "unclear":
            e = _SUB(parent, _TAG["unclear"], {"cert": _attr(a.get("cert") or "low"),
                                               "reason": _attr(a.get("reason") or "illegible")})
        elif k in _NAME_TAGS:
            e = _SUB(parent, _TAG[_NAME_TAGS[k]])
        elif k == "date":
            when = str(a.get("when") or a.get("value") or "")
            e = _SUB(parent, _TAG["date"], {"when": when} if is_temporal(when) else None)
        elif k == "note":
            if a.get("note"):
                # a researcher's note on a passage: passage kept, note after it
                e = _SUB(parent, _TAG["seg"], {"type": "annotated"})
            else:
                nv = a.get("n")
                e = _SUB(parent, _TAG["note"], {"place": "foot", "n": _attr(nv)} if nv
                         else {"place": "foot"})
        elif k == "noteref":
            nv = a.get("n")
            e = _SUB(parent, _TAG["ref"], {"n": _attr(nv)} if nv else None)
        elif k == "signature" and in_closer and parent.tag == _TAG["closer"]:
            # signed stands in the closer itself, not inside a mark in it
            e = _SUB(parent, _TAG["signed"])
        elif k == "refno" and all(c.__class__ is str for c in n.children):
            e = _SUB(parent, _TAG["idno"], {"type": "refno"})  # idno holds text only
        elif k == "copies":
            q = str(a.get("value") or "")
            e = _SUB(parent, _TAG["measure"], {"type": "copies", "unit": "copies",
                                               "quantity": q} if q.isdigit() and q.isascii()
                     else {"type": "copies"})
        elif k == "title":
            e = _SUB(parent, _TAG["title"])
        else:
            e = _SUB(parent, _TAG["seg"], {"type": k if _SEG_TYPE.match(k) else "mark"})
        self.children(e, n.children, in_closer and k != "signature")
        return self._note_after(parent, e, n)

    def _opener_closer_field(self, parent: etree._Element, n: Node, in_closer: bool,
                             top: str) -> etree._Element:
        """Opener and closer fields as TEI has them: the origin and a date as a
        ``dateline`` (with ``date when``), the addressee as the ``salute``.
        """
        k, a = n.kind, n.span.attrs if n.span is not None else {}
        if k == "addressee":
            e = _SUB(parent, _TAG["salute"])
            self.children(e, n.children, in_closer)
            return self._note_after(parent, e, n)
        line = _SUB(parent, _TAG["dateline"])
        if k == "date":
            self.node(line, n, in_closer)
            if top == "opener":
                self.opener_dated = True
            return line
        # the origin: its value as a placeName, the document's date beside it
        value = str(a.get("value") or "")
        kids = n.children
        i = kids[0].find(value) if value and len(kids) == 1 and kids[0].__class__ is str \
            else -1
        if i >= 0:
            text = kids[0]
            line.text = text[:i] or None
            place = _SUB(line, _TAG["placeName"])
            place.text = text[i:i + len(value)]
            place.tail = text[i + len(value):] or None
        else:
            self.children(line, kids, in_closer)
        if top == "opener" and self.date and not self.opener_dated:
            _SUB(line, _TAG["date"], {"when": self.date})
            self.opener_dated = True
        return self._note_after(parent, line, n)

    def _note_after(self, parent: etree._Element, e: etree._Element, n: Node) -> etree._Element:
        """A span's own note (attrs note) goes after its last piece."""
        if n.last and n.span is not None and n.span.attrs.get("note"):
            return _el(parent, "note", str(n.span.attrs["note"]), type="editorial")
        return e


_KEEP_TAG = {"illegible": "unclear", "omission": "seg", "handwritten": "add",
             "supplied": "supplied"}
_KEEP_ATTRS = {"illegible": (("reason", "illegible"),), "omission": (("type", "omission"),),
               "handwritten": (), "supplied": (("reason", "editorial"),)}


def _notation(n: Node) -> bool:
    """Whether a node is the source's bracketed notation whole ("[illegible]"), which TEI
    encodes as an element instead of its text.
    """
    if n.part or not n.last:
        return False
    t = n.text()
    return t.startswith("[") and t.endswith("]")


def _unbracket(s: str) -> str:
    s = s.strip()
    if s.startswith("[") and s.endswith("]"):
        s = s[1:-1]
    if s.lower().startswith("handwritten"):
        s = s[len("handwritten"):].strip(" :")
    return s


def build_body(doc: Document) -> etree._Element:
    """The ``text`` element: body > div with opener, paragraphs, closer, postscript."""
    tree = build_tree(doc, "diplomatic")
    text = etree.Element(_T + "text")
    div = _el(_el(text, "body"), "div", type="document")
    w = _BodyWriter(doc.date)
    blocks = [b for b in tree.children if isinstance(b, Node)]
    # a div is its openers, then paragraphs (at least one), then closer and postscript
    # (the tree gives them in that order): a paragraph goes in when there is none
    top = 0
    while top < len(blocks) and blocks[top].kind == "opener":
        top += 1
    bottom = len(blocks)
    while bottom > top and blocks[bottom - 1].kind in ("closer", "postscript"):
        bottom -= 1
    for i, block in enumerate(blocks):
        if i == bottom == top:
            _el(div, "p")
        _block(div, block, w)
    if bottom == top == len(blocks):
        _el(div, "p")
    return text


def _block(parent: etree._Element, b: Node, w: _BodyWriter) -> None:
    k = b.kind
    if k == "opener":
        w.opener_dated = any(c.__class__ is Node and c.kind == "date" for c in b.children)
        w.children(_SUB(parent, _TAG["opener"]), b.children, top="opener")
    elif k == "closer":
        w.children(_SUB(parent, _TAG["closer"]), b.children, in_closer=True, top="closer")
    elif k == "postscript":
        e = _SUB(parent, _TAG["postscript"])
        for c in b.children:
            if c.__class__ is Node:
                _block(e, c, w)
    elif k == "list":
        e = _SUB(parent, _TAG["list"], {"type": "distribution"})
        children = w.children
        for c in b.children:
            if c.__class__ is not Node:
                continue
            item = _SUB(e, _TAG[c.kind])
            cc = c.children
            if len(cc) == 1 and cc[0].__class__ is str:  # most items: a name, nothing else
                item.text = cc[0]
            else:
                children(item, cc)
    else:
        w.children(_SUB(parent, _TAG["p"]), b.children)


def build_tei(doc: Document, context: EditionContext | None = None,
              encoded_spans: str | None = None) -> etree._Element:
    """The TEI root element of one document (``encoded_spans``: its stored span encoding).

    A document read from TEI gets its body back as it came (:mod:`tei_source`); the
    body's hash goes into the record, which is used on import only while it matches.
    """
    from emendo.core.importers.tei_record import body_hash

    clean_doc = _clean_doc(doc)
    keep = bool(context and getattr(context, "keep_namespaces", False))
    nsmap = dict(_NSMAP)
    if from_tei(doc):
        body = build_source_body(clean_doc, keep)
        ns = doc.meta.get("tei_namespaces")
        if keep and isinstance(ns, dict):
            nsmap.update({p: u for p, u in ns.items() if isinstance(p, str) and
                          _NCNAME_START.match(p) and isinstance(u, str) and u != TEI_NS})
    else:
        body = build_body(clean_doc)
    root = etree.Element(_T + "TEI", nsmap=nsmap)
    lang = doc.language
    if lang and _LANG.match(lang):
        root.set(f"{{{XML_NS}}}lang", lang)
    root.append(build_header(clean_doc, context, _hands(doc), doc, encoded_spans,
                             body_hash(body)))
    root.append(body)
    return root


def _has_forbidden(s: str) -> bool:
    """Whether ``s`` holds a character XML 1.0 forbids."""
    if s.isascii():
        return len(s.translate(_DROP_C0)) != len(s)
    return _FORBIDDEN.search(s) is not None


def _clean_doc(doc: Document) -> Document:
    """The document with XML-forbidden characters replaced (offsets unchanged)."""
    if not _has_forbidden(doc.text) and not _has_forbidden(doc.title):
        return doc
    return Document(title=clean(doc.title), text=clean(doc.text), spans=doc.spans,
                    source_text=doc.source_text, imported_text=doc.imported_text,
                    date=doc.date, source_name=doc.source_name, id=doc.id, meta=doc.meta)


def render_tei(doc: Document, context: EditionContext | None = None,
               encoded_spans: str | None = None) -> str:
    """The TEI P5 edition of a document as a string."""
    return serialize(build_tei(doc, context, encoded_spans))


def serialize(root: etree._Element) -> str:
    """A TEI tree as text, indented only where white space means nothing."""
    indent(root)
    return etree.tostring(root, encoding="unicode") + "\n"


_LAYOUT = frozenset(_T + t for t in BLOCKS | {"pb", "cb", "milestone"})
_HEADER = _T + "teiHeader"


def indent(root: etree._Element) -> None:
    """Indent the header fully and the text only between blocks.

    lxml's ``pretty_print`` indents any element holding elements only, and so puts white
    space between two marks that touch (``<p><gap/><hi>word</hi></p>``), which a reader
    takes for a space of the text. Here a body element is indented only when all it
    holds are blocks (``div``, ``p``, ``item``, …) or page and column breaks.
    """
    level = "\n  "
    if len(root) and not (root.text or "").strip():
        root.text = level
    for child in root:
        if child.tag == _HEADER:
            etree.indent(child, space="  ", level=1)
        else:
            _indent_blocks(child, level)
        child.tail = level
    if len(root):
        root[-1].tail = "\n"


def _indent_blocks(el: etree._Element, level: str) -> None:
    kids = list(el)
    if not kids or (el.text and not el.text.isspace()):
        return
    for k in kids:
        if k.tag not in _LAYOUT or (k.tail and not k.tail.isspace()):
            return
    inner = level + "  "
    el.text = inner
    for k in kids:
        k.tail = inner
        _indent_blocks(k, inner)
    kids[-1].tail = level


XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
