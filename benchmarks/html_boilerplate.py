"""Does the article's text come out of a news page without its navigation, sidebars and footer?

Run: ``python benchmarks/html_boilerplate.py``.

The pages are built here, and say so: each real article of ``../shared/data`` (30 WMT22 documents,
40 Chinese news articles; their paragraphs, or groups of three sentences when the text has no
line breaks) is placed in one of three page layouts modelled on Chinese news sites: a portal
(top navigation, breadcrumb, share bar, "related news" and "most read" sidebars with the
headlines of other real articles, comment box, footer with licence numbers), a government site
(table layout, paragraphs split by ``<br>``, column menu, footer), and an HTML5 site
(``<article>``, ``<nav>``, ``<aside>``, ``<footer>``). No saved third-party page is shipped: the
public collections with Chinese news pages found carry no labelled article text and no clear
terms for redistribution.

For each extractor: the share of article paragraphs found in its text (recall), the share of
its characters that are not article text (leak), and how far its paragraph count is from the
article's.
"""

from __future__ import annotations

import html
import json
import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = next(
    (
        folder / "shared" / "data"
        for folder in (ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "data").is_dir()
    ),
    ROOT.parent / "shared" / "data",
)

NAV = [
    "首页",
    "新闻",
    "国内",
    "国际",
    "财经",
    "科技",
    "体育",
    "娱乐",
    "汽车",
    "房产",
    "教育",
    "视频",
]
GOV_MENU = ["政务公开", "政策文件", "部门动态", "乡镇动态", "便民服务", "互动交流", "专题专栏"]
FOOTER = [
    "关于我们 | 联系我们 | 广告服务 | 网站地图 | 法律声明",
    "版权所有 © 2025 本网站 未经授权禁止转载",
    "京ICP备12345678号 京公网安备11010502012345号",
    "违法和不良信息举报电话：010-12345678",
]
SHARE = ["分享到：", "微信", "微博", "QQ空间", "复制链接"]
COMMENT = ["网友评论", "登录后发表评论", "已有0人参与"]
GOV_FOOTER = [
    "主办单位：区人民政府办公室 承办单位：区大数据管理中心",
    "网站标识码：3206120001 苏ICP备05012345号",
    "建议使用1280×1024分辨率浏览本网站",
]

_SENTENCE = re.compile(r"[^。！？]*[。！？]")


@dataclass(frozen=True)
class Page:
    identifier: str
    layout: str
    markup: str
    paragraphs: tuple[str, ...]
    boilerplate: tuple[str, ...]


