"""Fields read from a document's head zone as a whole, for every page layout.

Each reader runs after a layout's own recognisers and adds a field only when none was found:
the document type from a heading line (``CIPHERED TELEGRAM No. 25631``, ``V e r m e r k``,
``(Working notes)``, ``MEMORANDUM FOR: …``) or, failing that, from the word the title opens
with (``Letter from …``, ``Record of Conversation between …``).  The words are data
(``vocab/labels.toml``, ``doctypes``).
"""
from __future__ import annotations

import re
from functools import cache

from emendo.core.dates import parse_date_line
from emendo.core.importers import vocab
from emendo.core.importers._base import Lines, SpanBuilder

HEAD_LINES = 25  # non-blank lines of the head zone a heading is looked for in
_HEADING_MAX = 90


@cache
def _doctype_heading() -> re.Pattern[str]:
    """A heading line that is, or opens with, a document type."""
    words = vocab.alternation(vocab.terms("labels", "doctypes"), spaced=True)
    return re.compile(r"^[(“\"«]?\s*(?P<v>" + words + r")(?![\w])\s*[)”\"»]?(?P<rest>.*)$",
                      re.IGNORECASE)


@cache
def _doctype_title() -> re.Pattern[str]:
    """A title that opens with a document type ('Letter from …')."""
    words = vocab.alternation(vocab.terms("labels", "doctypes"))
    return re.compile(r"^[“\"«]?(?P<v>" + words + r")(?=[\s,:;]|$)", re.IGNORECASE | re.MULTILINE)


_NUMBER_AFTER = re.compile(r"^\s*(?:No\.?|Nr\.?|nr\.?|№|N°|Nº|#)\s*\S*\d", re.IGNORECASE)
_FOR_AFTER = re.compile(r"^\s*FOR\b")
_AGENCY_AFTER = re.compile(r"^\s*(?:[A-Z][a-z]+\s?(?:of\s|for\s|the\s)?){1,4}$")
# Form captions ("TELEGRAM SENT") name a type alone, never open a heading sentence.
_CAPTION_END = ("sent", "received")


def _heading_doctype(line: str) -> re.Match[str] | None:
    """The document type a heading line names, or None."""
    if len(line) > _HEADING_MAX:
        return None
    m = _doctype_heading().match(line)
    if not m:
        return None
    rest = m.group("rest")
    if not rest.strip(" .:!"):
        return m
    if _NUMBER_AFTER.match(rest) or _FOR_AFTER.match(rest):
        return m
    v = m.group("v")
    if v.isupper() and _AGENCY_AFTER.match(rest):  # "INCOMING TELEGRAM Department of State"
        return m
    return None


_OPENS_TITLE = re.compile(r"^\s*(?:between|from|of|on|with|by|to|about|concerning|regarding)\s",
                          re.IGNORECASE)


def find_doctype(b: SpanBuilder, lines: Lines, lo: int, hi: int,
                 from_title: bool = True) -> bool:
    """A doctype span from a heading in lines[lo:hi]'s head zone, else from the title.

    A heading names the type alone ('MINUTES'), before a number ('Ciphergram No. 11464'),
    'FOR' ('MEMORANDUM FOR: …'), or as the first words of a heading sentence ('Record of
    Conversation between …').  ``from_title``: the title is the document's own heading (not
    an archive's catalogue title), so its first words may name the type.
    """
    if b.has("doctype"):
        return False
    seen = 0
    prev = ""
    for i in range(lo, hi):
        st = lines.stripped[i]
        if not st:
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        after_label = len(prev) <= 40 and prev.endswith((":", "："))
        prev = st
        if after_label:
            continue  # the value of a label ("Document Type:" / "MEMO"), not a heading
        m = _heading_doctype(st)
        if m is None and len(st) <= 160:
            h = _doctype_heading().match(st)
            if (h and _OPENS_TITLE.match(h.group("rest")) and st[:1].isupper()
                    and h.group("v").split()[-1].lower() not in _CAPTION_END):
                m = h
        if m:
            s = lines.strip_span(i)[0]
            b.add("doctype", s + m.start("v"), s + m.end("v"), value=m.group("v"))
            return True
    title = next((sp for sp in b.spans if sp.kind == "title"), None) if from_title else None
    if title is None or title.start is None or title.end is None:
        return False
    m = _doctype_title().match(b.text, title.start, title.end)
    if not m:
        return False
    b.add("doctype", m.start("v"), m.end("v"), value=m.group("v"))
    return True


