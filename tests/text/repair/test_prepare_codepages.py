"""UTF-8 read as any single-byte code page scrapers meet is repaired; clean text never is.

The damaged strings are made the way the accident happens: real Chinese UTF-8 bytes decoded with
the wrong code page. The clean texts are natural sentences in the scripts those code pages are for.
"""

from __future__ import annotations

import ftfy.bad_codecs  # noqa: F401  (registers the lenient "sloppy-windows-125x" codecs)
import pytest

from summarizer.text import prepare
from summarizer.text.repair.codepage_mojibake import code_pages, codepage_mojibake_edits

SENTENCE = "新华社北京5月20日电，记者从国家统计局获悉，今年一季度经济增长“稳中有进”。"
CODECS = [page.codec for page in code_pages()]


def test_every_code_page_scrapers_meet_is_covered() -> None:
    assert {
        "sloppy-windows-1251",
        "koi8-r",
        "koi8-u",
        "cp866",
        "sloppy-windows-1250",
        "iso-8859-2",
        "macroman",
        "cp437",
    } <= set(CODECS)


@pytest.mark.parametrize("codec", CODECS)
def test_utf8_read_as_a_code_page_is_repaired_with_a_warning_naming_it(codec: str) -> None:
    shown = SENTENCE.encode("utf-8").decode(codec)
    document = prepare("正文：" + shown + "\n下一段正常。")
    assert document.text == "正文：" + SENTENCE + "\n下一段正常。"
    repairs = [r for r in document.repairs if r.kind == "mojibake"]
    assert repairs and all(r.certain for r in repairs)
    warnings = [w for w in document.warnings if w.code == "mojibake_repaired"]
    assert warnings and {w.code for w in document.warnings} == {"mojibake_repaired"}
    label = next(page.label for page in code_pages() if page.codec == codec)
    assert any(label in w.message for w in warnings), [w.message for w in warnings]


@pytest.mark.parametrize("codec", ["sloppy-windows-1251", "koi8-r"])
def test_a_whole_article_read_as_a_cyrillic_code_page_becomes_chinese_again(codec: str) -> None:
    article = "国务院新闻办公室今天举行发布会。\n会议介绍了今年前三季度的经济运行情况。"
    document = prepare(article.encode("utf-8").decode(codec))
    assert document.text == article
    assert document.language == "zh"


def test_one_character_between_digits_is_repaired_when_the_document_vouches_for_it() -> None:
    # 月 alone (between 5 and 20) is three Cyrillic letters: believed because the rest of the
    # document shows the same code page's mojibake.
    shown = SENTENCE.encode("utf-8").decode("sloppy-windows-1251")
    month = "月".encode().decode("sloppy-windows-1251")
    assert "5" + month + "20" in shown
    assert prepare(shown).text == SENTENCE


def test_one_character_alone_is_not_enough_evidence() -> None:
    # The bytes of ``é »`` (French spacing, a no-break space) are UTF-8 for 頻.
    clean = "Il a répondu « oui, c'est arrivé\u00a0» avant de partir."
    assert "é\u00a0»".encode("sloppy-windows-1252").decode("utf-8") == "頻"
    document = prepare(clean)
    assert "頻" not in document.text
    assert not [r for r in document.repairs if r.kind == "mojibake"]


CLEAN_CYRILLIC = {
    "russian": (
        "Правительство утвердило новый бюджет на следующий год. По словам министра, расходы на "
        "образование и здравоохранение вырастут, а шаг за шагом будет сокращён дефицит. "
        "«Это хозяйственный вопрос», — отметил он. Уже в пятницу документ поступит в Думу."
    ),
    "ukrainian": (
        "Уряд України ухвалив рішення щодо підтримки енергетики. Історія цієї галузі знає "
        "чимало криз, проте її фахівці впевнені: ґрунтовні реформи дадуть результат. "
        "Пояснення міністерства з'явиться наступного тижня."
    ),
    "bulgarian": (
        "Министерският съвет одобри днес проекта за бюджет. Според финансовия министър "
        "разходите за отбрана ще се увеличат, а данъците остават непроменени. Решението "
        "предстои да бъде обсъдено в Народното събрание."
    ),
    "serbian": (
        "Влада Србије је данас усвојила нови закон о енергетици. Министарка је рекла да ће "
        "цене струје остати исте до краја године, а нове електране ће бити изграђене уз "
        "подршку ђака, њихових породица и љубитеља природе."
    ),
    "belarusian": (
        "Урад абвясціў аб новых мерах падтрымкі сельскай гаспадаркі. Паводле слоў міністра, "
        "дзяржава выдзеліць дадатковыя сродкі на ўзнаўленне тэхнікі."
    ),
    "macedonian": (
        "Владата денеска ја усвои новата стратегија за енергетика. Министерот изјави дека "
        "ќе се градат нови ветерни паркови и дека ѕидовите на старите згради ќе се обноват."
    ),
}


