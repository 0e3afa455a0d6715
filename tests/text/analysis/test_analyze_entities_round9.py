"""Round 9 of issue 10: entity misses and false hits of the design splits held-out-7 and held-out-8.

Decision rule, written and committed before any rule changed in this round:

* Data roles. Design: ``held-out-7`` and ``held-out-8`` (listed per document while rules are
  written). Validation: ``held-out-9`` (spent blind last round; run only as totals per type, never
  listed per document, so no rule is fitted to it). Blind: ``held-out-10``, never touched here.
* A change (one class of fix, one commit) is kept only if
  1. micro F1 on held-out-7 and held-out-8 pooled rises, and neither split's micro F1 falls;
  2. held-out-9 micro F1 does not fall by more than .010, and no type's F1 on held-out-9
     (person, organization, place) falls by more than .010;
  3. the older splits the benchmark prints by default (held-out-6 … held-out, tuning) lose no
     more than .010 micro F1 each;
  4. the seed article (``shared/seed``) keeps every person, organization and place it had.
  Otherwise it is reverted. Figures: ``BENCHDOC=0 python benchmarks/extraction.py --split NAME``.
* Each kept fix has a test here that fails on the round's starting code (``d4d1fb4``) and a
  near-miss twin that must not be tagged.

Every sentence and name in these tests is written for the test (none is taken from a labelled or
evaluation document).
"""

from __future__ import annotations

from entity_lookups import organizations, run

# --- bodies named by plain words and their ending (plain_bodies) ------------------------------


def test_a_council_of_plain_nouns_is_a_body() -> None:
    assert "农民代表理事会" in organizations("农民代表理事会周三开会。")


def test_a_committee_named_only_by_its_kind_is_no_body() -> None:
    assert organizations("他们在会上决定成立专业委员会。") == {}
    assert organizations("病人可以向医院咨询委员会寻求意见。") == {}


def test_a_bureau_whose_head_is_named_after_it_is_a_body() -> None:
    found = organizations("公务员事务局局长王力表示，新规将于下月实施。")
    assert list(found) == ["公务员事务局"]


def test_a_bureau_the_text_calls_by_a_pronoun_is_no_body() -> None:
    assert organizations("该局局长王力表示，新规将于下月实施。") == {}


def test_two_fields_joined_by_ji_are_one_bureau() -> None:
    found = organizations("渔业及海洋资源局局长陈明表示，新规将于下月实施。")
    assert list(found) == ["渔业及海洋资源局"]


def test_a_bureau_replaces_the_government_read_at_its_start() -> None:
    found = organizations("澳门特区政府文化及旅游局局长李华宣布了新措施。")
    assert list(found) == ["澳门特区政府文化及旅游局"]


def test_an_agency_before_its_acting_head_is_a_body() -> None:
    found = organizations("政府提名森林消防署代理署长张强。")
    assert list(found) == ["森林消防署"]


def test_an_agency_before_a_title_jieba_does_not_know_and_a_person() -> None:
    found = organizations("全国矿业安全调查局拿督阿兹曼昨日发表声明。")
    assert list(found) == ["全国矿业安全调查局"]


def test_a_ministry_whose_head_jieba_reads_as_one_word_is_a_body() -> None:
    assert list(organizations("总统提名他出任渔业部长。")) == ["渔业部"]


def test_a_deputy_or_a_cabinet_minister_names_no_ministry() -> None:
    assert organizations("他今年出任副部长。") == {}
    assert organizations("巴西有5名内阁部长确诊感染。") == {}


def test_a_short_department_written_twice_is_no_body() -> None:
    assert organizations("项目部首先进行测试。随后项目部完成了验收。") == {}


def test_a_club_league_is_no_body() -> None:
    text = "北京市青少年冰球俱乐部联赛开幕。北京市青少年冰球俱乐部联赛很受欢迎。"
    assert organizations(text) == {}


def test_a_plain_body_gets_english_only_from_glossary_words() -> None:
    assert organizations("由于选举委员会将于下月开会，日期可能变动。") == {
        "选举委员会": "Election Committee"
    }


# --- names that straddle two words ------------------------------------------------------------