# -- the signature ---------------------------------------------------------------------------
# One word of a name: an initial ("J.", "Yu.", "ST."), a rank ("Col.", "gen."), a capitalised
# word, a word in capitals; a gloss or supplied part in brackets may stand beside it.
_NAME_WORD = r"(?:[A-ZÀ-ÞĀ-ſА-ЯЁ][\w'’\-]*\.?|\[[^\[\]\n]{1,30}\])"
_NAME_LINE = re.compile(rf"^(?P<v>{_NAME_WORD}(?:\s{{1,2}}{_NAME_WORD}){{0,4}})[,.]?$")
_RANK = re.compile(r"^(?:Col|Gen|Lt|Maj|Capt|Dr|Prof|gen|dyw|płk|ppłk|mjr|kpt)\.$")
_DATED_NAME = re.compile(r"^(?:\d{1,2}\.(?:\d{1,2}|[IVX]{1,4})\.\d{2,4})\s+(?P<v>\S.{1,40})$")
_SLASHED = re.compile(r"^/(?P<v>[^/\n]{2,40})/$")
_PROSE_END = re.compile(r"[.!?;:»”\"]$")
_LABEL_START = re.compile(r"^[^:\n]{1,30}:\s")
_NOISE = re.compile(
    r"^(?:approved for release|declassified|deciphered|odszyfrował|decoded|drafted|typed|"
    r"cleared|clearance|copy no|exp\.|egz\.|экз|page \d|\d+ copies|orig|\(end|end of)",
    re.IGNORECASE)


@cache
def _roles() -> re.Pattern[str]:
    """A role word opening a line ('Ambassador', 'Chargé d'Affaires a.i.', 'AMBASSADOR OF …')."""
    return re.compile(r"^(?P<r>" + vocab.alternation(vocab.terms("labels", "roles"))
                      + r")(?![\w])", re.IGNORECASE)


@cache
def _signer_label() -> re.Pattern[str]:
    """'Recorded by: X', 'Verified: X', 'AMBASSADOR: X' — the label and the name after it."""
    words = vocab.terms("labels", "signers") + vocab.terms("labels", "roles")
    return re.compile(r"^(?P<l>" + vocab.alternation(words) + r")\s*[:：]\s*(?P<v>\S.{0,50}?)\.?$",
                      re.IGNORECASE)


@cache
def _closing() -> re.Pattern[str]:
    """A complimentary closing line ('With communist greetings,')."""
    return re.compile(r"^(?:" + vocab.alternation(vocab.terms("labels", "closings"))
                      + r")\s*[,.!]?$", re.IGNORECASE)