@pytest.mark.parametrize("text", CLEAN_CYRILLIC.values(), ids=CLEAN_CYRILLIC.keys())
def test_clean_cyrillic_text_is_not_repaired(text: str) -> None:
    assert codepage_mojibake_edits(text) == []
    document = prepare(text)
    assert document.text == text
    assert not document.repairs
    assert not document.warnings


def test_dos_cyrillic_words_that_are_valid_utf8_are_not_taken_for_chinese() -> None:
    # Each of these words, as DOS code page 866 bytes, is valid UTF-8 for a rare Han character.
    for word in ("шаг", "хоз", "уже", "хапуга"):
        assert any("\u3400" <= char <= "\u9fff" for char in word.encode("cp866").decode("utf-8"))
    text = "Каждый шаг хозяйства уже виден, и хапуга не пройдёт. Шаг хоз уже хапуга."
    assert codepage_mojibake_edits(text) == []
    assert prepare(text).text == text


def test_chinese_quoting_a_russian_phrase_is_left_alone() -> None:
    text = "普京在讲话中说：“Россия готова к диалогу”，并表示将继续合作。"
    document = prepare(text)
    assert document.text == text
    assert not [r for r in document.repairs if r.kind == "mojibake"]


@pytest.mark.parametrize("codec", ["iso-8859-5", "iso-8859-2"])
def test_a_c1_next_line_after_a_cyrillic_or_latin2_letter_is_a_byte_not_a_line_end(
    codec: str,
) -> None:
    # 全 is E5 85 A8: read as ISO 8859-5 that is "х", NEL (U+0085) and "Ј".
    clean = "全国公共关系协会其他成员已经发布公告。"
    shown = clean.encode("utf-8").decode(codec)
    assert shown[shown.index("\x85") - 1] > "\xff"
    assert prepare(shown).text == clean


@pytest.mark.parametrize("codec", ["iso-8859-2", "sloppy-windows-1251", "macroman"])
def test_punctuation_alone_between_digits_is_repaired_in_a_damaged_document(codec: str) -> None:
    # ，(EF BC 8C) and ∶ (E2 88 B6) stand alone between digits: three characters with no Han.
    clean = "截至2013年12月，100个城市中有3个城市均价高于3万，比例为3.0∶1和3.2∶1之间。"
    assert prepare(clean.encode("utf-8").decode(codec)).text == clean


def test_clean_quotes_next_to_mojibake_are_left_out_of_the_stretch() -> None:
    # The closing quote after the space is the article's own: it is in Mac Roman too, and joined
    # the stretch, which then was not valid UTF-8 as a whole.
    sentence = "我们会通知申请者前往各地分局领取报生纸 。"
    shown = "“" + sentence.encode("utf-8").decode("macroman") + " ”"
    assert prepare("他说：\n" + shown).text == "他说：\n“" + sentence + " ”"


@pytest.mark.parametrize(
    ("codec", "sentence"),
    [
        ("sloppy-windows-1257", "这也需要坚决谴责一切形式的民粹主义，包括所有工具 。"),  # 具: "·"
        ("sloppy-windows-1251", "目前，几乎所有的迹象都表明，这是一种较温和的疾病 。"),  # 病: "…"
    ],
)
def test_mojibake_ending_in_a_punctuation_byte_before_a_clean_quote_is_repaired(
    codec: str, sentence: str
) -> None:
    shown = sentence.encode("utf-8").decode(codec)
    assert shown[shown.index(" ") - 1] in "·…"
    text = f"他说：\n{shown} ”\n下一段。"
    assert prepare(text).text == f"他说：\n{sentence} ”\n下一段。"
