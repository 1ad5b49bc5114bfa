"""Syntax rules for polyphones whose reading follows from their neighbours, not from the word.

The segmenter often glues a function word to its neighbour (写得, 事得, 盛点) and tags words by
dictionary, not by context, so the rules look at characters and at the tags of the short
fragments around them. Each rule states the general pattern it encodes; a rule only decides
characters that are not inside a dictionary word (those are read as the dictionary says).

Rules, first match wins:

- ``surname``: a surname character in name position — before a title (曾老师, 单先生), after
  姓, or after 老/小 at the end of a clause (老曾) — takes its surname reading.
- ``modal particle``: 啦 哦 呢 吧 啊 呀 嘛 哟 ending a clause after a word (走累啦, 顺利哦) are
  neutral-tone particles.
- ``着点``: 着 between a verb or adjective and 点/些 is the durative particle zhe5 of a mild
  imperative (慢着点, 省着点花), not the verb of a separable word (着花).
- ``collocate``: a word whose sense its neighbours settle — 着 between a noun and 了 is the
  verb zhao2 (火着了, 灯着了): the durative particle zhe5 follows a verb and takes no 了; 背着 before a noun is bei1 "carry
  on the back" (背着孩子), before a pronoun bei4 "behind one's back" (背着我); 转 closing a clause
  opened by 绕/围着 is zhuan4 "revolve" (绕着太阳转); 还 after a modal or motion verb and
  before a noun or pronoun object is the verb huan2 "return" (要还书, 得还他钱, 去还车); 为 before a personal pronoun is
  the preposition wei4 "for" (为他加油), not wei2 of 为…所 (为他所用); 冲 before a personal pronoun or 着
  is the preposition chong4 "towards" (冲我笑); 卡 before 在/住 is qia3 "stuck" (鱼刺卡在嗓子里,
  门卡住了), not the card ka3 after 的 or a numeral (我的卡在你那儿); 落 with an object put
  before it by 把 is la4 "leave behind" (把钥匙落在家里): the sense "fall" (luo4) takes no
  object, except an abstract one (把目光落在); 调 before 到/成 + a setting (a number with a
  unit of setting, or 最 + adjective: 调到二十六度, 调到最大) is tiao2 "adjust" (调到北京,
  调到三楼 stay with the arbiter: diao4 "transfer"); 场 between a numeral or demonstrative and
  a spell of weather or illness (一场大雨, 这场病) is the measure word chang2, not chang3 of
  performances and matches (一场比赛); 扎 whose object is hair (扎辫子, 扎着两个辫子, 扎头发) is
  za1 "tie up", not zha1 "prick"; 折 closing a clause with 了 after a verb of force or a noun
  is she2 "snapped" (摔折了胳膊, 树枝折了), not zhe2 "fold" (把纸折了); 和 right before 在一起 in a 把 clause (把鸡蛋和面粉和在一起) has no
  partner to join and is the verb huo4 "mix" (我和在一起的同事 keeps he2).
- ``separable word``: a verb–object word split by a short filler (着什么急, 睡了一觉, 帮个忙,
  睡不着觉)
  is read as the dictionary reads the whole word; its first half is a verb, so a word opened
  by an adverb (不了 in 受不了了) or whose filler closes a word with it (难过得 is not 难得)
  is never split, nor one closed by a modal particle (干了吗 is
  not 干吗).
- ``potential complement``: 了 after a verb + 得/不 (吃不了, 走得了) is liao3 — not when 得
  closes a word in which it means "obtain" (de2: 获得了, 赢得了), where 了 is the aspect
  particle.
- ``得``: after a verb or adjective, or before a degree adverb (画画得真好), it is the complement
  particle (de5); after a subject or an
  adverb and before a verb or adverb it is the modal "must" (dei3); before 了 + object "obtain"
  (de2: 得了满分).
- ``地``: after a preposition, numeral or measure word, or before a localizer it is the noun
  di4 (把地扫一下, 地上), not the adverbial particle de5.
- ``measure word``: after a numeral or demonstrative (一行, 这种, 两只) a character takes its
  measure-word reading.
- ``adjective``: after a degree adverb or a complement 得 (很长, 太差, 写得差) a character takes
  its adjective reading; so does one predicated of a noun before a clause-final 了 (病好了,
  衣服干了), unless it is also a verb (头发长了); so does one between an aspect particle or measure word and a noun
  (留着长头发, 一件薄外套).
- ``adverb``: before a verb, 少 还 都 只 更 take their adverb reading (少吃, 还差, 都反省).
- ``place-name ending`` (asked by the caller, which knows the words): 涌 closing a word no
  dictionary lists is the Cantonese place-name element chong1 "creek" (乌涌, 凤安涌).
- ``verb``: before an aspect particle or complement (长了, 数到, 盛完), in a reduplication (数数,
  量一量), or before its object (盛一碗汤, 量血压, 种菜) or 一下 (量一下身高), a character
  takes its verb reading.
"""

