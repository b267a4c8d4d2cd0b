"""US government documents: State Department telegrams and FRUS web pages.

Two page layouts, each read from its own conventions:

- a **telegram** (cable, as the State Department's electronic telegrams, its AAD records and
  declassified paper copies give it): ``PAGE 01 STATE 189296``, a date-time group
  ``O 091603Z NOV 77``, ``FM AMEMBASSY MOSCOW`` / ``TO SECSTATE WASHDC IMMEDIATE 4521`` /
  ``INFO …`` addressees, the classification (often letter-spaced, ``S E C R E T``),
  ``SUBJECT:``, and the sender's surname as the last word; lines may be run together into one;
- a **FRUS** document (history.state.gov): a numbered heading ``214. Telegram From the
  Embassy in Poland to the Department of State1`` (its footnote marker glued on), a dateline
  ``Warsaw, October 22, 1957, 6 p.m.``, the telegram number opening the text, the signature
  below it, and a source note ``1. Source: …, Central Files, 748.00/10–2257. Confidential;
  Priority. … Repeated to Moscow, Berlin.`` holding the citation, classification, precedence
  and the posts it was repeated to.

Every field is a span over the characters it was read from; nothing is removed from the
text, and brackets are read by :mod:`~emendo.core.importers.marks` as on any page.
"""
from __future__ import annotations

import re

from emendo.core.dates import parse_date
from emendo.core.importers import vocab
from emendo.core.importers._base import Lines, SpanBuilder
from emendo.core.importers.header import find_doctype
from emendo.core.importers.marks import scan_marks
from emendo.core.importers.wilson_lists import scan_lists
from emendo.core.model import Document

# A date-time group: precedence letters, day + hour + minute, Z, month, two-digit year.
_DTG = re.compile(r"(?<![\w/])(?:[ZOPR]{1,2}\s+)?(?P<d>[0-3]\d)(?P<hm>[0-2]\d[0-5]\d)Z\s+"
                  r"(?P<mon>JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\s+(?P<y>\d\d)\b")
_PAGE = re.compile(r"\bPAGE\s+0?1\s+(?P<ref>[A-Z][A-Z ]{1,20}?\s+\d{3,6})\b")
_FM = re.compile(r"(?:^|(?<=\s))FM\s+(?P<v>[A-Z][A-Z0-9 ./\-]*?)(?=\s+TO\s|\s*$)", re.MULTILINE)
_TO = re.compile(r"(?:^|(?<=\s))TO\s+(?P<v>[A-Z][A-Z0-9 ./\-]*?)(?:\s+(?P<prec>"
                 + vocab.alternation(vocab.terms("precedence", "us", "terms")) +
                 r"))?(?:\s+(?P<n>\d{1,5}))?(?=\s+INFO\s|\s*$|\s+[A-Z]\s[A-Z]\s)", re.MULTILINE)
_SUBJECT = re.compile(r"(?:^|(?<=\s))SUBJ(?:ECT)?\s*:\s*(?P<v>[^\n]+?)\s*"
                      r"(?=$|\s+REF(?:S)?:|\s+(?:\d{1,2}|[A-Z])\.\s+(?:\([A-Z]+\)\s)?[A-Z])",
                      re.MULTILINE)
_CABLE_MARKERS = re.compile(r"\b(?:PAGE\s+01|FM\s+(?:AMEMBASSY|SECSTATE|AMCONSUL|USMISSION|"
                            r"USDEL|AMLEGATION|[A-Z]+\s+[A-Z]+)\b|SUBJ(?:ECT)?:|TAGS:|E\.\s?O\.\s"
                            r"|Canonical ID:|INCOMING TELEGRAM|OUTGOING TELEGRAM|TELEGRAM RECEIVED|"
                            r"TELEGRAM SENT)")
_FRUS_MARKERS = ("Foreign Relations of the United States", "Office of the Historian",
                 "history.state.gov")
_FRUS_HEADING = re.compile(
    r"^(?P<n>\d{1,4})\.\s+(?P<t>(?:[A-Z][\w'’\-]*\s){0,6}?(?:Telegram|Memorandum|Letter|Message|"
    r"Note|Cable|Paper|Report|Record|Minutes|Despatch|Dispatch|Airgram|Instruction|Estimate|"
    r"Editorial Note|Circular)\b[^\n]*?|"
    # The older heading "The Ambassador in X to the Secretary of State": no sentence in it.
    r"The\s[^\n.]{2,120}?\sto\s(?:the\s)?[A-Z][^\n.]{1,80}?)(?P<fn>\d{1,2})?\s*$",
    re.MULTILINE)
