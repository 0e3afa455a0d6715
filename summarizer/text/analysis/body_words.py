"""Word lists that both body rules use: ``bodies`` (names with a proper part) and ``plain_bodies``
(names made of plain nouns). One copy here, so the two rules cannot drift apart.

Where the two rules deliberately differ, the difference is derived from these lists in the rule's
own module and says why.
"""

from __future__ import annotations

#: Compass halves of a country or region (西部, 东部): never a body, even at the end of a longer
#: word (美国西部).
DIRECTION_WORDS = ("东部", "西部", "南部", "北部", "中部")
#: Parts of the body and of a thing that end in 部 (头部, 底部): never a department.
_PART_WORDS = ("底部", "顶部", "头部", "腹部", "胸部", "面部", "腰部", "背部", "脑部", "足部")
#: Words ending in a bureau's or ministry's character (局, 部, 署) that name no body: 全部 "all",
#: 干部 "cadre", 格局 "pattern", 部署 "to deploy"; 乐部 is the end of 俱乐部, a club, named like
#: any firm.
NOT_BODY_WORDS = frozenset((
    "总部", "全部", "内部", "外部", "干部", "局部", "本部", "乐部", "大部", "部署",
    "定局", "格局", "布局", "结局", "大局", "当局", "时局", "残局", "僵局", "骗局", "开局", "出局",
    "败局", "饭局",
    *DIRECTION_WORDS, *_PART_WORDS,
))  # fmt: skip
#: A day word a statement may start with (…局日前表示, …宫26日宣布).
STATEMENT_DAY = "(?:日前|近日|今天|昨天|\\d+日)?"
#: Verbs of a statement that only a body (or a person) makes, right after its name. 说 is not
#: here: it also opens 说明 ("explanation", "to explain"), which a plain noun phrase can precede.
STATEMENT_VERBS = ("表示", "称", "宣布", "指出", "透露", "发表声明", "发布声明")
#: Right after a name: the body says or announces something (…局日前表示).
STATES = STATEMENT_DAY + "(?:" + "|".join(STATEMENT_VERBS) + ")"

# fmt: off
#: English of body endings, longest first, for names whose other parts the glossary knows.
ENDING_ENGLISH = {
    "股份有限公司": "Co., Ltd.", "有限责任公司": "Co., Ltd.", "航空公司": "Airways",
    "有限公司": "Co., Ltd.", "交通大学": "Jiaotong University", "师范大学": "Normal University",
    "科技大学": "University of Science and Technology", "理工大学": "University of Technology",
    "工业大学": "University of Technology", "医科大学": "Medical University",
    "农业大学": "Agricultural University", "财经大学": "University of Finance and Economics",
    "第一医院": "First Hospital", "第二医院": "Second Hospital", "第三医院": "Third Hospital",
    "人民医院": "People's Hospital", "儿童医院": "Children's Hospital",
    "中医院": "Hospital of Traditional Chinese Medicine", "疾控中心": "CDC",
    "派出所": "Police Station", "公安局": "Public Security Bureau", "人民法院": "People's Court",
    "检察院": "Procuratorate", "研究中心": "Research Center", "实验室": "Laboratory",
    "电视台": "TV Station", "医学院": "School of Medicine", "研究院": "Research Institute",
    "研究所": "Institute", "科学院": "Academy of Sciences", "管理局": "Administration",
    "基金会": "Foundation", "联合会": "Federation", "委员会": "Committee", "学院": "College",
    "大学": "University", "医院": "Hospital", "公司": "Company", "集团": "Group", "银行": "Bank",
    "协会": "Association", "学会": "Society", "中心": "Center",
    "总工会": "Federation of Trade Unions", "警察局": "Police Department",
    "水利厅": "Department of Water Resources",
    # heads of state bodies, news agencies and forces written after a place (马拉维|卫生部)
    "卫生部": "Ministry of Health", "内政部": "Ministry of the Interior", "海关": "Customs",
    "海警局": "Coast Guard", "议会": "Parliament", "空军": "Air Force", "海军": "Navy",
    "陆军": "Army", "人武部": "People's Armed Forces Department", "征兵办": "Conscription Office",
    "征兵办公室": "Conscription Office", "工贸局": "Department of Industry and Trade",
    "消防部门": "Fire Department", "卫视": "Satellite TV", "通讯社": "News Agency",
    "新闻社": "News Agency", "总领事馆": "Consulate General",
    "国家广播电视台": "National Broadcaster",
    "卫健委": "Health Commission", "新闻办公室": "Information Office",
    "大使馆": "Embassy", "促进会": "Promotion Association",
    "室内管弦乐团": "Chamber Orchestra", "交响乐团": "Symphony Orchestra",
    "管弦乐团": "Orchestra", "乐团": "Orchestra", "马戏团": "Circus", "剧团": "Theatre Company",
    "歌舞团": "Song and Dance Troupe", "艺术团": "Art Troupe", "合唱团": "Choir",
    "杂技团": "Acrobatic Troupe", "客运段": "Passenger Transport Section",
    "音乐学院": "Conservatory of Music", "美术学院": "Academy of Fine Arts",
    "附属中学": "Affiliated High School", "中学": "Middle School", "小学": "Primary School",
    "戏剧学院": "Academy of Drama", "电影学院": "Film Academy",
    "理事会": "Council", "管委会": "Administrative Committee",
    "工商会": "Chamber of Commerce and Industry", "总商会": "General Chamber of Commerce",
    "商会": "Chamber of Commerce",
}
# fmt: on