def _name(line: str) -> tuple[int, int] | None:
    """Offsets of the name a short line is (or ends with after a role), or None."""
    if len(line) > 60 or any(c.isdigit() for c in line):
        return None
    if vocab.classification_re().fullmatch(line.rstrip("!. ")) or _closing().match(line):
        return None
    rm = _roles().match(line)
    start = 0
    if rm:
        # "Ambassador Vidić", "Secretary of the CC MPRP Yu. Tsedenbal": the name closes it.
        rest = line[rm.end():]
        m = re.search(rf"(?:^|\s)(?P<v>(?:{_NAME_WORD}\s)?[A-ZÀ-ÞĀ-ſА-ЯЁ][\w'’\-]+)$", rest)
        if not m or rest[:m.start("v")].strip() == "" and rm.end() == len(line):
            return None
        cand = m.group("v")
        if _roles().match(cand) or cand.isupper() and not line.isupper():
            return None
        if (re.search(r"\s[a-z]|,", rest[:m.start("v")]) or _ORG_WORDS.search(cand)) \
                and not _INITIAL_FIRST.match(cand + " "):
            return None  # "Director of the National Security Agency": a role, no name
        start = rm.end() + m.start("v")
        return start, start + len(cand)
    m = _NAME_LINE.match(line)
    if not m:
        return None
    words = m.group("v").split()
    if any(w.strip(",.").lower() in _FUNCTION_WORDS for w in words) or (
            line.isupper() and len(words) > 3):
        return None  # "PAGE TWO NOT RECEIVED", "REPRODUCTION FROM THIS COPY IS"
    real = [w for w in words if not w.startswith("[") and not _RANK.match(w)]
    if not real or all(len(w.rstrip(".")) <= 2 for w in real):
        return None  # initials alone
    if len(words) == 1 and words[0].lower() in _NOT_NAMES:
        return None
    end = len(m.group("v").rstrip(",."))
    return 0, end


_ORG_WORDS = re.compile(
    r"\b(?:Agency|Department|Office|Ministry|Committee|Embassy|Bureau|Division|Staff|Council|"
    r"Service|Section|Branch|Directorate|Mission|Legation|Consulate|Government|Party)\b")
_FUNCTION_WORDS = frozenset((
    "from", "this", "is", "not", "the", "of", "to", "and", "for", "in", "on", "by", "page",
    "copy", "copies", "end", "text", "no", "with", "all", "at", "as", "be", "are", "was"))
_NOT_NAMES = frozenset((
    "archive", "file", "secret", "confidential", "translation", "original", "attachment",
    "enclosure", "end", "text", "source", "notes", "note", "summary", "copy", "copies",
    "distribution", "signed", "signature", "embassy", "moscow", "warsaw", "beijing", "peking",
    "prague", "budapest", "berlin", "washington", "havana", "hanoi", "saigon", "tirana",
    "sofia", "bucharest", "pyongyang", "belgrade", "london", "paris",
))


def _is_prose(line: str) -> bool:
    """A line of running text: long, or a sentence."""
    return len(line) > 70 or (len(line.split()) >= 4 and bool(_PROSE_END.search(line)))


def find_signature(b: SpanBuilder, lines: Lines, lo: int, hi: int, claimed: set[int]) -> bool:
    """The signing name(s) at the foot of the text in lines[lo:hi], when no mark gave one.

    The foot is the run of short lines after the last paragraph (lists, stamps and release
    lines skipped): a labelled signer ('Verified: …' before 'Recorded by: …'), a role and
    name ('AMBASSADOR: ST. TODOROV', 'Ambassador Vidić'), a date and name ('28.X.62
    ALEKSEEV'), a name in slashes, or a name alone — two name lines together are two signers.
    """
    if b.has("signature"):
        return False
    foot: list[int] = []
    i = hi - 1
    skipped = False
    while i >= lo and len(foot) < 8:
        st = lines.stripped[i]
        if not st or i in claimed or _NOISE.match(st):
            i -= 1
            continue
        if _is_prose(st) or st[0] == "[" and st.endswith("]") and len(st) > 40:
            if not skipped and len(st) <= 60 and not any(
                    _name(lines.stripped[k]) for k in foot):
                skipped = True  # "Confirm receipt." under a relayed message's signature
                i -= 1
                continue
            break
        foot.append(i)
        i -= 1
    foot.reverse()
    # Labelled signers below the head (a recorder named in the header is not a signer):
    # the authenticating one first.
    first_prose = next((k for k in range(lo, hi) if _is_prose(lines.stripped[k])
                        and not _LABEL_START.match(lines.stripped[k])), hi)
    best = _labelled_signer(b, lines, max(first_prose, hi - 60), hi)
    if best is not None:
        return True
    picks: list[tuple[int, int, int]] = []  # (line, start, end) of name lines
    for k in foot:
        st = lines.stripped[k]
        s0 = lines.strip_span(k)[0]
        for rx in (_SLASHED, _DATED_NAME):
            m = rx.match(st)
            if m:
                picks.append((k, s0 + m.start("v"), s0 + m.end("v")))
                break
        else:
            st = st.strip("\"“”„«»")
            s0 = b.text.find(st, s0)
            got = _name(st)
            if got is None:
                continue
            nxt = lines.next_nb(k, hi, 2)
            if (" " not in st and nxt is not None and _date_line(lines.stripped[nxt])
                    and not st.isupper()):
                continue  # "Pyongyang" above a date: a dateline's place
            picks.append((k, s0 + got[0], s0 + got[1]))
    if not picks:
        return _closer_sender(b)
    # The last name of the foot; the one above it as well when on the line just before.
    k, s, e = picks[-1]
    if len(picks) >= 2 and lines.prev_nb(k, lo, 0) == picks[-2][0] \
            and _name_pair(lines, picks[-2][0], k):
        s = picks[-2][1]
    b.add("signature", s, e, value=b.text[s:e])
    return True