_FRUS_OLD_FILE = re.compile(r"^(?P<ref>[\dA-Z][\w.]*/[\w–\-.]+)\s*:\s*(?P<type>[A-Z][\w ]{2,40})$",
                            re.MULTILINE)
_FRUS_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w .'’\-]{1,40}?),\s+(?P<date>(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December)\s+\d{1,2},\s+\d{4})\b[^\n]{0,40}$",
    re.MULTILINE)
# The telegram's number opens its text ("613. Plenum …", "CAS 2063. Ref: …").
_TEL_NUMBER = re.compile(r"\s*(?P<n>(?:[A-Z]{2,6}\s)?\d{1,5}(?:/[\w\-–]+)?)\.\s")
_SOURCE_NOTE = re.compile(r"^(?:\d{1,2}\.?\s+)?Source:\s*(?P<v>[^\n]+)$", re.MULTILINE)
# "Repeated to Moscow, Berlin", "Also sent to London and Paris and repeated to …", "passed to
# the White House, DOD, and CIA" (a.m./p.m. dots do not end it).
_REPEATED = re.compile(r"\b(?:Also sent to|Sent to|[Rr]epeated(?:\s+(?:for information|niact|"
                       r"priority|immediate|flash))?(?:\s+to)?|"
                       r"[Pp]assed to)\s+(?P<v>(?:[^.]|\b[ap]\.m\.|\.\w)+?)(?=\.(?:\s|$)|$)")
_RPTD = re.compile(r"\brptd\s+(?P<v>[^.;]+)")
# The last " to " splits sender from receiver: "From the Mission to the United Nations to …".
_FROM_TO = re.compile(r"^(?P<type>.+?)\s+From\s+(?:the\s+)?(?P<o>.+)\s+to\s+(?:the\s+)?(?P<a>.+)$")
_OLD_TO = re.compile(r"^(?P<o>The\s.+?)\s+to\s+(?:the\s+)?(?P<a>.+)$")
_NAME = re.compile(r"^\[?(?P<v>(?:[A-Z][\w.'’\-]*\s?){1,4})\]?$")
_SURNAME_END = re.compile(r"(?<![\w])(?P<v>[A-Z][A-Z'\-]{2,})\s*$")
_TAIL_NOISE = re.compile(
    r"(?:\s*(?:NNNN|BT|END OF (?:TEXT|MESSAGE)|Margaret P\. Grafeld[^\n]*|Declassified/Released"
    r"[^\n]*|NOTE BY OC/T[^\n]*|\(?\s*END\s*\)?|"
    + vocab.alternation(vocab.terms("classification", "terms"), spaced=True) + r"))+\s*$",
    re.IGNORECASE)
_US_ADDRESSEES = re.compile(
    r"(?:AMEMBASSY|AMCONSUL|AMCONGEN|USMISSION(?:\s+US[A-Z]+)?|USDEL|SECSTATE|AMLEGATION|USINT|"
    r"USLO|CINC\w*|"
    r"USCINC\w*|USNATO|USUN|USEC|DIA|CIA|JCS|WHITE HOUSE)\b[A-Z0-9 ./\-]*?"
    r"(?=\s+(?:AMEMBASSY|AMCONSUL|AMCONGEN|USMISSION|USDEL|SECSTATE|AMLEGATION|USINT|USLO|"
    r"CINC|USCINC|USNATO|USUN|USEC|BT\b|[A-Z]\s[A-Z]\s|"
    + vocab.alternation(vocab.terms("precedence", "us", "terms")) + r"|"
    + vocab.alternation(vocab.terms("classification", "terms")) + r")|\s*$)", re.MULTILINE)


def looks_like_frus(text: str) -> bool:
    """True when the text reads as a FRUS document page."""
    head = text[:4000]
    if any(m in head for m in _FRUS_MARKERS):
        return True
    return bool(_FRUS_HEADING.search(head)) and bool(
        _FRUS_DATELINE.search(head) or _SOURCE_NOTE.search(text[-6000:]))


