"""Round 10 of issue 10: entity misses and false hits that recur across held-out-7 to held-out-10.

Decision rule, written and committed before any rule changed in this round (after only the
behaviour-preserving merge of the body word lists, ``body_words.py``):

* Data roles. Design: ``held-out-7``, ``held-out-8``, ``held-out-9`` and ``held-out-10``, all spent
  blind splits, pooled (48 documents, 462 labels) and listed per document while rules are written.
  Blind: ``held-out-11`` (and the grounding set ``fresh-9``), never read or run here.
* Means. A fix attacks a class of error that occurs in at least two of the four design splits, by
  a general means: a lexical resource built from public data with its provenance, a library, a
  better use of the LAC or CRF votes, or a rule over closed-class words (endings, function words,
  verbs). No name seen in a design document goes into a hand list.
* A change (one class of fix, one commit) is kept only if
  1. micro F1 on the four design splits pooled rises;
  2. no single split the benchmark prints (held-out-10 … held-out-2, tune-3 … dev, tuning) loses
     more than .010 micro F1;
  3. on the pooled design splits no type's precision falls by more than .020 (the target is
     P >= .90 per type: recall bought with precision does not count);
  4. the seed article (``shared/seed``) keeps every person, organization and place it had.
  Otherwise it is reverted. Figures: ``BENCHDOC=0 python benchmarks/extraction.py --split NAME``
  (pooled: the sums of the four splits' counts).
* Each kept fix has a test here that fails on the round's starting code (``c92069f``) and a
  near-miss twin that must keep its old reading.

Every sentence and name in these tests is written for the test (none is taken from a labelled or
evaluation document).
"""

from __future__ import annotations

from entity_lookups import organizations, people, places

# --- chambers of commerce: 商会 ends a named body like 协会 ---------------------------------


def test_a_chamber_of_commerce_named_by_its_country_is_one_body() -> None:
    found = organizations("乌兹别克斯坦工商会副主席在开幕式上致辞。")
    assert list(found) == ["乌兹别克斯坦工商会"]
    assert "乌兹别克斯坦" not in places("乌兹别克斯坦工商会副主席在开幕式上致辞。")


def test_a_chamber_with_its_members_before_it_is_one_body() -> None:
    found = organizations("肯尼亚华人华侨总商会会长向学校捐赠了图书。")
    assert list(found) == ["肯尼亚华人华侨总商会"]


def test_a_chamber_named_by_no_proper_word_is_no_body() -> None:
    assert organizations("两家企业决定联合成立商会。") == {}
    assert organizations("会后各地商会代表合影留念。") == {}


# --- a country that only gives people a nationality is no place -----------------------------


def test_a_country_naming_a_players_nationality_is_no_place() -> None:
    assert places("首轮比赛中，她击败了克罗地亚选手。") == {}


def test_a_country_naming_a_directors_and_an_actors_nationality_is_no_place() -> None:
    assert places("评委还有葡萄牙导演和挪威演员。") == {}


def test_a_country_whose_office_a_person_holds_stays_a_place() -> None:
    assert "克罗地亚" in places("克罗地亚总统表示欢迎。")


def test_a_country_also_named_as_a_place_stays_a_place() -> None:
    assert "克罗地亚" in places("克罗地亚选手在克罗地亚首都夺冠。")


# --- a country's name and a kind of body name a kind, not one body ---------------------------


def test_a_country_and_a_kind_of_body_name_no_body_and_no_place() -> None:
    text = "越来越多的瑞典大学开始接受申请。一家瑞典公司也表示欢迎。"
    assert organizations(text) == {}
    assert places(text) == {}


def test_a_university_named_after_its_city_stays_a_body() -> None:
    assert "斯德哥尔摩大学" in organizations("斯德哥尔摩大学开始接受申请。")


def test_a_countrys_bank_stays_a_body() -> None:
    assert "日本银行" in organizations("日本银行宣布维持利率不变。")


# --- the gazetteer holds subdivisions below the first level (pycountry's ISO 3166-2) -------


def test_a_province_under_an_island_group_is_read_whole() -> None:
    assert "北苏门答腊省" in places("地震发生在印尼北苏门答腊省。")


def test_a_county_below_the_first_level_is_a_place() -> None:
    assert "阿伯丁郡" in places("他们前往英国阿伯丁郡考察。")


def test_a_two_character_county_name_stays_a_persons() -> None:
    found = places("约克在会上发言，随后表示同意。")
    assert "约克" not in found


# --- large foreign cities whose names jieba's dictionary tags as a person's -------------------


def test_a_large_city_jieba_calls_a_persons_name_is_a_place() -> None:
    assert places("他们在乌兰巴托会面。") == {"乌兰巴托": "Ulan Bator"}
    assert "克拉科夫" in places("球队在克拉科夫训练。")


def test_a_small_towns_name_that_is_a_storms_stays_no_place() -> None:
    assert "道格拉斯" not in places("夏威夷飓风道格拉斯正在逼近。")


# --- a city written before a national body or firm only says where it is -------------------


def test_a_city_before_a_national_firms_short_name_is_a_place() -> None:
    text = "杭州中石化加油站今天降价。"
    assert list(organizations(text)) == ["中石化"]
    assert list(places(text)) == ["杭州"]


def test_a_city_before_a_national_body_is_a_place() -> None:
    text = "演出在上海国家大剧院举行。"
    assert list(organizations(text)) == ["国家大剧院"]
    assert list(places(text)) == ["上海"]


def test_a_city_before_its_own_body_stays_part_of_the_name() -> None:
    assert "南通高新区党工委" in organizations("南通高新区党工委召开会议。")


# --- a transliterated name LAC reads in pieces is one person ---------------------------------


def test_two_touching_pieces_of_a_transliterated_name_are_one_person() -> None:
    assert list(people("消防员莫哈末阿兹周五殉职，警方等待完整报告。")) == ["莫哈末阿兹"]


def test_a_name_cut_before_its_last_syllable_is_read_whole() -> None:
    assert list(people("感谢索斯盖特和足总邀请我。")) == ["索斯盖特"]


def test_a_title_lac_reads_into_a_name_stays_out_of_it() -> None:
    assert list(people("英国安德鲁王子周五出席了活动。")) == ["安德鲁"]
