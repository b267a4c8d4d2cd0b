"""Page models of two archives' postings read as plain text.

- A **National Security Archive** document entry: ``Document 12``, then the entry line
  (``State Department cable 331820 to U.S. Embassy Warsaw, "Title," December 15, 1981,
  Secret``), then ``Source: …`` (``Источник:``, ``Źródło:`` …) with the archival source and
  perhaps the translator, then the document.  The title is the one quoted in the entry, else
  the document's SUBJECT line, else the entry line; the date and classification are the
  entry's; the citation is the source line's.
- A **CIA CREST** reading-room page: the catalogue title, a block of labels each with its value
  on the next line (``Document Number (FOIA) /ESDN (CREST):`` / ``CIA-RDP…``, ``Publication
  Date:`` …), then ``Body:`` and the OCR text.  The ESDN is the citation, the publication date
  the date; the label block is page metadata and the document's head starts after ``Body:``.

Each model only adds what it reads; the plain-text reader does the rest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from emendo.core.dates import parse_date, parse_date_line
from emendo.core.importers import vocab
from emendo.core.importers._base import Lines, SpanBuilder

_DOC_LINE = re.compile(r"^Document(?:\s+No\.)?\s+\d{1,3}[A-Za-z]?$")
_SOURCE = re.compile(r"^(?P<l>Source|Sources|Источник|Źródło|Forrás|Quelle|Zdroj|Sursa|来源|出处)"
                     r"\s*[:：]\s*(?P<v>\S.*?)\s*$")
_QUOTED = re.compile(r"[\"“](?P<t>[^\"“”\n]{3,300}?),?[\"”]")
_TRANSLATED = re.compile(r"[.;]?\s*(?:Translated|Translation|Przekład|Перевод|Fordította)"
                         r"(?:\s[^.;\n]{0,40}?)?(?:\s+by|\s*:)\s+(?P<n>[^.;\n]+)", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:SUBJECT|Subject|SUBJ)\s*:\s*(?P<v>\S.{2,200}?)\s*$")
_DATE_PART = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4}|\d{1,2}\s+(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\s+\d{4}")
_ESDN_LABEL = re.compile(r"^Document Number \(FOIA\)\s*/\s*ESDN \(CREST\)\s*:?$", re.IGNORECASE)
_ESDN = re.compile(r"\bCIA-RDP[\dA-Z\-]{10,40}\b")
_CREST_LABEL = re.compile(
    r"^(?:Document Type|Collection|Document Number \(FOIA\)\s*/\s*ESDN \(CREST\)|Release Decision|"
    r"Original Classification|Document Page Count|Document Creation Date|Document Release Date|"
    r"Sequence Number|Case Number|Publication Date|Content Type|File|Body)\s*:?$", re.IGNORECASE)


@dataclass
class Posting:
    """What a posting model read: the title it gives and where the document's head begins."""

    title: str | None = None
    title_line: int | None = None
    date: str | None = None
    body_lo: int = 0
    claimed: tuple[int, ...] = ()
    entry: tuple[int, int] | None = None  # the NSArchive entry line's offsets


def read_posting(b: SpanBuilder, lines: Lines) -> Posting | None:
    """The NSArchive entry or CREST page model of a text, its spans added; None if neither."""
    return _nsarchive(b, lines) or _crest(b, lines)


def _nb(lines: Lines, i: int, hi: int | None = None) -> int | None:
    return lines.next_nb(i, hi, 3)


