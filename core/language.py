"""The language of a transcription: detected from its scripts and words, or set by the user.

Codes are BCP 47 primary tags (``en``, ``ru``, ``zh``), the form TEI's ``@xml:lang``, HTML's
``lang`` and PDF and DOCX metadata take.  Detection looks at the letters' scripts first
(Han, Cyrillic, Greek, Arabic, …) and, for Latin text, counts the commonest short words of
each language the archives publish in; it never guesses from fewer than a handful of words.
:func:`script_runs` finds passages in another script than the document's (Cyrillic initials
inside a Chinese text), so that editions can mark them with their own language.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

# Languages offered in the record panel, in its order (the name in English, then its own).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ru": "Russian",
    "zh": "Chinese",
    "de": "German",
    "fr": "French",
    "pl": "Polish",
    "hu": "Hungarian",
    "cs": "Czech",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "ro": "Romanian",
    "bg": "Bulgarian",
    "uk": "Ukrainian",
    "sr": "Serbian",
    "vi": "Vietnamese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
    "fa": "Persian",
    "he": "Hebrew",
    "el": "Greek",
    "mn": "Mongolian",
}

# The commonest short words of each Latin-script language (function words only, so that
# names and subject matter do not sway the count).
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in is that for was on with as by at from this which be are "
                    "it not have has were an or".split()),
    "de": frozenset("der die das und ist nicht mit den von zu des dem sich auf für ein eine "
                    "im wir auch es wird werden über".split()),
    "fr": frozenset("le la les et des est que pour dans une du en qui par sur pas au avec "
                    "ce il nous sont aux".split()),
    "pl": frozenset("i w na z się że do nie jest to o przez od jak oraz ich jego po dla "
                    "być tym".split()),
    "hu": frozenset("a az és hogy nem is egy van meg de ez azt már csak volt mint vagy el "
                    "kell".split()),
    "cs": frozenset("a v na se že je to s z do o jako by jsou pro ale také jeho od".split()),
    "es": frozenset("el la los las y de que en es por un una con para del se al no su "
                    "como".split()),
    "it": frozenset("il la di che e è per un una non con del della dei sono nel al si "
                    "come".split()),
    "pt": frozenset("o a os as de que e do da em um uma para com não por se dos das "
                    "como".split()),
    "ro": frozenset("și de la în cu că pe din care este un o nu să al ale pentru".split()),
    "vi": frozenset("và của là có trong không được cho những với các một người này đã".split()),
}
_WORD = re.compile(r"[^\W\d_]+")
_MIN_WORDS = 5
_UKRAINIAN = frozenset("іїєґ")
_BULGARIAN_HINTS = ("ъ",)  # common in Bulgarian, rare (hard sign) in modern Russian
_SERBIAN = frozenset("ђјљњћџ")


def script_of(ch: str) -> str | None:
    """The script of a letter ('Latin', 'Cyrillic', 'Han', …), or None for other characters."""
    if not ch.isalpha():
        return None
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "Kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "Hangul"
    if (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2FA1F):
        return "Han"
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    word = name.split(" ", 1)[0]
    if word in ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "DEVANAGARI", "THAI",
                "GEORGIAN", "ARMENIAN", "MONGOLIAN"):
        return word.capitalize()
    if word in ("FULLWIDTH", "HALFWIDTH") and "LATIN" in name:
        return "Latin"
    if "CJK" in name:
        return "Han"
    return None


# Code point ranges of the scripts detection tells apart, in order, for a bisection.
_RANGES: list[tuple[int, int, str]] = [
    (0x0370, 0x03FF, "Greek"), (0x0400, 0x052F, "Cyrillic"), (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"), (0x0600, 0x06FF, "Arabic"), (0x0900, 0x097F, "Devanagari"),
    (0x0E00, 0x0E7F, "Thai"), (0x10A0, 0x10FF, "Georgian"), (0x1100, 0x11FF, "Hangul"),
    (0x1E00, 0x1EFF, "Latin"), (0x3040, 0x30FF, "Kana"), (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"), (0xAC00, 0xD7AF, "Hangul"), (0xF900, 0xFAFF, "Han"),
]
_RANGE_STARTS = [r[0] for r in _RANGES]
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]+")
_OTHER = re.compile("[\u0370-\uffff]+")
_SAMPLE = 1200
_WORDS_SAMPLE = 800


def _range_script(ch: str) -> str | None:
    code = ord(ch)
    i = bisect.bisect_right(_RANGE_STARTS, code) - 1
    if i >= 0 and code <= _RANGES[i][1]:
        return _RANGES[i][2]
    return None


def _script_counts(text: str) -> Counter[str]:
    # Two regex passes in C over a sample, then one lookup per distinct character: a
    # cable's detection costs tens of microseconds, not a Python loop over its letters.
    sample = text[:_SAMPLE]
    counts: Counter[str] = Counter()
    latin = sum(map(len, _LATIN.findall(sample)))
    if latin:
        counts["Latin"] = latin
    if not sample.isascii():
        for ch, n in Counter("".join(_OTHER.findall(sample))).items():
            script = _range_script(ch)
            if script is not None:
                counts[script] += n
    return counts


def detect_language(text: str) -> str | None:
    """The BCP 47 code of the text's main language, or None when it cannot be told."""
    counts = _script_counts(text)
    if not counts:
        return None
    # CJK characters carry a word each: weigh them against a word's worth of letters.
    weighted = Counter({s: n * (3 if s in ("Han", "Kana", "Hangul") else 1)
                        for s, n in counts.items()})
    script = weighted.most_common(1)[0][0]
    if script in ("Han", "Kana"):
        return "ja" if counts.get("Kana", 0) > counts.get("Han", 0) * 0.1 else "zh"
    if script == "Hangul":
        return "ko"
    if script == "Cyrillic":
        return _cyrillic_language(text)
    if script == "Latin":
        return _latin_language(text)
    return {"Greek": "el", "Arabic": "ar", "Hebrew": "he", "Georgian": "ka",
            "Armenian": "hy", "Devanagari": "hi", "Thai": "th",
            "Mongolian": "mn"}.get(script)


