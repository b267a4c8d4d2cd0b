"""Language detection: the scripts and words of a transcription give its BCP 47 code."""
from __future__ import annotations

from pathlib import Path

import pytest

from emendo.core.importers import import_path
from emendo.core.language import detect_language, is_language_code, language_name, script_runs

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize(("text", "code"), [
    ("The Ambassador met the Minister of Foreign Affairs and was told that the talks "
     "would resume in the spring.", "en"),
    ("Посол встретился с министром иностранных дел, и ему сказали, что переговоры "
     "возобновятся весной.", "ru"),
    ("大使会见了外交部长，并被告知会谈将于春季恢复。", "zh"),
    ("Der Botschafter hat mit dem Minister über die Lage gesprochen, und es wird nicht "
     "besser.", "de"),
    ("Ambasador rozmawiał z ministrem o sytuacji i nie jest to dobre dla nas.", "pl"),
    ("A nagykövet a miniszterrel beszélt, és azt mondta, hogy nem lesz jobb.", "hu"),
    ("L'ambassadeur a rencontré le ministre et il nous a dit que les pourparlers sont "
     "suspendus.", "fr"),
    ("Посол зустрівся з міністром і сказав, що переговори відновляться навесні.", "uk"),
])
def test_detects_the_main_language(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_too_little_text_is_not_guessed() -> None:
    assert detect_language("12 / 34") is None
    assert detect_language("PRC FMA") is None


def test_corpus_documents_get_their_language_on_import() -> None:
    langs = {p.name[:3]: import_path(p).language for p in sorted((DATA / "corpus").glob("*.txt"))}
    assert langs["025"] == "ru"
    assert langs["027"] == "zh"
    assert langs["000"] == "en"
    frus = import_path(next(DATA.glob("x04_*.xml")))
    assert frus.language == "en"


def test_runs_of_another_script_are_found() -> None:
    text = "报告人А.Н.柯西金同志"
    runs = list(script_runs(text, "zh"))
    assert runs == [(3, 7, "ru")]
    assert text[3:7] == "А.Н."
    # Latin codes inside Chinese are not tagged as English.
    assert list(script_runs("文件SD11468号", "zh")) == []
    assert list(script_runs("Only English here.", "en")) == []


def test_codes_and_names() -> None:
    assert language_name("ru") == "Russian"
    assert language_name(None) == ""
    assert language_name("xx") == "xx"
    assert is_language_code("zh-Hant") and is_language_code("en")
    assert not is_language_code("English") and not is_language_code("e n")