_INITIAL_FIRST = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]?\.\s")


def _name_pair(lines: Lines, a: int, c: int) -> bool:
    """Two lines that are both initials and a surname, in the same case: two signers."""
    x, y = lines.stripped[a], lines.stripped[c]
    return bool(_INITIAL_FIRST.match(x) and _INITIAL_FIRST.match(y)) and x.isupper() == y.isupper()


def _date_line(line: str) -> bool:
    """A short line that is a date."""
    return len(line) <= 60 and parse_date_line(line) is not None


def _labelled_signer(b: SpanBuilder, lines: Lines, lo: int, hi: int) -> bool | None:
    """'Verified: X' (preferred) or 'Recorded by: X' in lines[lo:hi]: a signature span."""
    certify = {t.lower() for t in vocab.terms("labels", "signers", "certify")}
    found: tuple[int, int, int] | None = None  # (rank, start, end)
    for i in range(lo, hi):
        st = lines.stripped[i]
        if not st or len(st) > 80 or ":" not in st:
            continue
        m = _signer_label().match(st)
        if not m:
            continue
        v = m.group("v")
        got = _name(v)
        if got is None:
            continue
        label = " ".join(m.group("l").lower().split())
        rank = 0 if label in certify else 1
        s0 = lines.strip_span(i)[0] + m.start("v")
        if found is None or rank < found[0]:
            found = (rank, s0 + got[0], s0 + got[1])
    if found is None:
        return None
    b.add("signature", found[1], found[2], value=b.text[found[1]:found[2]])
    return True


def _closer_sender(b: SpanBuilder) -> bool:
    """The sender line of a closer ('[Chinese] Embassy Moscow' above its date) as the signer."""
    closer = next((sp for sp in b.spans if sp.kind == "closer"), None)
    if closer is None or closer.start is None or closer.end is None:
        return False
    seg = b.text[closer.start:closer.end]
    nl = seg.find("\n")
    if nl <= 0:
        return False
    line = seg[:nl].rstrip()
    if not line or len(line) > 60:
        return False
    s = closer.start
    b.add("signature", s, s + len(line), value=line)
    return True