import functools
from dataclasses import dataclass

import rjieba

from huayin.text.punctuation import is_hanzi

#: Surname readings that differ from the character's common reading.
SURNAME_READINGS = {
    "曾": "zeng1", "单": "shan4", "解": "xie4", "仇": "qiu2", "区": "ou1", "查": "zha1",
    "朴": "piao2", "盖": "ge3", "种": "chong2", "乐": "yue4", "覃": "qin2", "缪": "miao4",
    "翟": "zhai2", "召": "shao4", "尉": "wei4", "纪": "ji3", "秘": "bi4",
}
#: Modal particles, neutral at the end of a clause after a word (走累啦, 顺利哦, 怎么办呢).
FINAL_PARTICLES = {"啦": "la5", "哦": "o5", "呢": "ne5", "吧": "ba5", "啊": "a5", "呀": "ya5",
                   "嘛": "ma5", "哟": "yo5"}
#: Characters that, closing a place name no dictionary lists, are read as that name's element:
#: Cantonese 涌 chong1 "creek" (乌涌, 麻涌, 凤安涌) where words read the verb yong3 (涌入, 汹涌).
PLACE_NAME_ENDINGS = {"涌": "chong1"}
#: Words after a surname that make it one: titles, kinship and forms of address.
TITLES = frozenset(
    "先生 女士 小姐 太太 夫人 老师 教授 医生 大夫 护士 经理 主任 董事长 局长 校长 院长 部长 "
    "处长 科长 书记 老板 师傅 同学 阿姨 叔叔 伯伯 大爷 大妈 奶奶 爷爷 老 家 某 氏 律师 "
    "警官 队长 班长 主席 市长 县长 厂长 秘书 会计 记者 博士 姐 哥 总理".split()
)
#: Personal pronouns: after 冲 they are whom an action is aimed at (冲我笑 chong4 "towards").
PERSONAL_PRONOUNS = ("我", "你", "您", "他", "她", "它", "咱", "大家", "人家")
#: Abstract objects that 把 puts before 落 in its sense "fall on" (把目光落在, 把重点落在: luo4).
ABSTRACT_OBJECTS = ("目光", "视线", "眼光", "重点", "焦点", "希望", "责任", "注意力", "心思")
#: Units of a setting one adjusts to (调到二十六度, 调到三档): after them 调 is tiao2.
SETTING_UNITS = ("度", "档", "级", "格", "倍", "%", "分贝", "摄氏度")
#: Spells of weather or illness counted by 场 chang2 (一场大雨, 这场病); 风暴 is left out: CPP
#: cites 这场风暴 chang3.
SPELL_NOUNS = ("雨", "雪", "病", "大雨", "暴雨", "小雨", "阵雨", "大雪", "暴雪", "冰雹", "大病",
               "重病", "霜")
