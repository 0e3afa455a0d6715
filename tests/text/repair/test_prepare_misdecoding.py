"""Every mis-decoding class: repaired where the bytes allow, reported as lost where they do not.

The damaged strings are made the way the accident happens (real bytes through the wrong codec),
from sentences of the shipped clean gold sets or the seed's wording.
"""

from __future__ import annotations

import ftfy  # noqa: F401  (registers the lenient "sloppy-windows-1252" codec browsers use)
import pytest

from summarizer.text import prepare
from summarizer.text.repair import script

SENTENCE = "这是继1949财年以来63年再次出现整个财年无分红的情况。"


@pytest.mark.parametrize("codec", ["sloppy-windows-1252", "latin-1"])
def test_utf8_read_as_a_western_code_page_is_repaired(codec: str) -> None:
    shown = SENTENCE.encode("utf-8").decode(codec)
    document = prepare("正文：" + shown)
    assert document.text == "正文：" + SENTENCE
    repairs = [r for r in document.repairs if r.kind == "mojibake"]
    assert repairs and all(r.certain for r in repairs)
    assert "".join(r.original for r in repairs) in shown.replace("1949", "").replace("63", "")
    assert {w.code for w in document.warnings} == {"mojibake_repaired"}


def test_c1_controls_of_latin1_mojibake_survive_until_repaired() -> None:
    # 内 is E5 86 85: read as Latin-1 the last byte is NEL (U+0085), which must not become a
    # line break, and U+0086 must not be deleted before the repair can use it.
    shown = "文章内容".encode().decode("latin-1")
    assert "\x85" in shown and "\x86" in shown
    assert prepare(shown).text == "文章内容"


def test_no_break_space_lost_to_a_plain_space_is_undone() -> None:
    document = prepare("标题：æ–‡ç« å†…å®¹")
    assert document.text == "标题：文章内容"


def test_stray_c1_controls_are_removed_with_a_warning() -> None:
    document = prepare("区委召开\x81会议")
    assert document.text == "区委召开会议"
    assert "control_characters" in [w.code for w in document.warnings]


@pytest.mark.parametrize(
    "clean",
    [
        "价格——“好”×3°C·李",
        "Café naïve façade — “quoted” … 50€",
        "Ãrpád és Öcsi",  # real Hungarian: Latin-1 letters that do not re-decode as Chinese
    ],
)
def test_western_text_is_left_alone(clean: str) -> None:
    document = prepare(clean)
    assert document.text == clean
    assert not [r for r in document.repairs if r.kind == "mojibake"]


def test_gbk_read_as_utf8_is_reported_lost_not_repaired() -> None:
    shown = SENTENCE.encode("gbk").decode("utf-8", errors="replace")
    document = prepare("正文：" + shown + "\n下一段正常。")
    assert not [r for r in document.repairs if r.kind == "mojibake"]
    lost = [w for w in document.warnings if w.code == "text_lost"]
    assert lost, document.warnings
    for warning in lost:
        assert warning.start is not None and warning.end is not None
        assert "\ufffd" in document.text[warning.start : warning.end]
        assert "lost" in warning.message and "not repaired" in warning.message
    assert document.text.endswith("下一段正常。")


def test_gbk_out_of_step_for_two_characters_is_repaired() -> None:
    clean = "要说最近能让人真切感受到肌肉之美的，莫过于结束不久的冬奥会。"
    raw = clean.encode("gbk")
    lost_byte = raw.index("肉".encode("gbk")) + 1  # 肉 loses its second byte
    shown = (raw[:lost_byte] + raw[lost_byte + 1 :]).decode("gbk", errors="replace")
    shown = shown.replace("\ufffd", "?")
    assert shown == "要说最近能让人真切感受到肌戎?美的，莫过于结束不久的冬奥会。"
    document = prepare(shown)
    assert document.text == clean
    (repair,) = document.repairs
    assert repair.kind == "mojibake" and repair.original == "戎?" and not repair.certain
    assert [w.code for w in document.warnings] == ["mojibake_repaired"]


def test_gbk_out_of_step_ending_on_an_ascii_byte_is_repaired() -> None:
    document = prepare("先别慌，这里说的羌仔虷1N1流感，")
    assert "甲型H1N1流感" in document.text
    (repair,) = document.repairs
    assert repair.kind == "mojibake" and not repair.certain


def test_a_question_mark_after_a_question_is_left_alone() -> None:
    for text in ("你知道吗?很多假羊肉串实为鸭肉", "会不会影响健康?北京大学第一医院"):
        document = prepare(text)
        assert document.text == text
        assert not document.repairs and not document.warnings


def test_a_decoder_mark_that_cannot_be_worked_out_is_flagged() -> None:
    document = prepare("随着生活条?的改善，传统年货")
    assert document.text == "随着生活条?的改善，传统年货"
    (warning,) = document.warnings
    assert warning.code == "mojibake_suspected"
    assert (warning.start, warning.end) == (5, 6)


def test_script_conversion_skips_what_is_kept() -> None:
    edits = script.simplify_edits("區委會議", keep=[(0, 2)])
    assert [(e.start, e.end, e.replacement) for e in edits] == [(2, 4, "会议")]


def test_lost_text_is_not_converted_or_reported_as_script() -> None:
    shown = "這是".encode("big5").decode("utf-8", errors="replace")
    document = prepare("區委會議：" + shown + "。")
    script_repairs = [r for r in document.repairs if r.kind == "script"]
    assert all("\ufffd" not in r.original for r in script_repairs)
    assert "text_lost" in [w.code for w in document.warnings]
