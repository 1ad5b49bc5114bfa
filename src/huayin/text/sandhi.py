"""Tone changes of connected speech, applied to citation readings of one clause.

Order matters and follows how the changes depend on each other:

1. neutral tones: particles (的地得了着过 by part of speech), suffixes (们子头), modal particles,
   directional complements (回来), reduplicated nouns/verbs (看看, 妈妈), and a short list of everyday words whose last syllable is unstressed (朋友, 东西);
2. 一 and 不, which look at the citation tone of the next syllable (不对 bu2, 一天 yi4, 第一 yi1),
   and go neutral between two copies of a verb (想一想 xiang3 yi5 xiang3, 是不是);
3. third-tone sandhi inside prosodic words (你好 ni2 hao3, 展览馆 zhan2 lan2 guan3, 纸老虎 zhi3 lao2
   hu3), after the neutral tones so that 想想 keeps xiang3 xiang5.

Positions marked ``fixed`` (user lexicon) are never changed, but still serve as context.
"""

from dataclasses import dataclass

import rjieba
from pypinyin.constants import PHRASES_DICT

#: Everyday words whose last syllable is read in the neutral tone (Putonghua test word lists).
NEUTRAL_FINAL_WORDS = frozenset(
    "朋友 东西 衣服 先生 时候 什么 怎么 这么 那么 多么 明白 清楚 喜欢 告诉 知道 意思 事情 地方 "
    "消息 关系 休息 客气 认识 舒服 漂亮 聪明 眼睛 耳朵 头发 名字 学生 豆腐 葡萄 萝卜 窗户 月亮 "
    "太阳 姑娘 丈夫 媳妇 商量 打听 打扮 收拾 麻烦 脑袋 屁股 尾巴 嘴巴 哑巴 下巴 队伍 护士 "
    "大夫 便宜 热闹 暖和 凉快 痛快 厉害 规矩 生意 买卖 力气 脾气 福气 运气 功夫 工夫 本事 "
    "故事 衣裳 亲戚 爱人 人家 家伙 伙计 困难 糊涂 结实 踏实 老实 实在 别扭 折腾 琢磨 "
    "招呼 吩咐 嘱咐 答应 觉得 记得 晓得 认得 舍得 值得 懂得 免得 显得 使得 算计 打算 "
    "念叨 嘀咕 喇叭 琵琶 玻璃 蘑菇 骆驼 狐狸 蛤蟆 核桃 石榴 枕头 舌头 指头 骨头 馒头 "
    "木头 石头 念头 跟头 苗头 里头 外头 上头 下头 前头 后头 对头 甜头 苦头".split()
)
#: Structural and aspect particles (by jieba tag) and how they are read: 慢慢地 de5, 走了 le5.
PARTICLE_READINGS = {
    ("的", "uj"): "de5", ("地", "uv"): "de5", ("得", "ud"): "de5",
    ("了", "ul"): "le5", ("着", "uz"): "zhe5", ("过", "ug"): "guo5",
}
#: Sentence-final modal particles (jieba tag "y") are unstressed whatever their citation tone.
MODAL_TAG = "y"
#: 来/去 after these are directional complements: 回来 hui2 lai5, 出去 chu1 qu5.
DIRECTIONAL_HEADS = set("上下进出回过起开")
#: 子 after these is a morpheme of its own (男子 nan2 zi3), not the noun suffix.
FULL_TONE_ZI = frozenset(
    "男子 女子 孔子 老子 孟子 庄子 君子 太子 天子 王子 弟子 才子 游子 学子 赤子 分子 原子 电子 "
    "量子 粒子 离子 质子 中子 因子 光子 瓜子 莲子 石子 棋子 卵子 精子 种子 仔子".split()
)
#: Numerals: 一 next to one of these is part of a number read digit by digit or as a whole.
_NUMERALS = set("零〇一二三四五六七八九十百千万亿两")
_DIGITS = set("零〇一二三四五六七八九")
#: After 一 these make it an ordinal or a date (一月 January, 一号 the first).
_ORDINAL_NEXT = set("月号")
#: Jieba tags of reduplicated words read with a neutral second syllable: nouns and verbs (not
#: adverbs like 常常 or adjectives like 好好, whose second syllable keeps or even raises its tone).
_REDUPLICABLE_TAGS = ("n", "v")
#: Reduplications meaning "every" keep both tones: 人人 ren2 ren2.
DISTRIBUTIVE_REDUPLICATIONS = frozenset("人人 家家 户户 处处 事事 天天 年年 时时 个个 样样 代代 世世".split())