#: Modal and motion verbs after which 还 before its object is the verb huan2 (要还书, 去还车);
#: the adverb hai2 stands before them (还要, 还去).
LEADING_VERBS = frozenset("要得该想去来")
#: Verbs of force whose result 折 she2 "snapped" is (压折了, 摔折了).
FORCE_VERBS = frozenset("压摔掰撅踩砸碰弄撞")
#: Hair that 扎 za1 ties up (扎辫子, 扎马尾).
HAIR_NOUNS = ("辫子", "小辫", "头发", "马尾", "发髻", "头绳")
#: Modal particles, which close a clause and are never the object half of a separable word.
MODAL_PARTICLES = frozenset("吗吧呢啊呀啦嘛哦")
#: What may follow a clause-final 了 (病好了吗).
CLAUSE_END_PARTICLES = frozenset(("", "吗", "吧", "呢", "啊", "呀", "啦"))
#: Fillers that may split a verb–object word: aspect particles, 什么, a measure phrase.
SEPARABLE_FILLERS = frozenset("了 过 着 个 一 什么 一个 了个 了一 点 一点 这个 那个 完 好 大 不 "
                              "一次 一场 一顿 一下 几 了几 不着 得着".split())
#: Readings as a measure word (after a numeral or demonstrative).
MEASURE_READINGS = {
    "觉": "jiao4", "行": "hang2", "种": "zhong3", "只": "zhi1", "重": "chong2", "处": "chu4",
    "担": "dan4", "折": "zhe2", "卷": "juan4", "号": "hao4", "间": "jian1", "曲": "qu3",
    "把": "ba3", "片": "pian4", "挑": "tiao1", "扇": "shan4",
}
#: Readings as an adjective (after a degree adverb, or attributive before a noun).
ADJECTIVE_READINGS = {
    "长": "chang2", "差": "cha4", "重": "zhong4", "少": "shao3", "难": "nan2", "薄": "bao2",
    "空": "kong1", "累": "lei4", "干": "gan1", "横": "heng2", "强": "qiang2", "好": "hao3",
    "熟": "shu2", "脏": "zang1",
}
#: Readings as a verb (before aspect particles, complements and objects, reduplicated).
VERB_READINGS = {
    "长": "zhang3", "数": "shu3", "盛": "cheng2", "种": "zhong4", "量": "liang2", "称": "cheng1",
    "还": "huan2", "扇": "shan1", "藏": "cang2", "钻": "zuan1", "磨": "mo2", "缝": "feng2",
    "削": "xiao1", "系": "ji4", "教": "jiao1", "挑": "tiao1", "切": "qie1", "哄": "hong3",
    "蒙": "meng2", "占": "zhan4", "屏": "bing3", "弹": "tan2", "担": "dan1", "背": "bei1",
    "倒": "dao4", "卷": "juan3", "处": "chu3", "转": "zhuan3", "差": "cha4",
    "调": "tiao2",
}
#: Verbs of VERB_READINGS that take an object noun or measure phrase directly (盛汤, 数钱).
NOUN_OBJECT_VERBS = frozenset("数盛种量称教切哄弹倒")
#: Verbs of VERB_READINGS that take a numeral + measure object (盛一碗, 削一个, 差两个).
MEASURE_OBJECT_VERBS = frozenset("数盛种量称削挑切差")
#: Pronouns and nouns that follow these characters without being their object (还这样, 数人).
NOT_OBJECTS = frozenset("这 那 这样 那样 这么 那么 什么 怎么 自己 人".split())
#: After these a verb is followed by an aspect particle or a complement of result or direction.
VERB_FOLLOWERS = frozenset("了着过完好到出起住")
#: Verbs whose reading a following aspect particle or 到 does not settle (调到北京 diao4, 调到
#: 26度 tiao2): only a result adjective does (调小, 调高).
AMBIGUOUS_BEFORE_FOLLOWERS = frozenset("调")
#: Adjectives that complete a verb as its result (长高, 调小, 拉长).
RESULT_ADJECTIVES = frozenset("高大小低胖瘦满快慢亮暗松紧齐歪坏")
#: Verbs of change, which take a result adjective (长高, 调小).
CHANGE_VERBS = frozenset("长调")
#: Readings as an adverb before a verb (少吃 shao3, 还差 hai2, 都反省 dou1).
ADVERB_READINGS = {"少": "shao3", "还": "hai2", "都": "dou1", "只": "zhi3", "更": "geng4"}
#: Characters that, outside a dictionary word (首都, 成都), are the adverb.
STANDALONE_ADVERBS = frozenset("都")
#: Degree adverbs that open a complement of degree after 得 (天亮得越来越早, 跑得很快).
DEGREE_COMPLEMENTS = ("越来越", "很", "非常", "十分", "这么", "那么", "太")
#: Characters whose adverb reading cannot end a clause (按时还 is the verb huan2).
NOT_CLAUSE_FINAL_ADVERBS = frozenset("还")
DEGREE_ADVERBS = ("非常", "特别", "比较", "十分", "这么", "那么", "多么", "有点", "有些",
                  "越来越", "相当", "格外", "很", "太", "真", "挺", "最", "更", "较", "够",
                  "极", "蛮", "多", "好", "不")