def _cyrillic_language(text: str) -> str:
    sample = text[:_SAMPLE].lower()
    if any(c in sample for c in _UKRAINIAN):
        return "uk"
    if any(c in sample for c in _SERBIAN):
        return "sr"
    words = _WORD.findall(sample)
    if words and sum(1 for w in words if w.endswith(_BULGARIAN_HINTS)) > len(words) * 0.05:
        return "bg"
    return "ru"


def _latin_language(text: str) -> str | None:
    # A few hundred words settle it; counting them once and looking up each language's
    # short list in the counts keeps this to tens of microseconds a cable.
    counts = Counter(_WORD.findall(text[:_WORDS_SAMPLE].lower()))
    if sum(counts.values()) < _MIN_WORDS:
        return None
    scores = {lang: sum(counts[w] for w in stop if w in counts)
              for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 2:
        return None
    return best


def language_name(code: str | None) -> str:
    """A language's English name for the record panel ('' for None, the code if unknown)."""
    if not code:
        return ""
    return LANGUAGES.get(code.split("-", 1)[0], code)


def is_language_code(code: str) -> bool:
    """True for a well-formed BCP 47 tag of the simple forms Emendo writes (``en``, ``zh-Hant``)."""
    return re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", code) is not None


def script_runs(text: str, main: str | None) -> Iterator[tuple[int, int, str]]:
    """Passages ``(start, end, code)`` written in another script than the main language's.

    A run spans letters of one script and the spaces and punctuation between them; a run
    of Cyrillic inside Chinese text (``А.Н.柯西金``) gives ``(0, 4, "ru")``.
    """
    home = _home_script(main)
    if home is None:
        return
    # Latin letters inside another script are mostly codes and initialisms (SD11468), not
    # English: they are left untagged.
    codes = {"Cyrillic": "ru", "Han": "zh",
             "Greek": "el", "Arabic": "ar", "Hebrew": "he", "Kana": "ja", "Hangul": "ko"}
    start = -1
    current: str | None = None
    last_letter = -1
    for i, ch in enumerate(text):
        s = script_of(ch)
        if s is None:
            continue
        if s == "Kana" and home == "Han":
            s = "Han"
        if s != home and s == current:
            last_letter = i
            continue
        if current is not None and current != home:
            code = codes.get(current)
            if code:
                yield (start, _run_end(text, last_letter), code)
        current = s
        start = i
        last_letter = i
    if current is not None and current != home:
        code = codes.get(current)
        if code:
            yield (start, _run_end(text, last_letter), code)


def _run_end(text: str, last_letter: int) -> int:
    """Just past the run's last letter, taking an abbreviation's full stop with it."""
    end = last_letter + 1
    if end < len(text) and text[end] == ".":
        end += 1
    return end


def _home_script(code: str | None) -> str | None:
    if not code:
        return None
    primary = code.split("-", 1)[0]
    if primary in ("zh", "ja"):
        return "Han"
    if primary == "ko":
        return "Hangul"
    if primary in ("ru", "uk", "bg", "sr", "mn", "be", "mk", "kk"):
        return "Cyrillic"
    if primary == "el":
        return "Greek"
    if primary in ("ar", "fa", "ur"):
        return "Arabic"
    if primary == "he":
        return "Hebrew"
    return "Latin"