def looks_like_cable(text: str) -> bool:
    """True when the text reads as a US telegram (at least two of its header conventions)."""
    head = text[:6000]
    found = {m.group(0).split()[0] for m in _CABLE_MARKERS.finditer(head)}
    if _DTG.search(head):
        found.add("DTG")
    return len(found) >= 2


def _add_value(b: SpanBuilder, kind: str, s: int, e: int, **attrs: object) -> None:
    """A field span over text[s:e] trimmed, its value the covered text unless given."""
    text = b.text
    while s < e and text[s] in " \t\n,;:":
        s += 1
    while e > s and text[e - 1] in " \t\n,;:.":
        e -= 1
    if e <= s or b.has(kind):
        return
    attrs.setdefault("value", text[s:e])
    b.add_attrs(kind, s, e, dict(attrs))


def _first_class(b: SpanBuilder, lo: int = 0, hi: int | None = None) -> None:
    """The first classification term in text[lo:hi] (a line of its own or a header token)."""
    m = vocab.classification_re().search(b.text, lo, len(b.text) if hi is None else hi)
    if m:
        _add_value(b, "classification", m.start(), m.end())


def parse_cable(raw: str, name: str = "") -> Document:
    """A Document from a US telegram's text."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    if text.startswith("\ufeff"):
        text = text[1:]
    b = SpanBuilder(text)
    date: str | None = None
    m = _SUBJECT.search(text)
    title = ""
    if m:
        title = m.group("v")
        b.add("title", m.start("v"), m.end("v"), value=title)
    dm = _DTG.search(text)
    if dm:
        date = parse_date(text[dm.start("d"):dm.end()])
        if date:
            b.add("date", dm.start("d"), dm.end(), value=date)
    if date is None:
        for dl in re.finditer(r"^(?:Date|Sent|Received)\s*:?\s*(?P<v>[^\n]{6,40})$", text,
                              re.MULTILINE):
            iso = parse_date(dl.group("v").split(",")[0].strip())
            if iso:
                date = iso
                b.add("date", dl.start("v"), dl.end("v"), value=iso)
                break
    # The classification: the line in the message's own head first (the record's metadata
    # above it is the archive's, but says the same when the message's is missing).
    msg = text.find("Message Text")
    _first_class(b, msg if msg >= 0 else 0)
    if not b.has("classification"):
        _first_class(b)
    fm = _FM.search(text)
    if fm:
        _add_value(b, "origin", _unrouted(text, fm.start("v"), fm.end("v")), fm.end("v"))
    to = _TO.search(text, fm.end() if fm else 0)
    if to:
        _add_value(b, "addressee", _unrouted(text, to.start("v"), to.end("v")), to.end("v"))
        if to.group("prec"):
            _add_value(b, "priority", to.start("prec"), to.end("prec"))
        _info_list(b, to.end())
    else:
        act = re.search(r"ACTION:\s+(?P<v>[A-Z][\w ]+?)\s+(?P<p>"
                        + vocab.alternation(vocab.terms("precedence", "us", "terms"))
                        + r")?\s*(?P<n>\d{1,5})?\s*$", text, re.MULTILINE)
        if act:
            _add_value(b, "addressee", act.start("v"), act.end("v"))
            if act.group("p"):
                _add_value(b, "priority", act.start("p"), act.end("p"))
            if act.group("n"):
                _add_value(b, "refno", act.start("n"), act.end("n"))
    for rx in (r"(?:^|(?<=\s))(?:[A-Z]\s){4,}[A-Z](?:\s+SECTION\s+\d+\s+OF\s+\d+)?\s+"
               r"(?P<v>[A-Z][A-Z ]{1,20}?\s\d{3,6})\b",
               _PAGE.pattern, r"^Canonical ID:\s*(?P<v>\S+)$"):
        rm = re.search(rx, text, re.MULTILINE)
        if rm:
            g = "v" if "v" in rm.groupdict() else "ref"
            _add_value(b, "refno", rm.start(g), rm.end(g))
            break
    if not b.has("origin"):
        om = re.search(r"^From:\s*(?P<v>[^\n]+)$", text, re.MULTILINE)
        if om:
            _add_value(b, "origin", om.start("v"), om.end("v"))
    if not b.has("addressee"):
        am = re.search(r"^To:\s*(?P<v>[^\n]+)$", text, re.MULTILINE)
        if am:
            _add_value(b, "addressee", am.start("v"), am.end("v"))
    if not b.has("distribution"):
        rp = _REPEATED.search(text) or _RPTD.search(text)
        if rp:
            _repeated(b, rp.start("v"), rp.end("v"))
    _cable_signature(b)
    for dm_ in re.finditer(r"^(?P<v>(?:INCOMING|OUTGOING) TELEGRAM|TELEGRAM (?:RECEIVED|SENT))\b",
                           text, re.MULTILINE):
        _add_value(b, "doctype", dm_.start("v"), dm_.end("v"))
        break
    lines = Lines(text)
    find_doctype(b, lines, 0, lines.n)
    scan_lists(b, lines, 0, lines.n)
    scan_marks(b, 0, len(text))
    return Document(title=title or _first_line(text, name), text=text, spans=b.spans,
                    source_text=raw, date=date, source_name=name,
                    meta={"importer": "us-cable"})


def _unrouted(text: str, s: int, e: int) -> int:
    """Where a post's name starts after its routing indicator ('RUEHC/SECSTATE WASHDC')."""
    m = re.match(r"RUE\w{1,5}/", text[s:e])
    return s + m.end() if m else s


