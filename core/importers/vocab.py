"""The importers' vocabularies: terms per language and agency, kept as data in vocab/*.toml.

Precedence and classification terms, list labels, number signs, salutations, document
types and signature marks are data, not code: a term an archive uses that the reader does
not know is added to a file, and every recogniser that reads that vocabulary knows it.
"""
from __future__ import annotations

import re
import sys
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_PACKAGE = "emendo.core.importers"


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed vocabulary file ``vocab/<name>.toml``."""
    data = resources.files(_PACKAGE).joinpath("vocab", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(data)


def terms(name: str, section: str, key: str | None = None) -> list[str]:
    """Every term of a section (all languages), or of one key of it; longest first."""
    table = load(name)[section]
    if key is not None:
        values = list(table[key])
    else:
        values = [t for v in table.values() for t in (v if isinstance(v, list) else [])]
    seen: dict[str, None] = {}
    for t in values:
        seen.setdefault(t, None)
    return sorted(seen, key=len, reverse=True)


def alternation(words: list[str], spaced: bool = False) -> str:
    """A regex alternation of words (longest first), any run of white space between words.

    ``spaced`` adds the letter-spaced typewriter form of each one-word Latin term
    ("S E C R E T").
    """
    alts = []
    for w in sorted(words, key=len, reverse=True):
        alts.append(r"\s+".join(re.escape(p) for p in w.split()))
    if spaced:
        for w in sorted(words, key=len, reverse=True):
            letters = w.replace(" ", "")
            if letters.isascii() and letters.isalpha() and len(letters) >= 5:
                alts.append(r"\s".join(re.escape(c) for c in letters.upper()))
    return "(?:" + "|".join(alts) + ")"


@cache
def classification_re() -> re.Pattern[str]:
    """A classification term anywhere (word-bounded, case-insensitive, spaced forms too)."""
    return re.compile(r"(?<![\w])" + alternation(terms("classification", "terms"), spaced=True)
                      + r"(?![\w])", re.IGNORECASE)


@cache
def priority_re() -> re.Pattern[str]:
    """A precedence term of any language (word-bounded, case-insensitive)."""
    return re.compile(r"(?<![\w])" + alternation(terms("precedence", "terms")) + r"(?![\w])",
                      re.IGNORECASE)


@cache
def us_precedence_re() -> re.Pattern[str]:
    """A US precedence word or phrase, upper or lower case (word-bounded)."""
    return re.compile(r"(?<![\w])" + alternation(terms("precedence", "us", "terms"))
                      + r"(?![\w])", re.IGNORECASE)


@cache
def priority_label_re() -> re.Pattern[str]:
    """'Priority:', 'Status:', 'Срочность:' … at a line's start, the value after it."""
    return re.compile(r"^(?P<label>" + alternation(terms("precedence", "labels"))
                      + r")\s*[:：]\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)


@cache
def list_label_re() -> re.Pattern[str]:
    """A list label at a line's start (or after an opening parenthesis), then its colon."""
    return re.compile(r"^\(?(?P<label>" + alternation(terms("labels", "lists"))
                      + r")\s*[:：]\s*", re.IGNORECASE)


@cache
def number_sign_re() -> re.Pattern[str]:
    """A number sign followed by a number: 'No. 1309', 'Nº 7412', 'nr 4122', '# 4/2-1187'."""
    signs = [re.escape(s) for s in terms("labels", "numbers", "signs")]
    return re.compile(r"(?<![\w])(?P<sign>" + "|".join(signs) + r")\s*(?P<n>[\w()\-]{0,12}?\d"
                      r"[\w\-/.]*\w|\d)", re.IGNORECASE)


@cache
def doctype_re() -> re.Pattern[str]:
    """A heading that is a document type ('CIPHERED TELEGRAM', 'V e r m e r k', '电报')."""
    words = terms("labels", "doctypes")
    return re.compile(r"^(?:[^\d:：]{0,60}\s)?" + alternation(words, spaced=True) + r"$",
                      re.IGNORECASE)


@cache
def salutation_re() -> re.Pattern[str]:
    """A salutation or 'To' addressee at a line's start."""
    words = terms("labels", "addressee", "salutations")
    return re.compile(r"^(?:" + alternation(words) + r")(?=[\s.])", re.IGNORECASE)


@cache
def signature_mark_re() -> re.Pattern[str]:
    """A signature mark ('/-/', '(signed)', 'gez.') at a line's start, the name after it."""
    marks = [re.escape(m) for m in terms("labels", "signature", "marks")]
    return re.compile(r"^(?:" + "|".join(marks) + r")\s*(?P<v>\S.{0,60}?)\.?$", re.IGNORECASE)