@dataclass(frozen=True)
class TaggedWord:
    """A segmented word with its part-of-speech tag, as rjieba's ``tag`` gives it."""

    text: str
    """The word's characters."""
    tag: str
    """Jieba part-of-speech tag (``v`` verb, ``n`` noun, ``ul`` particle 了, ...)."""


def _tone(syllable: str | None) -> str:
    return syllable[-1] if syllable else ""


def _with_tone(syllable: str, tone: str) -> str:
    return syllable[:-1] + tone


def apply_tone_sandhi(
    words: list[TaggedWord], readings: list[str | None], fixed: list[bool] | None = None,
    ruled: list[bool] | None = None,
) -> list[str | None]:
    """Readings after connected-speech changes; ``readings`` has one entry per character of the
    concatenated words (None for characters that are not Chinese). ``ruled`` marks readings a
    syntax rule chose (得 dei3, 了 liao3): the particle readings by tag leave those alone."""
    fixed = fixed or [False] * len(readings)
    ruled = ruled or [False] * len(readings)
    citation = list(readings)
    result = list(readings)

    def set_tone(position: int, tone: str) -> None:
        if result[position] and not fixed[position]:
            result[position] = _with_tone(result[position], tone)

    start = 0
    for word in words:
        particle = PARTICLE_READINGS.get((word.text, word.tag))
        if particle and result[start] and not fixed[start] and not ruled[start]:
            result[start] = particle
        start += len(word.text)
    _neutral_tones(words, result, set_tone)
    text = "".join(w.text for w in words)
    _yi_and_bu(text, words, citation, set_tone)
    _third_tones(words, result, fixed)
    return result


def _neutral_tones(words: list[TaggedWord], result: list[str | None], set_tone) -> None:
    start = 0
    previous: TaggedWord | None = None
    for word in words:
        text, tag, end = word.text, word.tag, start + len(word.text)
        last = end - 1
        phrase = PHRASES_DICT.get(text) if len(text) > 1 else None
        if len(text) == 1 and tag == MODAL_TAG:
            set_tone(start, "5")
        elif len(text) == 2 and text[1] in "了着过" and tag.startswith("v") and phrase is None:
            set_tone(last, "5")  # 看着, 去过: verb + aspect particle that jieba kept together
        elif len(text) == 2 and text[1] in "来去" and text[0] in DIRECTIONAL_HEADS:
            set_tone(last, "5")
        elif len(text) > 1 and text[-1] == "们":
            set_tone(last, "5")
        elif (len(text) > 1 and text[-1] == "子" and tag.startswith("n")
              and text not in FULL_TONE_ZI and text[-2:] not in FULL_TONE_ZI):
            set_tone(last, "5")
        elif text in NEUTRAL_FINAL_WORDS or text[-2:] in NEUTRAL_FINAL_WORDS:
            set_tone(last, "5")
        elif len(text) > 2 and text[:2] in NEUTRAL_FINAL_WORDS:
            set_tone(start + 1, "5")  # the segmenter glued it to what follows: 老实人, 商量一下
        if phrase is not None and len(phrase) == len(text):
            # The dictionary marks an unstressed syllable (骨头 tou5) that the arbiter, which
            # chooses citation readings, gave its full tone.
            for offset in range(1, len(text)):
                marked, reading = phrase[offset][0], result[start + offset]
                if reading and marked.isascii() and marked.isalpha() and reading[:-1] == marked:
                    set_tone(start + offset, "5")
        if tag.startswith(_REDUPLICABLE_TAGS) and text not in DISTRIBUTIVE_REDUPLICATIONS:
            if len(text) == 2 and text[0] == text[1]:
                set_tone(last, "5")  # 看看 kan4 kan5, 妈妈 ma1 ma5
            elif (len(text) == 1 and previous is not None and previous.text == text
                  and previous.tag.startswith("v")):
                set_tone(start, "5")  # 说/说 segmented as two words
        previous = word
        start = end