# -- the addressee ---------------------------------------------------------------------------
@cache
def _salutation() -> re.Pattern[str]:
    """A line opening with a salutation or an address word ('Comrade …', 'Dear …')."""
    words = vocab.terms("labels", "addressee", "salutations") + [
        "The Honorable", "Honorable", "Hon.", "Compañero", "Compañera", "Camarada", "Tovarishch",
        "Mr.", "Mrs.", "Ms.", "Madam", "Sir", "Senator", "Genossin", "Drogi", "Szanowny",
        "Kedves", "Уважаемый", "Дорогой"]
    return re.compile(r"^[“\"«„]?(?:Dear\s+|Lieber\s+|Liebe\s+|Drogi\s+)?(?P<v>(?:"
                      + vocab.alternation(words) + r")(?=[\s.,]).*?)\s*[,:!：*]?[”\"»]?$",
                      re.IGNORECASE)


@cache
def _to_label() -> re.Pattern[str]:
    """A 'To:' label (any language) inside a header line, the addressee after it."""
    words = vocab.terms("labels", "addressee", "to") + ["To whom"]
    return re.compile(r"(?:^|\s)(?:" + vocab.alternation(words) + r")\s*[:：]\s*"
                      r"(?P<v>[^:：\n]{2,80}?)\s*$")


_MEMO_FOR = re.compile(r"^MEMORANDUM\s+FOR\s*:?\s+(?P<v>(?!THE RECORD\b)\S.{1,80}?)\s*$",
                       re.IGNORECASE)
_TO_BARE = re.compile(r"^(?:To|TO)\s+(?P<v>\S.{1,80}?)[\s*:]*$")
# Other languages' "To" before a salutation word: "Do tow. …", "An Genossen …", "Кому тов. …".
_TO_SALUTE = re.compile(r"^(?:Do|An|Кому|Címzett|Pro)\s+(?P<v>\S.{1,80}?)[\s*:]*$")
_DASH_SALUTE = re.compile(r"^[^\s].{1,30}?\s[—–-]\s(?P<v>\S.{1,60})$")


def _text_start(lines: Lines, lo: int, hi: int) -> int:
    """The first line of running text in lines[lo:hi] (hi when none)."""
    for i in range(lo, hi):
        st = lines.stripped[i]
        if not st or _LABEL_START.match(st) or sum(c.isdigit() for c in st) > len(st) // 8:
            continue  # labels and number-laden form lines are not running text
        # A transmission line ("Sent from … at 11.00, received … 19.35") is long, not text.
        if (len(st) > 150 or (len(st) > 40 and st.endswith((".", "。", "!", "?", "»", "”", "\"")))
                or (re.match(r"^\d{1,2}\.\s+\S", st) and len(st) > 40)):
            return i
    return hi


def _clean_addressee(s: int, e: int, text: str) -> tuple[int, int]:
    """Trim quotes, a footnote star and closing punctuation from an addressee's offsets."""
    while s < e and text[s] in " \t“\"«„":
        s += 1
    while e > s and text[e - 1] in " \t,:!：*”\"»":
        e -= 1
    m = re.search(r"\s*\([\d\-/ ]+\)$", text[s:e])  # "DIRECTOR (100-3-104)": its file number
    if m and m.start() > 0:
        e = s + m.start()
    return s, e


