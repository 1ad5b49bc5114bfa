"""Everyday polyphones: the dictionary word wins over the character model, syntax rules decide
function words, surnames and measure words (readings after sandhi, as ``huayin g2p`` prints)."""

import pytest

from huayin.text import pinyin_line
from huayin.text.g2p import tagged_words
from huayin.text.polyphone import decide_readings
from huayin.text.punctuation import is_hanzi


@pytest.fixture(autouse=True)
def no_user_lexicon(tmp_path, monkeypatch):
    monkeypatch.setenv("HUAYIN_LEXICON", str(tmp_path / "absent-lexicon.txt"))


def reading_of(text: str, char: str, occurrence: int = 0) -> str:
    hanzi = [c for c in text if is_hanzi(c)]
    indices = [i for i, c in enumerate(hanzi) if c == char]
    return pinyin_line(text).split()[indices[occurrence]]


@pytest.mark.parametrize(
    ("text", "char", "reading"),
    [("超市的鸡蛋特别便宜", "便", "pian2"), ("你着什么急", "着", "zhao2"),
     ("王大夫来了", "大", "dai4"), ("帮我盛一碗汤", "盛", "cheng2"), ("倒车请注意", "倒", "dao4"),
     ("你得多穿点", "得", "dei3"), ("他跑得很快", "得", "de5"), ("他得了第一名", "得", "de2"),
     ("一觉睡到天亮", "觉", "jiao4"), ("天气暖和了", "和", "huo5"), ("这条路很长", "长", "chang2"),
     ("时间很长", "长", "chang2"), ("她留着长头发", "长", "chang2"), ("孩子长高了", "长", "zhang3"),
     ("吃不了就打包", "了", "liao3"), ("曾先生来了", "曾", "zeng1"), ("他曾经来过", "曾", "ceng2"),
     ("单老师好", "单", "shan4"), ("我去厦门", "厦", "xia4"), ("我在六安上学", "六", "lu4"),
     ("借的钱要按时还", "还", "huan2"), ("我还没吃饭", "还", "hai2"), ("这种花很好养", "种", "zhong3"),
     ("第三行有个错字", "行", "hang2"), ("把地扫一下", "地", "di4"), ("慢慢地走", "地", "de5")],
)
def test_everyday_polyphones(text, char, reading):
    assert reading_of(text, char) == reading


def test_reduplicated_verb_takes_the_verb_reading():
    assert pinyin_line("数数看有几个").split()[0] == "shu3"
    assert reading_of("你数一数有多少人", "数", 1) == "shu3"


def test_neutral_tone_of_the_dictionary_word_survives():
    assert pinyin_line("超市的鸡蛋特别便宜").split()[-2:] == ["pian2", "yi5"]
    assert pinyin_line("我买了很多东西").split()[-2:] == ["dong1", "xi5"]


def test_each_polyphone_names_the_source_that_decided():
    text = "超市的鸡蛋特别便宜，你得多穿点"
    clause = text.split("，")[0]
    decisions = decide_readings(clause, [w.text for w in tagged_words(clause)])
    bian = decisions[clause.index("便")]
    assert (bian.reading, bian.source, bian.polyphonic) == ("pian2", "word", True)
    assert "便宜" in bian.detail
    clause = text.split("，")[1]
    de = decide_readings(clause, [w.text for w in tagged_words(clause)])[1]
    assert (de.reading, de.source) == ("dei3", "rule")
    assert not decide_readings("你好", ["你好"])[0].polyphonic


def test_confident_model_overrules_only_a_rare_dictionary_word():
    # 拖拽 (rjieba frequency 4): CC-CEDICT's dated ye4 loses to g2pM's near-certain zhuai4.
    clause = "用鼠标拖拽文件"
    zhuai = decide_readings(clause, [w.text for w in tagged_words(clause)])[clause.index("拽")]
    assert (zhuai.reading, zhuai.source) == ("zhuai4", "model")
    assert "rare word" in zhuai.detail
    # A word only CC-CEDICT lists and rjieba's dictionary lacks is rare too.
    clause = "曹丕受禅称帝"
    chan = decide_readings(clause, [w.text for w in tagged_words(clause)])[clause.index("禅")]
    assert chan.source == "model" and "受禅 (CC-CEDICT) is a rare word" in chan.detail
    # Everyday words keep the dictionary reading however sure g2pM is: 炸鸡 (frequency 15), a
    # pypinyin phrase rjieba does not list (量血压, 一宿), a rare word a syntax rule confirms (量尺寸).
    for text, char, reading in (("我想吃炸鸡", "炸", "zha2"), ("我去医院量血压", "量", "liang2"),
                                ("我们聊了一宿", "宿", "xiu3"),
                                ("师傅正在量尺寸", "量", "liang2")):
        decision = decide_readings(text, [w.text for w in tagged_words(text)])[text.index(char)]
        assert (decision.reading, decision.source) == (reading, "word")