def _yi_and_bu(text: str, words: list[TaggedWord], citation, set_tone) -> None:
    word_of = [w.text for w in words for _ in w.text]
    for i, char in enumerate(text):
        if char not in "一不" or citation[i] is None:
            continue
        before = text[i - 1] if i > 0 and citation[i - 1] else ""
        after = text[i + 1] if i + 1 < len(text) and citation[i + 1] else ""
        next_tone = _tone(citation[i + 1]) if after else ""
        if after and after == before:
            set_tone(i, "5")  # 想一想, 是不是
        elif char == "不":
            if len(word_of[i]) == 3 and word_of[i][1] == "不":
                set_tone(i, "5")  # 看不懂, 来不及
            else:
                set_tone(i, "2" if next_tone in ("4", "5") else "4")
        elif (not after or before == "第" or before in _NUMERALS or after in _DIGITS
              or after in _ORDINAL_NEXT
              or (after == "点" and i + 2 < len(text) and text[i + 2] in _DIGITS)):
            set_tone(i, "1")  # 统一, 第一, 十一, 一九九八, 一月, 一点五
        else:
            set_tone(i, "2" if next_tone in ("4", "5") else "4")


def _third_tones(words: list[TaggedWord], result: list[str | None], fixed: list[bool]) -> None:
    """3-3 → 2-3 inside prosodic words, whose inner structure decides longer runs."""
    for group in _prosodic_words(words, result):
        # Inside each sub-word every third tone but the last of a run rises...
        for start, end in group:
            for i in range(start, end - 1):
                if _tone(result[i]) == "3" and _tone(result[i + 1]) == "3" and not fixed[i]:
                    result[i] = _with_tone(result[i], "2")
        # ...then between sub-words, left to right, on the tones as they now are.
        for (_, left_end), (right_start, _) in zip(group, group[1:]):
            i = left_end - 1
            if _tone(result[i]) == "3" and _tone(result[right_start]) == "3" and not fixed[i]:
                result[i] = _with_tone(result[i], "2")


def _prosodic_words(words: list[TaggedWord], result) -> list[list[tuple[int, int]]]:
    """Groups of sub-word spans: short words joined when a 3-3 boundary links them (我/很/好)."""
    groups: list[list[tuple[int, int]]] = []
    start = 0
    previous_text = ""
    for word in words:
        end = start + len(word.text)
        spans = _sub_words(word.text, start)
        if groups and previous_text:
            last_group = groups[-1]
            group_length = last_group[-1][1] - last_group[0][0]
            linked = _tone(result[start - 1]) == "3" and _tone(result[start]) == "3"
            reduplicated = len(previous_text) == 2 and previous_text[0] == previous_text[1]
            if linked and not reduplicated and group_length + len(word.text) <= 3:
                last_group.extend(spans)
                previous_text, start = word.text, end
                continue
        groups.append(spans)
        previous_text, start = word.text, end
    return groups


def _sub_words(text: str, start: int) -> list[tuple[int, int]]:
    """Inner structure of a word: 展览/馆 (2+1) or 纸/老虎 (1+2), idioms 2+2."""
    if len(text) == 3:
        first_split = 2 if rjieba.has_word(text[:2]) or not rjieba.has_word(text[1:]) else 1
        return [(start, start + first_split), (start + first_split, start + 3)]
    if len(text) >= 4:
        return [(start + i, min(start + i + 2, start + len(text))) for i in range(0, len(text), 2)]
    return [(start, start + len(text))]