def find_addressee(b: SpanBuilder, lines: Lines, lo: int, hi: int,
                   claimed: set[int] | None = None) -> bool:
    """The addressee from the head zone when no 'To …:' line gave it.

    An inside address ('The Honorable …') before the salutation wins; then a 'To:' label in a
    header line ('TO:    Secretary of State', 'To whom: Cde. VYSHINSKY'), 'MEMORANDUM FOR:',
    a 'To …' line without its colon, and the line just above the text: a salutation
    ('Comrade L. I. Brezhnev,', 'Dear Mr. President:'), a dative after a place
    ('Москва — тов. ФИЛИППОВУ') or a short line standing alone ('CC CPSU').
    """
    if b.has("addressee"):
        return False
    text = b.text
    start = _text_start(lines, lo, hi)
    head = [i for i in range(lo, min(start + 1, hi)) if lines.stripped[i]][:40]

    def add(i: int, s_rel: int, e_rel: int) -> bool:
        s0 = lines.strip_span(i)[0]
        s, e = _clean_addressee(s0 + s_rel, s0 + e_rel, text)
        if e <= s:
            return False
        b.add("addressee", s, e, value=text[s:e])
        return True

    for i in head:
        st = lines.stripped[i]
        if re.match(r"^(?:The\s+)?Honorable\s", st):
            return add(i, 0, len(st))
    # The line just above the text (a distribution list between is skipped).
    listed = _list_lines(b, lines)
    k = start - 1
    while k >= lo and (not lines.stripped[k] or k in listed):
        k -= 1
    if start < hi and _salutation().match(lines.stripped[start]) and len(
            lines.stripped[start]) <= 80:
        k = start  # the salutation is itself the first line counted as text
    if k >= lo and _above_text(b, lines, k, add):
        return True
    for i in head:
        st = lines.stripped[i]
        if i == start or len(st) > 120:
            continue
        m = _MEMO_FOR.match(st)
        if m:
            return add(i, m.start("v"), m.end("v"))
        m = _to_label().search(st)
        if m and not _LABEL_START.match(m.group("v") + " "):
            return add(i, m.start("v"), m.end("v"))
        m = _TO_BARE.match(st)
        if m and not st.endswith(".") and (st.isupper() or _salutation().match(m.group("v"))
                                           or m.group("v").startswith(("the ", "The "))):
            return add(i, m.start("v"), m.end("v"))
    return False


def _list_lines(b: SpanBuilder, lines: Lines) -> set[int]:
    """The lines distribution lists cover."""
    out: set[int] = set()
    for sp in b.spans:
        if sp.kind == "distribution" and sp.start is not None and sp.end is not None:
            out.update(range(lines.line_of(sp.start), lines.line_of(sp.end) + 1))
    return out


def _above_text(b: SpanBuilder, lines: Lines, k: int, add) -> bool:  # noqa: ANN001
    """The addressee on line k, just above the text: a salutation, a 'To …' line, a dative
    after a place, a line holding an address word, or a short line standing alone.
    """
    st = lines.stripped[k]
    if len(st) > 80 or (st.endswith(".") and not _INITIAL_END.search(st)):
        return False
    if any(sp.kind != "addressee" and sp.start is not None and sp.end is not None
           and sp.kind not in ("pagemeta", "supplied", "noteref")
           and lines.line_of(sp.start) <= k <= lines.line_of(max(sp.start, sp.end - 1))
           for sp in b.spans):
        return False  # already read as another field
    m = _TO_BARE.match(st) or _TO_LOWER.match(st) or _to_label().match(st)
    if m is None:
        m = _TO_SALUTE.match(st)
        if m and not _salutation().match(m.group("v")):
            m = None
    if m:
        return add(k, m.start("v"), m.end("v"))
    if _LABEL_START.match(st):
        return False  # "REF: …", "Secretary: …": another label's line
    m = _salutation().match(st)
    if m:
        return add(k, m.start("v"), m.end("v"))
    m = _DASH_SALUTE.match(st)
    if m and _salutation().match(m.group("v")):
        return add(k, m.start("v"), m.end("v"))
    if _ADDRESS_WORD.search(st):
        return add(k, 0, len(st))
    p = lines.prev_nb(k, 0, 2)
    if p is not None and lines.stripped[p].endswith((":", "：")) and len(lines.stripped[p]) <= 60:
        return False  # the value of the label above it
    if len(st) <= 40 and (st.isupper() or _name(st)) and not any(c.isdigit() for c in st):
        return add(k, 0, len(st))
    return False


_TO_LOWER = re.compile(r"^to\s+(?P<v>the\s.{2,80}?)[\s:]*$")
_INITIAL_END = re.compile(r"(?:^|\s)\w\.$")
# Address words that follow the name in some languages ("Nagy Imre elvtársnak").
_ADDRESS_WORD = re.compile(r"\b(?:elvtársnak|elvtárs|tovarišu|soudruhu|towarzyszu)\b",
                           re.IGNORECASE)


