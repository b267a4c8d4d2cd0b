"""A generated FRUS-style volume file (HistoryAtState/frus structures) for benchmarks.

Each document division has what the Office of the Historian's volume files have: frus:
date attributes, a head with its source note, an opener with a dateline and a date-time,
paragraphs with persons (corresp), glosses, page breaks, footnotes with xml:ids and
cross-references, now and then a table or a labelled list, and a closer with a signature.
"""
from __future__ import annotations

import random
from xml.sax.saxutils import escape

from cables import MONTHS, STATIONS, WORDS, _person

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"


def _words(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def _paragraph(rng: random.Random, d: int, notes: list[int], page: list[int]) -> str:
    parts = []
    for _ in range(rng.randint(2, 5)):
        r = rng.random()
        s = _words(rng, 8, 18)
        if r < 0.3:
            name = _person(rng)
            s += f' <persName corresp="#p_{name.split()[0]}1">{escape(name)}</persName>'
        elif r < 0.45:
            s += ' <gloss target="#t_PRC1">PRC</gloss>'
        elif r < 0.55:
            s += f' <hi rend="italic">{_words(rng, 1, 3)}</hi>'
        elif r < 0.62:
            notes.append(len(notes) + 2)
            n = notes[-1]
            s += (f'<note n="{n}" xml:id="d{d}fn{n}">{_words(rng, 6, 20)}; see '
                  f'<ref target="#d{d}fn1">footnote 1</ref>.</note>')
        elif r < 0.66:
            page[0] += 1
            s += f' <pb n="{page[0]}" xml:id="pg_{page[0]}" facs="{page[0]:04d}"/>'
        parts.append(s + ".")
    return "<p>" + " ".join(parts) + "</p>"


def document(d: int, rng: random.Random, page: list[int]) -> str:
    """One ``div type="document"``."""
    y, m, day = rng.randint(1955, 1957), rng.randint(1, 12), rng.randint(1, 28)
    hh = rng.randint(0, 23)
    when = f"{y}-{m:02d}-{day:02d}T{hh:02d}:00:00-05:00"
    town = rng.choice(STATIONS)
    notes: list[int] = []
    body = "".join(_paragraph(rng, d, notes, page) for _ in range(rng.randint(2, 6)))
    if rng.random() < 0.2:
        rows = "".join(f"<row><cell>{rng.choice(STATIONS).upper()}</cell><cell>"
                       f"{rng.randint(1, 99)}</cell></row>" for _ in range(rng.randint(2, 5)))
        body += f'<table><row role="label"><cell>Post</cell><cell>Count</cell></row>{rows}</table>'
    if rng.random() < 0.2:
        items = "".join(f"<label>({chr(97 + i)})</label><item>{_words(rng, 3, 8)}</item>"
                        for i in range(rng.randint(2, 4)))
        body += f'<list type="ordered">{items}</list>'
    signer = _person(rng)
    return (
        f'<div type="document" xml:id="d{d}" n="{d}" subtype="historical-document" '
        f'frus:doc-dateTime-min="{when}" frus:doc-dateTime-max="{when}">'
        f'<head>{d}. Telegram From the Embassy in <placeName>{town}</placeName> to the '
        f'<gloss type="to">Department of State</gloss><note n="1" xml:id="d{d}fn1" '
        f'type="source">Source: Department of State, Central Files, {rng.randint(100, 999)}.'
        f'{rng.randint(10, 99)}/{m}–{day}{y % 100}. Secret.</note></head>'
        f'<opener><dateline><placeName><hi rend="italic">{town}</hi></placeName>, '
        f'<date when="{when}"><hi rend="italic">{MONTHS[m - 1]} {day}, {y}—{hh % 12 or 12} '
        f'{"a.m." if hh < 12 else "p.m."}</hi></date></dateline></opener>'
        f'{body}<closer><signed><persName corresp="#p_S{d}">{escape(signer)}</persName>'
        f'</signed></closer></div>')


def volume(n: int, seed: int = 1) -> str:
    """A volume file of ``n`` document divisions, as a string."""
    rng = random.Random(seed)
    page = [0]  # the page count so far: page breaks have ids unique in the volume
    docs = "".join(document(d, rng, page) for d in range(1, n + 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="{TEI_NS}" '
            f'xmlns:frus="{FRUS_NS}"><teiHeader><fileDesc><titleStmt><title>Foreign '
            f'Relations, Generated Volume</title></titleStmt><publicationStmt><p>Generated.'
            f'</p></publicationStmt><sourceDesc><p>Generated.</p></sourceDesc></fileDesc>'
            f'</teiHeader><text><body><div type="chapter">{docs}</div></body></text></TEI>\n')