NUMERALS = frozenset("一二三四五六七八九十百千万两几半零")
DEMONSTRATIVES = frozenset("这那哪每各某第此该本其")
#: Measure words that can stand between a numeral and an attributive adjective (一件薄外套).
MEASURE_WORDS = frozenset("个件条根张本只双段块片间座支杯碗瓶")
#: Localizers after a noun (地上, 地下, 地里).
LOCALIZERS = frozenset("上下里面板")
MODAL_NEXT = frozenset("多少早晚先快赶马好再也都")


@dataclass(frozen=True)
class RuleDecision:
    """A reading a rule chose, and the rule's name (shown by ``huayin g2p --explain``)."""

    reading: str
    rule: str


@functools.lru_cache(maxsize=4096)
def tags(fragment: str) -> tuple[tuple[str, str], ...]:
    """rjieba's (word, tag) pairs for a short fragment, cached (the rules ask again and again)."""
    return tuple(rjieba.tag(fragment)) if fragment else ()


def _tag_before(text: str, position: int) -> str:
    """Part-of-speech tag of the word that ends just before ``position`` ('' at the start)."""
    words = tags(text[max(0, position - 4):position])
    return words[-1][1] if words else ""


def _word_after(text: str, position: int) -> tuple[str, str]:
    """(word, tag) of the word that starts just after ``position``."""
    words = tags(text[position + 1:position + 5])
    return words[0] if words else ("", "")