# -- the origin: a letterhead ------------------------------------------------------------------
_ORG = re.compile(
    r"\b(?:Embassy|Legation|Consulate|Mission|Ministry|Committee|Directorate|Agency|Bureau|"
    r"Office|Department|Secretariat|Presidium|Politburo|Council|Service|Security|"
    r"White House|Botschaft|Ministerium|Gesandtschaft|Hauptverwaltung|Nagykövetség|"
    r"Minisztérium|Посольство|Министерство|Комитет|Управление|Ambasada|Ministerstwo|"
    r"Velvyslanectví|Ministerstvo|Ambasada|Ministerul|Amabasada)\b", re.IGNORECASE)
_CONTINUES_HEAD = re.compile(r"^(?:in|under|at|of|for|der|des|in der|beim|bei|при|в|w|na)\s",
                             re.IGNORECASE)


def find_origin(b: SpanBuilder, lines: Lines, lo: int, hi: int,
                claimed: set[int] | None = None) -> bool:
    """The sending body from a letterhead in the head zone, when no 'From' line gave it.

    A letterhead is a run of short lines without a blank between them, its first naming an
    organisation ('EMBASSY OF THE REPUBLIC OF CUBA', 'Botschaft der DDR'), the others going
    on with it ('in der DRV', 'under the USSR COUNCIL OF MINISTERS', 'Second Directorate')
    or naming its place ('PEKING'); a short country line above it belongs to it ('USSR').
    """
    if b.has("origin"):
        return False
    start = _text_start(lines, lo, hi)
    taken = _field_lines(b, lines)
    seen = 0
    for i in range(lo, start):
        st = lines.stripped[i]
        if not st:
            continue
        seen += 1
        if seen > 12:
            return False
        if i in taken or (claimed is not None and i in claimed) or not _letterhead_line(st):
            continue
        m = _ORG.search(st)
        if m is None or len(st[:m.start()].split()) > 4:
            continue
        first = i
        p = i - 1
        if p >= lo and lines.stripped[p] and p not in taken and len(lines.stripped[p]) <= 20 \
                and _letterhead_line(lines.stripped[p]) and lines.stripped[p].isupper() \
                and " " not in lines.stripped[p]:  # a country above it: "USSR"
            first = p
        last = i
        k = i + 1
        while k < start and lines.stripped[k] and k not in taken and k - i < 4:
            nxt = lines.stripped[k]
            if not _letterhead_line(nxt) or len(nxt) > 70:
                break
            if not (_CONTINUES_HEAD.match(nxt) or _ORG.search(nxt) or (
                    len(nxt.split()) <= 2 and nxt[:1].isupper() and not _date_line(nxt))):
                break
            last = k
            k += 1
        s = lines.strip_span(first)[0]
        e = lines.strip_span(last)[1]
        b.add("origin", s, e, value=b.text[s:e])
        return True
    return False


def _letterhead_line(st: str) -> bool:
    """A line that can be part of a letterhead (short, no number, no sentence, no label)."""
    if len(st) > 80 or any(c.isdigit() for c in st) or st.endswith((".", ":", "!", "?")):
        return False
    if st.startswith(("[", "(", "To ", "TO ", "From ", "FROM ")) or _LABEL_START.match(st):
        return False
    return not (vocab.classification_re().fullmatch(st) or _salutation().match(st))


def _field_lines(b: SpanBuilder, lines: Lines) -> set[int]:
    """Lines already read as a field (other than page metadata and marks)."""
    out: set[int] = set()
    for sp in b.spans:
        if sp.kind in ("pagemeta", "supplied", "noteref", "illegible", "unclear", "token"):
            continue
        if sp.start is not None and sp.end is not None:
            out.update(range(lines.line_of(sp.start), lines.line_of(max(sp.start, sp.end - 1)) + 1))
    return out
