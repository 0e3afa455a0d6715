"""The lexicons behind repairs: the shipped character table, and jieba loaded only when needed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from summarizer.eval.goldset import load_set
from summarizer.text import prepare
from summarizer.text.repair import lexicon, mojibake


def test_shipped_char_counts_match_the_installed_jieba_dictionary() -> None:
    shipped = lexicon.read_char_counts()
    assert len(shipped) > 10_000
    assert shipped == lexicon.count_chars(lexicon.word_frequencies()), (
        "jieba's dictionary changed: regenerate with "
        "summarizer.text.repair.lexicon.write_char_counts()"
    )


def test_char_counts_file_round_trips_awkward_characters(tmp_path: Path) -> None:
    counts = {"#": 3, "中": 10, "&": 1, "𠀀": 2}
    path = tmp_path / "counts.tsv"
    path.write_text(lexicon.format_char_counts(counts, "a test"), encoding="utf-8")
    assert lexicon.read_char_counts(path) == counts


def _forbid_jieba(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> dict[str, int]:
        raise AssertionError("jieba's dictionary was loaded")

    monkeypatch.setattr(lexicon, "word_frequencies", refuse)


def test_clean_text_never_loads_jieba(monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_jieba(monkeypatch)
    articles = [example.source for example in load_set("zh-news-summaries").examples]
    for article in articles:
        document = prepare(article)
        assert document.text
    # Rare but real characters are examined as possible mojibake, still without jieba.
    document = prepare("琥珀色的酒樽，璀璨夺目。")
    assert document.text == "琥珀色的酒樽，璀璨夺目。" and not document.repairs
    # Legacy encodings are chosen by character plausibility, also without jieba.
    gbk = prepare("区委召开务虚会暨调研成果交流会，深入学习贯彻全会精神。".encode("gbk"))
    assert gbk.encoding == "gbk"


def test_mojibake_is_repaired_without_jieba(monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_jieba(monkeypatch)
    misread = "文章发布时间".encode().decode("gbk")
    document = prepare(f"private Date time;//{misread}")
    assert document.text == "private Date time;//文章发布时间"
    assert [repair.kind for repair in document.repairs] == ["mojibake"]


def test_shipped_syllables_match_the_installed_pypinyin() -> None:
    shipped = lexicon.syllable_inventory()
    readings = lexicon.readings_in_pypinyin()
    assert shipped == readings | {lexicon.strip_tones(reading) for reading in readings}, (
        "pypinyin's readings changed: regenerate with "
        "summarizer.text.repair.lexicon.write_syllables()"
    )
    assert {"bào", "bao", "zhōng", "lǜ", "lü"} <= shipped


def test_an_english_gloss_needs_no_pinyin_readings(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> object:
        raise AssertionError("pypinyin's dictionary was consulted")

    for name in ("readings_of", "chars_read_mainly", "readings_in_pypinyin"):
        monkeypatch.setattr(lexicon, name, refuse)
    document = prepare("联想（Lenovo）发布新品，售价（RMB）不变。")
    assert document.text == "联想（Lenovo）发布新品，售价（RMB）不变。"
    assert not document.repairs


def test_every_suspicious_character_passes_the_prefilter() -> None:
    table, _ = lexicon._char_log_probabilities()
    simplified = "".join(table)
    traditional = str(lexicon.s2t_converter().convert(simplified))
    prefilter = mojibake._maybe_suspicious()
    for char in set(simplified) | set(traditional):
        if not char.isascii() and mojibake.score(char) < mojibake._SUSPICIOUS:
            assert prefilter.fullmatch(char), char


def _gbk_chars() -> list[str]:
    found = []
    for code in range(0x80, 0x10000):
        try:
            encoded = chr(code).encode("gbk")
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2:
            found.append(chr(code))
    return found


def test_stretches_decode_alike_alone_and_joined() -> None:
    """``_utf8_as_gbk_runs`` re-decodes all stretches at once, joined by newlines."""
    rng = random.Random(5)
    chars = _gbk_chars()
    utf8_words = "文章内容标题摘要发布人用户测试通州区委召开会议"
    for _ in range(2000):
        pieces = ["".join(rng.choice(chars) for _ in range(rng.randint(2, 8)))]
        misread = "".join(rng.choice(utf8_words) for _ in range(6)).encode()
        pieces.append(misread[rng.randint(0, 2) :].decode("gbk", errors="ignore"))
        rng.shuffle(pieces)
        joined = "\n".join(pieces).encode("gbk").decode("utf-8", errors="replace").split("\n")
        alone = [piece.encode("gbk").decode("utf-8", errors="replace") for piece in pieces]
        assert joined == alone