def articles() -> list[tuple[str, str, list[str]]]:
    """(id, title, paragraphs) of every real article."""
    found = []
    for name in ("wmt22_zhen_docs.jsonl", "wmt22_zhen_docs_more.jsonl"):
        for line in (DATA / name).open(encoding="utf-8"):
            record = json.loads(line)
            lines = [text.strip() for text in record["zh"] if text.strip()]
            found.append((record["id"], lines[0], lines[1:]))
    for line in (DATA / "zh_news_summaries.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        sentences = [s.strip() for s in _SENTENCE.findall(record["article"]) if s.strip()]
        paragraphs = ["".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        found.append((record["id"], record["summary"], paragraphs))
    return [item for item in found if item[2]]


def _links(items: list[str]) -> str:
    return "".join(
        f'<li><a href="/n/{i}.html">{html.escape(t)}</a></li>' for i, t in enumerate(items)
    )


def portal(title: str, paragraphs: list[str], others: list[str]) -> tuple[str, list[str]]:
    related, ranking = others[:6], others[6:12]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    markup = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{html.escape(title)}_新闻中心</title>
<script>var _hmt = _hmt || [];</script></head><body>
<div class="top-bar"><a href="/login">登录</a> <a href="/reg">注册</a>
<a href="/app">下载客户端</a></div>
<div class="nav"><ul>{_links(NAV)}</ul></div>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/news">新闻</a> &gt; 正文</div>
<div class="main"><div class="left">
<h1>{html.escape(title)}</h1>
<div class="info"><span>2022-05-23 10:21</span> <span>来源：新华网</span>
<span>编辑：王伟</span></div>
<div class="share">{" ".join(SHARE)}</div>
<div class="article-content">{body}</div>
<div class="editor">（责任编辑：王伟）</div>
<div class="comment"><h3>{COMMENT[0]}</h3><p>{COMMENT[1]}</p><span>{COMMENT[2]}</span></div>
</div><div class="right">
<div class="box"><h3>相关新闻</h3><ul>{_links(related)}</ul></div>
<div class="box"><h3>热门排行</h3><ol>{_links(ranking)}</ol></div>
</div></div>
<div class="footer">{"".join(f"<p>{html.escape(line)}</p>" for line in FOOTER)}</div>
</body></html>"""
    boilerplate = [*NAV, *related, *ranking, *FOOTER, "下载客户端", "相关新闻", "热门排行"]
    return markup, boilerplate


def government(title: str, paragraphs: list[str], others: list[str]) -> tuple[str, list[str]]:
    body = "<br>\n".join("&nbsp;&nbsp;&nbsp;&nbsp;" + html.escape(p) for p in paragraphs)
    markup = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{html.escape(title)}</title></head><body>
<table width="1000" align="center"><tr><td class="banner">区人民政府门户网站</td></tr>
<tr><td class="menu">{" | ".join(f'<a href="#">{m}</a>' for m in GOV_MENU)}</td></tr></table>
<table width="1000" align="center"><tr>
<td width="220" valign="top"><div class="column"><b>栏目导航</b><ul>{_links(GOV_MENU)}</ul></div>
<div class="column"><b>最新动态</b><ul>{_links(others[:5])}</ul></div></td>
<td valign="top"><div class="position">当前位置：首页 &gt; 政务公开 &gt; 部门动态</div>
<div class="title">{html.escape(title)}</div>
<div class="sub">发布时间：2025-12-13 来源：区委办 浏览次数：123</div>
<div id="zoom">{body}</div>
<div class="tools">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</div>
</td></tr></table>
<table width="1000" align="center"><tr><td class="foot">{"<br>".join(GOV_FOOTER)}</td></tr></table>
</body></html>"""
    boilerplate = [
        *GOV_MENU,
        *others[:5],
        *GOV_FOOTER,
        "区人民政府门户网站",
        "栏目导航",
        "最新动态",
    ]
    return markup, boilerplate


def html5(title: str, paragraphs: list[str], others: list[str]) -> tuple[str, list[str]]:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    markup = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{html.escape(title)} - 新闻</title></head><body>
<header><a class="logo" href="/">新闻网</a><nav><ul>{_links(NAV[:8])}</ul></nav>
<form><input placeholder="搜索"><button>搜索</button></form></header>
<main><article><h1>{html.escape(title)}</h1><time>2022年5月23日</time>{body}
<footer class="article-footer">本文来源：新华社 转载请注明出处</footer></article>
<aside><section><h2>推荐阅读</h2><ul>{_links(others[:4])}</ul></section>
<section><h2>24小时热榜</h2><ol>{_links(others[4:9])}</ol></section></aside></main>
<footer><p>{FOOTER[0]}</p><p>{FOOTER[1]}</p></footer></body></html>"""
    boilerplate = [*NAV[:8], *others[:9], FOOTER[0], FOOTER[1], "推荐阅读", "24小时热榜"]
    return markup, boilerplate


LAYOUTS: dict[str, Callable[[str, list[str], list[str]], tuple[str, list[str]]]] = {
    "portal": portal,
    "government": government,
    "html5": html5,
}


def pages() -> list[Page]:
    found = articles()
    titles = [title for _, title, _ in found]
    built = []
    for index, (identifier, title, paragraphs) in enumerate(found):
        layout = list(LAYOUTS)[index % len(LAYOUTS)]
        others = [titles[(index + k) % len(titles)] for k in range(1, 13)]
        markup, boilerplate = LAYOUTS[layout](title, paragraphs, others)
        built.append(Page(identifier, layout, markup, (title, *paragraphs), tuple(boilerplate)))
    return built


def _squash(text: str) -> str:
    """Compared without spaces and width variants (``prepare`` folds ``５`` to ``5``)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Score:
    recall: float
    leak: float
    paragraph_error: int


def score(page: Page, text: str) -> Score:
    """Article paragraphs found; share of the output's characters that are not article text."""
    flat = _squash(text)
    found = sum(1 for paragraph in page.paragraphs if _squash(paragraph) in flat)
    rest = flat
    for paragraph in sorted(page.paragraphs, key=len, reverse=True):
        rest = rest.replace(_squash(paragraph), "")
    lines = [line for line in text.split("\n") if line.strip()]
    return Score(
        found / len(page.paragraphs),
        len(rest) / max(len(flat), 1),
        abs(len(lines) - len(page.paragraphs)),
    )


def main() -> None:
    from summarizer.text.repair import html as ours
    from summarizer.text.repair.prepare import prepare

    extractors: dict[str, Callable[[str], str]] = {
        "html_to_text (all text)": ours.html_to_text,
        "prepare() (shipped)": lambda markup: prepare(markup).text,
    }
    if hasattr(ours, "article_text"):
        extractors["html.article_text"] = lambda markup: ours.article_text(markup) or ""
    try:
        import trafilatura

        extractors["trafilatura.extract"] = lambda markup: trafilatura.extract(markup) or ""
    except ImportError:  # pragma: no cover - optional for this benchmark
        pass
    built = pages()
    print(f"{len(built)} built pages (article texts real, page layouts built here)\n")
    print(f"{'extractor':24} {'layout':11} {'recall':>7} {'leak':>6} {'|Δ paragraphs|':>15}")
    for name, extract in extractors.items():
        for layout in [*LAYOUTS, "all"]:
            chosen = [p for p in built if layout in ("all", p.layout)]
            scores = [score(page, extract(page.markup)) for page in chosen]
            print(
                f"{name:24} {layout:11} {statistics.mean(s.recall for s in scores):7.1%}"
                f" {statistics.mean(s.leak for s in scores):6.1%}"
                f" {statistics.mean(s.paragraph_error for s in scores):15.1f}"
            )


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("html_boilerplate"):
        main()