class PolyphoneRules:
    """The rules of the module docstring, applied to one clause."""

    def __init__(self, text: str, lookup):
        #: The clause.
        self.text = text
        #: Phrase → readings (or None): how a split separable word is looked up.
        self.lookup = lookup

    def decide(self, position: int, phrase_reading: str | None = None) -> RuleDecision | None:
        """The rule reading of the character at ``position``, or None if no rule applies.

        ``phrase_reading``: the reading a CC-CEDICT phrase of whole segmented words gives the
        character (盛大, 量尺寸). Such a phrase is left to the arbiter unless a rule about word
        classes agrees with it; the rules about function words and names, which dictionaries
        cannot know, apply regardless.
        """
        char = self.text[position]
        # Rules about function words, names and collocates, which dictionaries cannot know.
        context_rules = (self._surname, self._final_particle, self._zhe_imperative,
                         self._collocate, self._reduplication, self._separable,
                         self._potential_liao, self._de, self._di)
        rules = context_rules + (self._measure, self._adjective, self._adverb, self._verb)
        if phrase_reading is not None:
            for rule in context_rules:
                decision = rule(position, char)
                if decision is not None:
                    return decision
            decision = self.decide(position)
            return decision if decision is not None and decision.reading == phrase_reading else None
        for rule in rules:
            decision = rule(position, char)
            if decision is not None:
                return decision
        return None

    def _surname(self, position: int, char: str) -> RuleDecision | None:
        reading = SURNAME_READINGS.get(char)
        if reading is None:
            return None
        text = self.text
        before = text[position - 1] if position else ""
        after = text[position + 1:]
        if any(after.startswith(title) for title in TITLES):
            return RuleDecision(reading, "surname before a title")
        if before == "姓" or (before in ("老", "小") and not after):
            return RuleDecision(reading, "surname after 姓/老/小")
        return None

    def _final_particle(self, position: int, char: str) -> RuleDecision | None:
        reading = FINAL_PARTICLES.get(char)
        text = self.text
        if (reading is None or position != len(text) - 1 or position == 0
                or not is_hanzi(text[position - 1]) or text[position - 1] == char):
            return None  # alone (啊!) or doubled (啦啦) it is an interjection or a sound
        return RuleDecision(reading, "modal particle at the end of a clause")

    def _zhe_imperative(self, position: int, char: str) -> RuleDecision | None:
        text = self.text
        if (char != "着" or position == 0 or not is_hanzi(text[position - 1])
                or text[position + 1:position + 2] not in ("点", "些")):
            return None
        return RuleDecision("zhe5", "着点 after a verb or adjective (慢着点)")

    def _collocate(self, position: int, char: str) -> RuleDecision | None:
        text = self.text
        after = text[position + 1:]
        before = text[position - 1] if position else ""
        if (char == "为" and after.startswith(PERSONAL_PRONOUNS)
                and "所" not in after[1:5]):
            return RuleDecision("wei4", "为 before a pronoun (for)")
        if char == "还" and before in LEADING_VERBS:
            word, tag = _word_after(text, position)
            if (tag[:1] in ("n", "r", "j") or tag == "zg") and word not in NOT_OBJECTS:
                return RuleDecision("huan2", "还 + object after a modal or motion verb (return)")
        if char == "背" and after[:1] == "着":
            word, tag = _word_after(text, position + 1)
            if word.startswith(PERSONAL_PRONOUNS):
                return RuleDecision("bei4", "背着 + pronoun (behind one's back)")
            if tag[:1] == "n":
                return RuleDecision("bei1", "背着 + noun (carry on the back)")
        if (char == "转" and after in CLAUSE_END_PARTICLES
                and ("绕" in text[:position] or "围着" in text[:position])):
            return RuleDecision("zhuan4", "绕/围着 … 转 (revolve)")
        if char == "着" and after[:1] == "了" and _tag_before(text, position).startswith("n"):
            return RuleDecision("zhao2", "noun + 着了 (catch fire, come on)")
        if char == "冲" and (after.startswith(PERSONAL_PRONOUNS) or after.startswith("着")):
            return RuleDecision("chong4", "冲 before a pronoun or 着 (towards)")
        if (char == "卡" and after[:1] in ("在", "住") and before not in ("的", "张")
                and before not in NUMERALS and before not in DEMONSTRATIVES):
            return RuleDecision("qia3", "卡 before 在/住 (stuck)")
        if char == "落" and after[:1] in ("在", "下", "了"):
            opener = text.rfind("把", 0, position)
            if 0 <= opener < position - 1 and not text[opener + 1:position].endswith(
                    ABSTRACT_OBJECTS):
                return RuleDecision("la4", "把 + object + 落 (leave behind)")
        if char == "调" and after[:1] in ("到", "成") and _is_setting(after[1:]):
            return RuleDecision("tiao2", "调到/调成 + a setting (adjust)")
        if (char == "场" and (before in NUMERALS or before in DEMONSTRATIVES)
                and after.startswith(SPELL_NOUNS)):
            return RuleDecision("chang2", "场 counting a spell of weather or illness")
        if char == "折" and after[:1] == "了" and (
                before in FORCE_VERBS or (after[1:] in CLAUSE_END_PARTICLES and "把" not in text
                                          and _tag_before(text, position).startswith("n"))):
            return RuleDecision("she2", "折了 after a verb of force or a noun (snapped)")
        if char == "扎":
            hair = min((after.find(noun) for noun in HAIR_NOUNS if noun in after[:6]), default=-1)
            if 0 <= hair <= 3 and all(c in "着了起好个根条" or c in NUMERALS
                                      for c in after[:hair]):
                return RuleDecision("za1", "扎 + hair (tie up)")
        if char == "和" and after.startswith("在一起") and "把" in text[:position - 1]:
            return RuleDecision("huo4", "和 right before 在一起 (mix)")
        return None

    def place_name_ending(self, position: int) -> RuleDecision | None:
        """The place-name reading of a character that closes a word no dictionary lists (乌涌,
        凤安涌: Cantonese 涌 chong1, a creek), asked by the caller, which knows the words."""
        reading = PLACE_NAME_ENDINGS.get(self.text[position])
        return RuleDecision(reading, "place-name ending") if reading is not None else None

    def reduplication(self, position: int) -> RuleDecision | None:
        """The reduplication rule alone: it holds even inside a word the segmenter glued
        (数数看), where a dictionary word (数数 shu3 shu4) would otherwise decide."""
        return self._reduplication(position, self.text[position])

    def _reduplication(self, position: int, char: str) -> RuleDecision | None:
        reading = VERB_READINGS.get(char)
        if reading is None:
            return None
        text = self.text
        if position >= 1 and text[position - 1] == char:
            # The second syllable of XX is unstressed, as in 看看 (数数看 shu3 shu5).
            return RuleDecision(reading[:-1] + "5", "reduplicated verb (数数, 量一量)")
        if (text[position + 1:position + 2] == char
                or text[position + 1:position + 3] in (f"一{char}", f"了{char}")
                or (position >= 2 and text[position - 2] == char
                    and text[position - 1] in ("一", "了"))):
            return RuleDecision(reading, "reduplicated verb (数数, 量一量)")
        return None

    def _separable(self, position: int, char: str) -> RuleDecision | None:
        text = self.text
        # char is the verb: look right for filler + object (not right after another verb, where
        # it is that verb's particle or complement: 省着点花 is not 着花).
        after_verb = position > 0 and tags(text[position - 1])[0][1].startswith("v")
        for filler_end in range(position + 2, min(len(text), position + 5)):
            filler = text[position + 1:filler_end]
            if filler in SEPARABLE_FILLERS or _is_measure_phrase(filler):
                word = char + text[filler_end]
                if text[filler_end] in MODAL_PARTICLES:
                    break  # 干了吗: a modal particle is no object (not the word 干吗)
                readings = None if after_verb else self.lookup(word)
                if readings is not None:
                    return RuleDecision(readings[0], f"separable word {word}")
        # char is the object: look left for verb + filler.
        for filler_start in range(max(1, position - 3), position):
            filler = text[filler_start:position]
            if filler in SEPARABLE_FILLERS or _is_measure_phrase(filler):
                if tags(text[filler_start - 1])[0][1].startswith("d"):
                    continue  # an adverb (不, 也) does not open a verb-object word
                if self.lookup(text[filler_start - 1:position]) is not None:
                    continue  # 难过得: 过 closes the word 难过, it splits no 难得
                word = text[filler_start - 1] + char
                readings = self.lookup(word)
                if readings is not None:
                    return RuleDecision(readings[1], f"separable word {word}")
        return None

    def _potential_liao(self, position: int, char: str) -> RuleDecision | None:
        if char != "了" or position < 2 or self.text[position - 1] not in "得不":
            return None
        closed = self.lookup(self.text[position - 2:position])
        if closed is not None and closed[-1] == "de2":
            return None  # 获得了, 赢得了: 得 "obtain" ends the verb; 了 is its aspect particle
        if _tag_before(self.text, position - 1).startswith(("v", "a")):
            return RuleDecision("liao3", "potential complement V得了/V不了")
        return None

    def _de(self, position: int, char: str) -> RuleDecision | None:
        if char != "得":
            return None
        text = self.text
        opened_word = text[position:position + 2]
        opened = self.lookup(opened_word) if opened_word != "得了" else None
        if opened is not None and opened[0] == "de2":
            return RuleDecision("de2", f"得 opening the word {opened_word}")
        before_tag = _tag_before(text, position)
        after, after_tag = _word_after(text, position)
        if before_tag.startswith(("v", "a")) and before_tag != "vn":
            return RuleDecision("de5", "得 after a verb or adjective (complement)")
        if after.startswith(DEGREE_COMPLEMENTS) or after in ("真", "挺"):
            return RuleDecision("de5", "得 before a degree adverb (complement of degree)")
        if after.startswith("了") and len(text) > position + 2:
            return RuleDecision("de2", "得了 + object (obtain)")
        subject = before_tag == "" or before_tag.startswith(("r", "n", "d", "t", "m"))
        if subject and (after_tag.startswith(("v", "d", "p", "c")) or after[:1] in MODAL_NEXT):
            return RuleDecision("dei3", "得 between a subject and a verb (must)")
        return None

    def _di(self, position: int, char: str) -> RuleDecision | None:
        if char != "地":
            return None
        before = self.text[position - 1] if position else ""
        after = self.text[position + 1:position + 2]
        if (_tag_before(self.text, position) == "p" or before in DEMONSTRATIVES
                or before in NUMERALS or before in MEASURE_WORDS or after in LOCALIZERS):
            return RuleDecision("di4", "地 as a noun: after a preposition or before a localizer")
        return None

    def _measure(self, position: int, char: str) -> RuleDecision | None:
        reading = MEASURE_READINGS.get(char)
        before = self.text[position - 1] if position else ""
        if reading is None or not (before in NUMERALS or before in DEMONSTRATIVES):
            return None
        return RuleDecision(reading, "measure word after a numeral or demonstrative")

    def _adjective(self, position: int, char: str) -> RuleDecision | None:
        reading = ADJECTIVE_READINGS.get(char)
        if reading is None:
            return None
        text = self.text
        head = text[:position]
        if head.endswith(DEGREE_ADVERBS) or head.endswith("得"):
            if text[position + 1:position + 2] not in ("了", "着", "过") or char != "长":
                return RuleDecision(reading, "adjective after a degree adverb")
        before = text[position - 1] if position else ""
        rest = text[position + 1:]
        if (char not in VERB_READINGS and rest[:1] == "了" and rest[1:] in CLAUSE_END_PARTICLES
                and _tag_before(text, position).startswith("n")):
            return RuleDecision(reading, "adjective predicate of a noun before 了 (病好了)")
        _, after_tag = _word_after(text, position)
        if (before in ("着", "了", "的") or before in MEASURE_WORDS) and after_tag.startswith("n"):
            return RuleDecision(reading, "attributive adjective before a noun")
        if _tag_before(text, position) == "v" and char not in VERB_READINGS:
            return RuleDecision(reading, "adjective completing a verb (睡好, 晒干)")
        return None

    def _adverb(self, position: int, char: str) -> RuleDecision | None:
        reading = ADVERB_READINGS.get(char)
        if reading is None:
            return None
        word, tag = _word_after(self.text, position)
        if tag.startswith("v") and word[:1] not in ("给",):
            return RuleDecision(reading, "adverb before a verb")
        if char in STANDALONE_ADVERBS:
            return RuleDecision(reading, "adverb outside a dictionary word")
        return None

    def _verb(self, position: int, char: str) -> RuleDecision | None:
        reading = VERB_READINGS.get(char)
        if reading is None:
            return None
        text = self.text
        after = text[position + 1:position + 2]
        if not after and char in NOT_CLAUSE_FINAL_ADVERBS:
            return RuleDecision(reading, "verb at the end of a clause (an adverb cannot end it)")
        if after in RESULT_ADJECTIVES and char in CHANGE_VERBS:
            return RuleDecision(reading, "verb before a result adjective")
        if (after in VERB_FOLLOWERS or after == "得") and char not in AMBIGUOUS_BEFORE_FOLLOWERS:
            return RuleDecision(reading, "verb before an aspect particle or complement")
        word, tag = _word_after(text, position)
        noun = tag in ("n", "r") and word not in NOT_OBJECTS and word[:1] not in NUMERALS
        if (char in NOUN_OBJECT_VERBS and (noun or after in ("点", "给"))) or (
                char in NOUN_OBJECT_VERBS | MEASURE_OBJECT_VERBS
                and text[position + 1:position + 3] == "一下") or (
                char in MEASURE_OBJECT_VERBS and _is_measure_phrase(text[position + 1:position + 3])):
            return RuleDecision(reading, "verb before its object")
        return None


def _is_setting(fragment: str) -> bool:
    """A value one sets a device to: 最 + adjective (最大), or a number followed by a unit of
    :data:`SETTING_UNITS` or ending the clause (二十六度, 3档, 五十)."""
    if fragment.startswith("最"):
        return True
    number = len(fragment) - len(fragment.lstrip("0123456789.点" + "".join(NUMERALS)))
    rest = fragment[number:]
    return number > 0 and (not rest or rest.startswith(SETTING_UNITS))


def _is_measure_phrase(fragment: str) -> bool:
    """A numeral followed by one measure word (一碗, 两个)."""
    return (len(fragment) == 2 and fragment[0] in NUMERALS
            and (fragment[1] in MEASURE_WORDS or fragment[1] in "顿场次口盆棵"))