def _nsarchive(b: SpanBuilder, lines: Lines) -> Posting | None:
    """'Document N' / entry line / 'Source: …'."""
    k = next((i for i in range(min(lines.n, 40)) if _DOC_LINE.match(lines.stripped[i])), None)
    if k is None:
        return None
    j = _nb(lines, k)
    if j is None:
        return None
    src = _nb(lines, j)
    sm = _SOURCE.match(lines.stripped[src]) if src is not None else None
    if sm is None:
        # The source may come after a date line under the entry (an original's own title).
        src2 = _nb(lines, src) if src is not None else None
        sm = _SOURCE.match(lines.stripped[src2]) if src2 is not None else None
        src = src2 if sm else None
    if sm is None:
        return None
    entry = lines.stripped[j]
    es = lines.strip_span(j)[0]
    p = Posting(body_lo=src + 1 if src is not None else j + 1, claimed=(k, j))
    qm = _QUOTED.search(entry)
    subject = None
    for i in range(p.body_lo, min(lines.n, p.body_lo + 30)):
        m = _SUBJECT.match(lines.stripped[i])
        if m:
            subject = (i, m)
            break
    if qm:
        p.title = qm.group("t").rstrip(",")
        b.add("title", es + qm.start("t"), es + qm.start("t") + len(p.title), value=p.title)
    elif subject is not None:
        i, m = subject
        s0 = lines.strip_span(i)[0]
        p.title = m.group("v")
        b.add("title", s0 + m.start("v"), s0 + m.end("v"), value=p.title)
    else:
        p.title = entry
        b.add("title", es, es + len(entry), value=entry)
    p.title_line = j
    p.entry = (es, es + len(entry))
    # The date: the entry's, else the line under it.
    found = list(_DATE_PART.finditer(entry))
    dm = found[-1] if found else None
    iso = parse_date(dm.group(0)) if dm else None
    if iso and dm is not None:
        b.add("date", es + dm.start(), es + dm.end(), value=iso)
        p.date = iso
    else:
        nxt = _nb(lines, j)
        if nxt is not None and nxt != src and parse_date_line(lines.stripped[nxt]):
            iso = parse_date_line(lines.stripped[nxt])
            s0, e0 = lines.strip_span(nxt)
            b.add("date", s0, e0, value=iso)
            p.date = iso
    # The classification the entry ends with.
    last = entry.rstrip(". ").rsplit(",", 1)[-1].strip()
    cm = vocab.classification_re().fullmatch(last) if last else None
    if cm:
        s0 = es + entry.rstrip(". ").rfind(last)
        b.add("classification", s0, s0 + len(last), value=last)
    # The source line: citation, then translator.
    ss = lines.strip_span(src)[0] if src is not None else 0
    value = sm.group("v")
    vs = ss + sm.start("v")
    tm = _TRANSLATED.search(value)
    cite = value[:tm.start()] if tm else value
    cite = cite.rstrip(" .;,")
    if cite:
        b.add("citation", vs, vs + len(cite), value=cite)
    if tm:
        name = tm.group("n").strip().rstrip(".")
        name = re.split(r"\s+(?:for|from|with)\s+", name, maxsplit=1)[0]
        ns = vs + tm.start("n")
        b.add("translator", ns, ns + len(name), value=name)
    p.claimed = (k, j) + ((src,) if src is not None else ())
    return p


# "State Department cable 331820 to U.S. Embassy Warsaw, …", "Memorandum from X, Director of
# …, to the Secretary of State, …": the sender and receiver an entry names.
_ENTRY_TYPED = re.compile(
    r"^(?P<o>[^,\"“]+?)\s+(?:cable|telegram|letter|memorandum|memo|report|airgram|teletype|"
    r"message|note)\b[^,\"“]*?\s+to\s+(?:the\s+)?(?P<a>[^,\"“\[]+?)\s*(?:[,\[]|$)", re.IGNORECASE)
_ENTRY_FROM = re.compile(r"\bfrom\s+(?P<o>[^\"“]+?),?\s+to\s+(?:the\s+)?(?P<a>[^,\"“\[]+?)"
                         r"\s*(?:[,\[]|$)")


def entry_parties(b: SpanBuilder, p: Posting) -> None:
    """The addressee from the entry line, for a document whose own head names none."""
    if p.entry is None:
        return
    s, e = p.entry
    line = b.text[s:e]
    m = _ENTRY_FROM.search(line) or _ENTRY_TYPED.match(line)
    if not m:
        return
    # Only the receiver: a sender named in an entry is often a person, not the sending body.
    v = m.group("a").strip()
    if v and not b.has("addressee") and len(v) <= 100:
        vs = s + m.start("a") + (len(m.group("a")) - len(m.group("a").lstrip()))
        b.add("addressee", vs, vs + len(v), value=v)


def _crest(b: SpanBuilder, lines: Lines) -> Posting | None:
    """A CREST page: labels with values, 'Body:', the OCR text."""
    labels = [i for i in range(min(lines.n, 80)) if _CREST_LABEL.match(lines.stripped[i])]
    if len(labels) < 4:
        return None
    body = next((i for i in labels if lines.stripped[i].lower().startswith("body")), None)
    p = Posting(body_lo=(body + 1) if body is not None else labels[-1] + 1)
    claimed: list[int] = []
    for i in labels:
        claimed.append(i)
        v = _nb(lines, i, p.body_lo)
        if v is None or _CREST_LABEL.match(lines.stripped[v]) or v >= p.body_lo:
            continue
        claimed.append(v)
        label = lines.stripped[i].lower()
        st = lines.stripped[v]
        s0, e0 = lines.strip_span(v)
        if _ESDN_LABEL.match(lines.stripped[i]) and _ESDN.fullmatch(st):
            b.add("citation", s0, e0, value=st)
        elif label.startswith("publication date"):
            iso = parse_date_line(st)
            if iso:
                b.add("date", s0, e0, value=iso)
                p.date = iso
    if not b.has("citation"):
        # The ESDN only in the attachment's file name or a release line.
        m = _ESDN.search(b.text, lines.start(labels[0]))
        if m:
            b.add("citation", m.start(), m.end(), value=m.group(0))
    first, last = lines.strip_span(labels[0])[0], lines.strip_span(p.body_lo - 1)[1]
    if last > first:
        b.add("pagemeta", first, last, region="header")
    p.claimed = tuple(range(labels[0], p.body_lo))
    return p
