"""The termbase: leftmost-longest matching, title composition, user extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.text import prepare
from summarizer.text.analysis.glossary import Entry, Glossary, default_glossary, load_glossary


def terms(glossary: Glossary, text: str) -> list[str]:
    return [match.entry.term for match in glossary.finditer(text)]


def test_longest_entry_wins_over_its_parts() -> None:
    glossary = default_glossary()
    assert terms(glossary, "区委副书记、区长吴瑕") == ["区委副书记", "区长"]
    assert terms(glossary, "区人大常委会主任陈艳梅") == ["区人大常委会主任"]


def test_matching_is_leftmost_then_longest() -> None:
    glossary = Glossary([Entry("ab", "AB", "term"), Entry("bcd", "BCD", "term")])
    assert terms(glossary, "abcd") == ["ab"]  # leftmost wins even when a later match is longer
    assert terms(glossary, "xbcd") == ["bcd"]


@pytest.mark.parametrize(
    ("term", "english"),
    [
        ("区委书记", "Secretary of the District Party Committee"),
        ("区长", "District Mayor"),
        (
            "区人大常委会主任",
            "Director of the Standing Committee of the District People's Congress",
        ),
        ("区政协主席", "Chairman of the District CPPCC Committee"),
        ("党工委", "Party Working Committee"),
        ("务虚会", "theory-oriented (strategy) meeting"),
        ("“十五五”", "15th Five-Year Plan period"),
        ("十五五", "15th Five-Year Plan period"),
        ("十四五", "14th Five-Year Plan period"),
        ("四套班子", "the four leading bodies"),
        ("二十届四中全会", "Fourth Plenary Session of the 20th CPC Central Committee"),
        ("高新区", "High-tech Zone"),
        ("通州", "Tongzhou"),
        ("江苏", "Jiangsu"),
    ],
)
def test_shipped_entries(term: str, english: str) -> None:
    assert default_glossary().english(term) == english


def test_shipped_glossary_is_substantial_and_kinds_are_known() -> None:
    glossary = default_glossary()
    assert len(glossary) >= 400
    assert {entry.kind for entry in glossary.entries.values()} <= {
        "title",
        "role",
        "org",
        "place",
        "term",
        "topic",
    }


def test_titles_compose_when_no_full_entry_exists() -> None:
    glossary = default_glossary()
    assert "南通高新区党工委常务副书记" not in glossary.entries
    assert glossary.translate_title("南通高新区党工委常务副书记") == (
        "Executive Deputy Secretary of the Nantong High-tech Zone Party Working Committee"
    )
    assert glossary.translate_title("区委宣传部副部长") == (
        "Deputy Head of the Publicity Department of the District Party Committee"
    )
    assert glossary.translate_title("南通市市长") == "Mayor of Nantong"
    # a complete title already names its body
    assert glossary.translate_title("区政府副区长") == "Deputy District Mayor"
    # an unknown body is not guessed
    assert glossary.translate_title("某某司司长") is None


def test_composed_body_names() -> None:
    glossary = default_glossary()
    assert glossary.translate_name("南通高新区党工委") == (
        "Nantong High-tech Zone Party Working Committee"
    )
    assert glossary.translate_name("某某公司") is None


def test_user_file_extends_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text(
        "# my terms\n区长\tHead of District\ttitle\n星湖\tXinghu Lake\tplace\n", "utf-8"
    )
    glossary = load_glossary(extra_files=[extra])
    assert glossary.english("区长") == "Head of District"
    assert glossary.english("星湖") == "Xinghu Lake"
    assert glossary.english("区委书记") == "Secretary of the District Party Committee"


def test_env_var_names_extra_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "env.tsv"
    extra.write_text("星湖\tXinghu Lake\tplace\n", "utf-8")
    monkeypatch.setenv("SUMMARIZER_GLOSSARY", str(extra))
    assert default_glossary().english("星湖") == "Xinghu Lake"
    monkeypatch.delenv("SUMMARIZER_GLOSSARY")
    assert default_glossary().english("星湖") is None


def test_bad_user_file_is_a_config_error_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("星湖\tXinghu Lake\tlake\n", "utf-8")
    with pytest.raises(ConfigError, match=r"bad\.tsv:1: unknown glossary kind 'lake'"):
        load_glossary(extra_files=[bad])
    with pytest.raises(ConfigError, match="cannot read glossary file"):
        load_glossary(extra_files=[tmp_path / "missing.tsv"])
    lonely = tmp_path / "lonely.tsv"
    lonely.write_text("星湖\n", "utf-8")
    with pytest.raises(ConfigError, match=r"lonely\.tsv:1"):
        load_glossary(extra_files=[lonely])


def test_title_body_names_the_organization() -> None:
    glossary = default_glossary()
    assert glossary.title_body("区委书记") == "District Party Committee"
    assert glossary.title_body("南通高新区党工委常务副书记") == (
        "Nantong High-tech Zone Party Working Committee"
    )
    assert glossary.title_body("记者") is None


def test_place_keeps_its_level_unless_a_term_starts_there() -> None:
    glossary = default_glossary()
    assert [(m.entry.term, m.entry.english) for m in glossary.finditer("四川省泸州")] == [
        ("四川省", "Sichuan Province"),
        ("泸州", "Luzhou"),
    ]
    assert terms(glossary, "南通市委") == ["南通", "市委"]


def _reference_matches(glossary: Glossary, text: str) -> list[tuple[int, str]]:
    """Leftmost-longest by brute force: at each position try every length, longest first."""
    longest = max(len(term) for term in glossary.entries)
    found = []
    position = 0
    while position < len(text):
        for length in range(longest, 0, -1):
            entry = glossary.get(text[position : position + length])
            if entry is not None:
                found.append((position, entry.term))
                position += length
                break
        else:
            position += 1
    return found


def test_matcher_agrees_with_brute_force_on_overlapping_terms() -> None:
    glossary = Glossary(
        [Entry(term, term.upper(), "term") for term in ("a", "ab", "abc", "abd", "bcd", "cd", "d")]
    )
    for text in ("abcd", "ababd", "xabcdabdcd", "dddabc", "bcbcd", ""):
        assert [(m.start, m.entry.term) for m in glossary.finditer(text)] == _reference_matches(
            glossary, text
        )


def test_matcher_agrees_with_brute_force_on_the_seed() -> None:
    seed = Path(__file__).resolve().parents[3] / "examples" / "tongzhou_2025-12-13_scraped.txt"
    text = prepare(seed.read_bytes()).text
    # Terms that start with a place are also tried with its level (四川省), so drop the levels
    # from the comparison by matching against a glossary without places.
    glossary = Glossary(e for e in default_glossary().entries.values() if e.kind != "place")
    found = [(m.start, m.entry.term) for m in glossary.finditer(text)]
    assert len(found) > 50
    assert found == _reference_matches(glossary, text)


def test_terms_with_regex_characters_and_an_empty_glossary() -> None:
    glossary = Glossary([Entry("C++", "C plus plus", "term"), Entry("(a)", "A", "term")])
    assert terms(glossary, "C++ and (a) not C+") == ["C++", "(a)"]
    assert list(Glossary([]).finditer("任何文字")) == []