def test_a_bureau_of_every_district_is_no_body_nor_its_tail() -> None:
    assert organizations("各区市场监管局也同步开展了检查。") == {}


def test_a_citys_market_bureau_is_still_one_body() -> None:
    assert "杭州市市场监管局" in organizations("杭州市市场监管局今天表示，检查已经结束。")


def test_the_day_of_a_date_does_not_start_a_daily() -> None:
    assert organizations("市民可在5月20日报读课程。") == {}


def test_a_daily_in_title_marks_is_still_an_outlet() -> None:
    assert "人民日报" in organizations("据《人民日报》报道，课程已经开始。")


def test_a_country_before_a_sport_is_no_news_site() -> None:
    assert organizations("她第一次参加中国网球公开赛。") == {}


def test_the_news_site_named_alone_is_still_found() -> None:
    assert "中国网" in organizations("据中国网报道，比赛已经开幕。")


# --- foreign bodies named after people (firm_names) -------------------------------------------


def test_a_firm_named_after_joined_names_is_a_firm_not_a_person() -> None:
    found = run("据悉，科恩-布拉德资产管理公司首席策略师表示，市场将回暖。")
    assert [body.text for body in found.organizations] == ["科恩-布拉德资产管理公司"]
    assert found.people == ()


def test_a_hospital_named_after_people_keeps_its_country() -> None:
    found = run("德国霍夫-劳伦兹医院专家表示，研究仍在进行。")
    assert [body.text for body in found.organizations] == ["德国霍夫-劳伦兹医院"]
    assert found.people == ()


def test_the_same_name_on_its_own_is_still_a_person() -> None:
    found = run("科恩-布拉德说，公司不会降价。")
    assert [person.text for person in found.people] == ["科恩-布拉德"]
    assert found.organizations == ()


def test_a_persons_company_is_no_firms_name() -> None:
    found = run("马斯克表示，马斯克公司不会降价。")
    assert {person.text for person in found.people} == {"马斯克"}
    assert found.organizations == ()


# --- Japanese given names in -ya ---------------------------------------------------------------


def test_a_japanese_given_name_keeps_its_ya() -> None:
    found = run("日本导演森田拓也出席了首映式。")
    assert [(person.text, person.name_en) for person in found.people] == [("森田拓也", "")]


def test_ya_after_a_chinese_name_is_still_also() -> None:
    found = run("中国导演李井华也出席了首映式。")
    assert [person.text for person in found.people] == ["李井华"]


# --- a place before a body jieba reads whole ---------------------------------------------------


def test_a_ministry_ending_in_anquanbu_is_not_the_word_all() -> None:
    found = run("该机构隶属加拿大国土安全部。")
    assert [body.text for body in found.organizations] == ["加拿大国土安全部"]
    assert found.places == ()


def test_all_safely_deployed_names_no_ministry() -> None:
    assert organizations("他们全部安全部署到位。") == {}


def test_a_military_academy_after_its_city_is_one_body() -> None:
    found = run("他的祖父毕业于广州黄埔军校。")
    assert [body.text for body in found.organizations] == ["广州黄埔军校"]


def test_a_citys_universities_are_no_body() -> None:
    assert organizations("北京高校纷纷开学。") == {}


def test_an_administrative_committee_keeps_the_places_before_it() -> None:
    found = run("杭州市西湖区龙井村管委会发布了通知。")
    assert [body.text for body in found.organizations] == ["杭州市西湖区龙井村管委会"]
    assert found.places == ()


# --- outlets and abbreviations ------------------------------------------------------------------


def test_the_outlet_a_first_line_credits_is_a_body() -> None:
    assert "南方商报" in organizations("南方商报讯 记者王明报道，新规下月实施。")


def test_this_papers_credit_names_no_outlet() -> None:
    assert organizations("本报讯 记者王明报道，新规下月实施。") == {}


def test_the_hong_kong_government_written_short_is_a_body_with_english() -> None:
    found = organizations("港府昨日宣布新的资助计划。")
    assert found == {"港府": "the Hong Kong SAR government"}


def test_a_road_named_after_the_city_is_no_government() -> None:
    assert organizations("香港府前路正在施工。") == {}