def _info_list(b: SpanBuilder, pos: int) -> None:
    """The INFO addressees after the TO line: one recipient each."""
    text = b.text
    m = re.compile(r"\s*INFO\s+").match(text, pos)
    if not m:
        return
    start = m.end()
    # The list ends at a blank line, the classification or the text's first label.
    end_m = re.compile(r"\n\s*\n|(?:^|\s)(?:[A-Z]\s){3,}[A-Z]\b|\bBT\b|\bE\.\s?O\.|"
                       r"\bSUBJ(?:ECT)?:|\bTAGS:|(?:^|\s)"
                       + vocab.alternation(vocab.terms("classification", "terms")) + r"\s",
                       re.MULTILINE).search(text, start)
    end = end_m.start() if end_m else min(len(text), start + 2000)
    routed = list(_ROUTED.finditer(text, m.start(), end))
    spans = ([r.span("v") for r in routed] if routed
             else [nm.span() for nm in _US_ADDRESSEES.finditer(text, start, end)])
    if not spans:
        return
    dist = b.add("distribution", m.start() + len(m.group(0)) - len(m.group(0).lstrip()),
                 spans[-1][1], label="INFO")
    for s, e in spans:
        while e > s and text[e - 1] in " .,":
            e -= 1
        b.add("recipient", s, e, name=text[s:e], parent=dist.id)


# A routed addressee line of a later telegram: "RUEHTA/AMEMBASSY ASTANA 0920", its routing
# indicator, precedence and serial number around the name.
_ROUTED = re.compile(
    r"(?:^|(?<=INFO )|(?<=\s))RUE\w{2,5}/(?P<v>[A-Z][A-Z0-9 .\-]*?)(?:\s+(?:"
    + vocab.alternation(vocab.terms("precedence", "us", "terms")) + r"))?(?:\s+\d{3,5})?[ \t]*$",
    re.MULTILINE)


def _cable_signature(b: SpanBuilder) -> None:
    """The sender's surname: the last word of the message, before trailing markings."""
    text = b.text
    end = len(text)
    # Footer lines of the archive's record and the classification repeated at the foot.
    while True:
        m = _TAIL_NOISE.search(text, 0, end)
        if not m or m.start() >= end or m.end() < end - 1 and text[m.end():end].strip():
            break
        if m.start() == end:
            break
        end = m.start()
        if not text[:end].strip():
            return
    seg_lo = max(0, end - 200)
    seg = text[seg_lo:end].rstrip()
    m = _SURNAME_END.search(seg)
    if not m:
        return
    before = seg[:m.start()].rstrip(" \t")
    # A surname stands alone on its line, or closes a sentence run on into one long line.
    if before and not before.endswith(("\n", ".", '"', "”", ")")):
        return
    word = m.group("v")
    if vocab.classification_re().fullmatch(word) or word in ("END", "COMMENT", "TEXT", "NNNN"):
        return
    s = seg_lo + m.start("v")
    b.add("signature", s, s + len(word), value=word)


