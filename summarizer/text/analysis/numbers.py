"""Numbers written in Arabic or Chinese numerals -> values (cn2an), skipping names and ordinals.

Not every numeral is a quantity: ``十五五`` names the 15th Five-Year Plan period, ``二十届四中全会``
is a session name, ``第三`` an ordinal, and a lone ``一`` is mostly part of a word (统一,
一步). Those are skipped. Percentages keep their value in percent (``35%`` -> 35.0).
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.text.analysis.occupancy import Occupancy
from summarizer.text.chars import FIVE_YEAR_PLAN
from summarizer.text.document import NumberMention

_CN = "零〇一二两三四五六七八九十百千万亿"
_ARABIC = re.compile(
    r"(?<![\w.])(?P<number>\d+(?:[,，]\d{3})*(?:\.\d+)?)(?P<unit>[万亿]{0,2})(?P<percent>[%％])?"
    r"(?![A-Za-z\d])",
    re.ASCII,
)
_PERCENT_WORDS = re.compile(rf"百分之(?P<number>[{_CN}点]+)")
_CHINESE = re.compile(rf"[{_CN}]+(?:点[{_CN}]+)?")
#: Plan periods: 十三五, “十四五”, 十五五 ...
#: What may follow a Chinese numeral for it to count as a quantity (measure words and units).
_MEASURES = set(
    "个条项家名人位元年月天日次倍台辆架艘座所件批场户套支种只头张篇部本枚颗吨米岁万亿号期层栋"
)
_ORDINAL_AFTER = ("届", "中全会", "次全会", "次会议", "次党代会")


_PLAIN_DECIMAL = re.compile(r"\d+(?:\.\d+)?", re.ASCII)


@lru_cache(maxsize=4096)
def numeral_value(token: str) -> float | None:
    """The value of a numeral (35, 3.5万, 一百二十, 两千零五), or None when it is not one.

    Plain decimals are parsed directly; anything else goes to cn2an, imported on first use (it
    takes a few hundred milliseconds to load) and cached per token (news repeats its numbers).
    """
    if _PLAIN_DECIMAL.fullmatch(token):
        return float(token)
    import cn2an

    try:
        return float(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def _value(token: str) -> float | None:
    return numeral_value(token.replace(",", "").replace("，", ""))


def extract_numbers(
    text: str, skip: list[tuple[int, int]] | None = None
) -> tuple[NumberMention, ...]:
    """Numbers in ``text`` outside the ``skip`` spans (e.g. dates), in text order."""
    taken = Occupancy(len(text), skip or ())
    free = taken.is_free
    mentions: list[NumberMention] = []

    for match in FIVE_YEAR_PLAN.finditer(text):
        taken.claim(*match.span())
    for match in _ARABIC.finditer(text):
        if not free(*match.span()):
            continue
        value = _value(match.group("number") + match.group("unit"))
        if value is not None:
            taken.claim(*match.span())
            mentions.append(NumberMention(match.start(), match.end(), match.group(), value=value))
    for match in _PERCENT_WORDS.finditer(text):
        if not free(*match.span()):
            continue
        value = _value(match.group("number"))
        if value is not None:
            taken.claim(*match.span())
            mentions.append(NumberMention(match.start(), match.end(), match.group(), value=value))
    for match in _CHINESE.finditer(text):
        start, end = match.span()
        token = match.group()
        if not free(start, end) or token in ("一", "两", "万", "亿", "千", "百"):
            continue
        if text[start - 1 : start] == "第" or text.startswith(_ORDINAL_AFTER, end):
            continue
        next_char = text[end : end + 1]
        if next_char not in _MEASURES and not (len(token) > 1 and token[-1] in "万亿"):
            continue
        value = _value(token)
        if value is not None:
            taken.claim(start, end)
            mentions.append(NumberMention(start, end, token, value=value))
    mentions.sort(key=lambda mention: mention.start)
    return tuple(mentions)