def _first_line(text: str, name: str) -> str:
    for line in text.split("\n", 30)[:30]:
        if line.strip():
            return line.strip()[:200]
    return name or "Untitled"


def parse_frus(raw: str, name: str = "") -> Document:
    """A Document from a FRUS document page."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    if text.startswith("\ufeff"):
        text = text[1:]
    b = SpanBuilder(text)
    title = ""
    heading_end = 0
    hm = _FRUS_HEADING.search(text)
    old = _FRUS_OLD_FILE.search(text[:4000])
    if old and (hm is None or old.start() < hm.start()):
        _add_value(b, "refno", old.start("ref"), old.end("ref"))
        _add_value(b, "doctype", old.start("type"), old.end("type"))
        nl = text.find("\n", old.end())
        tl = re.compile(r"[ \t]*(?P<t>\S[^\n]*?)\s*$", re.MULTILINE).match(text, nl + 1)
        if tl:
            title = tl.group("t")
            b.add("title", tl.start("t"), tl.end("t"), value=title)
            heading_end = tl.end()
            _from_to(b, tl.start("t"), title)
    elif hm:
        s, e = hm.start("t"), hm.end("t")
        # A heading run on into the text ("…State1 Saigon, November 28, …") ends at its
        # footnote marker.
        title = text[s:e]
        b.add("title", s, e, value=title)
        heading_end = hm.end()
        _from_to(b, s, title)
    dl = _FRUS_DATELINE.search(text, heading_end)
    if dl is None:
        dl = re.compile(r"(?P<place>[A-Z][\w .'’\-]{1,40}?),\s+(?P<date>(?:January|February|"
                        r"March|April|May|June|July|August|September|October|November|December)"
                        r"\s+\d{1,2},\s+\d{4})").search(text, heading_end)
    date = None
    if dl:
        date = parse_date(dl.group("date"))
        if date:
            b.add("date", dl.start("date"), dl.end("date"), value=date)
        body_lo = dl.end()
        rm = _TEL_NUMBER.match(text, body_lo)
        if rm and rm.group("n") not in ("1",):
            _add_value(b, "refno", rm.start("n"), rm.end("n"))
    pre = text[heading_end:dl.start() if dl else heading_end]
    base = heading_end
    for pm in re.finditer(r"^[ \t]*(?P<v>[^\n]+?)[ \t]*$", pre, re.MULTILINE):
        v = pm.group("v")
        if vocab.classification_re().fullmatch(v):
            _add_value(b, "classification", base + pm.start("v"), base + pm.end("v"))
        elif vocab.us_precedence_re().fullmatch(v):
            _add_value(b, "priority", base + pm.start("v"), base + pm.end("v"))
    sn = _SOURCE_NOTE.search(text)
    notes_lo = len(text)
    if sn:
        notes_lo = sn.start()
        _source_note(b, sn.start("v"), sn.end("v"))
    else:
        fn = re.compile(r"^1\.\s+\S", re.MULTILINE)
        cands = [m.start() for m in fn.finditer(text, dl.end() if dl else 0)]
        if cands:
            notes_lo = cands[-1]
    _frus_signature(b, dl.end() if dl else heading_end, notes_lo)
    _frus_salutation(b, dl.end() if dl else heading_end, notes_lo)
    lines = Lines(text)
    find_doctype(b, lines, 0, lines.n)
    scan_lists(b, lines, 0, lines.n)
    scan_marks(b, 0, len(text))
    return Document(title=title or _first_line(text, name), text=text, spans=b.spans,
                    source_text=raw, date=date, source_name=name, meta={"importer": "frus"})


_DEAR = re.compile(r"^[ \t]*Dear\s+(?P<v>[^:,\n]{2,60}?)\s*[:,][ \t]*$", re.MULTILINE)


def _frus_salutation(b: SpanBuilder, lo: int, hi: int) -> None:
    """A letter's salutation ('Dear Mr. President:') names its addressee as the letter does,
    over the heading's 'to President Eisenhower'.
    """
    m = _DEAR.search(b.text, lo, min(hi, lo + 600))
    if not m:
        return
    b.spans[:] = [sp for sp in b.spans if sp.kind != "addressee"]
    _add_value(b, "addressee", m.start("v"), m.end("v"))


def _from_to(b: SpanBuilder, s: int, title: str) -> None:
    """Document type, origin and addressee from a FRUS heading ('Telegram From X to Y')."""
    m = _FROM_TO.match(title)
    if m:
        _add_value(b, "doctype", s + m.start("type"), s + m.end("type"))
        _add_value(b, "origin", s + m.start("o"), s + m.end("o"))
        _add_value(b, "addressee", s + m.start("a"), s + m.end("a"))
        return
    m = _OLD_TO.match(title)
    if m:
        _add_value(b, "origin", s + m.start("o"), s + m.end("o"))
        _add_value(b, "addressee", s + m.start("a"), s + m.end("a"))
        return
    if len(title.split()) <= 5 and " to " not in title:
        _add_value(b, "doctype", s, s + len(title))


def _source_note(b: SpanBuilder, s: int, e: int) -> None:
    """'Department of State, Central Files, 748.00/10–2257. Confidential; Priority. …'."""
    text = b.text
    note = text[s:e]
    cut = None
    for m in re.finditer(r"\.\s+", note):
        rest = note[m.end():]
        first = re.split(r"[;.]", rest, maxsplit=1)[0].strip()
        if vocab.classification_re().fullmatch(first) or vocab.us_precedence_re().fullmatch(first):
            cut = m
            break
    if cut is None:
        return
    _add_value(b, "citation", s, s + cut.start())
    pos = s + cut.end()
    end_m = re.compile(r"\.(?:\s|$)").search(text, pos, e)
    seg_end = end_m.start() if end_m else e
    for tm in re.finditer(r"[^;]+", text[pos:seg_end]):
        ts, te = pos + tm.start(), pos + tm.end()
        word = tm.group(0).strip()
        if vocab.classification_re().fullmatch(word):
            _add_value(b, "classification", ts, te)
        elif vocab.us_precedence_re().fullmatch(word):
            _add_value(b, "priority", ts, te)
    rest_lo = seg_end
    found = list(_REPEATED.finditer(text, rest_lo, e))
    if found:
        for rp in found:
            _repeated(b, rp.start("v"), rp.end("v"))
        return
    rp = _RPTD.search(text, rest_lo, e) or _RPTD.search(text, s, e)
    if rp is None:
        # The posts it was repeated to may also be named in the text ("rptd Paris as 311").
        rp = _RPTD.search(text, 0, s)
    if rp:
        _repeated(b, rp.start("v"), rp.end("v"))


# The posts of a repeat line: between commas, semicolons, "and" and "repeated to".
_POST_ITEM = re.compile(r"(?:(?!\s+and\s|\s+repeated\s)[^,;])+")


def _repeated(b: SpanBuilder, s: int, e: int) -> None:
    """'Moscow, Berlin, Prague, and Budapest', 'Paris as 311, Nanking as 142'."""
    text = b.text
    dist = b.add("distribution", s, e, label="repeated")
    for m in _POST_ITEM.finditer(text[s:e]):
        seg = m.group(0)
        lead = len(seg) - len(seg.lstrip())
        seg = seg.strip()
        am = re.match(r"(?:and\s+)?(?:repeated\s+(?:to\s+)?)?(?:the\s+)?(?P<v>[A-Z][\w .'’\-]*?)"
                      r"(?:\s+(?:as|for|in|at)\s.*)?$", seg)
        if not am:
            continue
        ns = s + m.start() + lead + am.start("v")
        ne = s + m.start() + lead + am.end("v")
        if ne > ns:
            b.add("recipient", ns, ne, name=text[ns:ne], parent=dist.id)


def _frus_signature(b: SpanBuilder, lo: int, hi: int) -> None:
    """The name under a FRUS text: the last short line before the notes ('[Johnson]')."""
    text = b.text
    seg = text[lo:hi].rstrip()
    nl = seg.rfind("\n")
    line = seg[nl + 1:].strip()
    if not line or len(line) > 40:
        m = _SURNAME_END.search(seg) if seg else None
        return
    m = _NAME.match(line)
    if not m:
        return
    start = lo + nl + 1 + seg[nl + 1:].find(line)
    vs = start + m.start("v")
    ve = start + m.end("v")
    while ve > vs and text[ve - 1] == " ":
        ve -= 1
    b.add("signature", vs, ve, value=text[vs:ve])
