"""Pronunciation: polyphones, tone sandhi, erhua, user lexicon (exact, model-free except g2pM)."""

import os
import time

import pytest

from huayin.text import analyze, pinyin_line
from huayin.text.lexicon import Lexicon, normalize_syllable
from huayin.text.punctuation import is_hanzi


@pytest.fixture(autouse=True)
def no_user_lexicon(tmp_path, monkeypatch):
    """Tests never read the developer's own lexicon."""
    monkeypatch.setenv("HUAYIN_LEXICON", str(tmp_path / "absent-lexicon.txt"))


@pytest.mark.parametrize(
    ("text", "pinyin"),
    [("你好", "ni2 hao3"), ("展览馆", "zhan2 lan2 guan3"), ("纸老虎", "zhi3 lao2 hu3"),
     ("一个", "yi2 ge4"), ("一样", "yi2 yang4"), ("一天", "yi4 tian1"), ("第一", "di4 yi1"),
     ("统一", "tong3 yi1"), ("十一", "shi2 yi1"), ("一九九八", "yi1 jiu2 jiu3 ba1"),
     ("不对", "bu2 dui4"), ("不好", "bu4 hao3"), ("看不懂", "kan4 bu5 dong3"),
     ("是不是", "shi4 bu5 shi4"), ("看看", "kan4 kan5"), ("想一想", "xiang3 yi5 xiang3"),
     ("妈妈", "ma1 ma5"), ("人人", "ren2 ren2"), ("我们", "wo3 men5"), ("桌子", "zhuo1 zi5"),
     ("男子", "nan2 zi3"), ("石头", "shi2 tou5"), ("慢慢地走", "man4 man4 de5 zou3"),
     ("看着我", "kan4 zhe5 wo3"), ("他走了", "ta1 zou3 le5"), ("朋友", "peng2 you5")],
)
def test_tone_sandhi_and_neutral_tones(text, pinyin):
    assert pinyin_line(text) == pinyin


@pytest.mark.parametrize(
    ("text", "pinyin"),
    [("一点儿", "yi4 dianr3 r"), ("哪儿", "nar3 r"), ("玩儿", "wanr2 r"),
     ("女儿", "nv3 er2"), ("婴儿", "ying1 er2"), ("儿子", "er2 zi5")],
)
def test_erhua_merges_suffix_er_only(text, pinyin):
    assert pinyin_line(text) == pinyin


@pytest.mark.parametrize(
    ("text", "char", "reading"),
    [("他去银行取钱", "行", "hang2"), ("行走在路上", "行", "xing2"), ("孩子长大了", "长", "zhang3"),
     ("这条路的长度", "长", "chang2"), ("这很重要", "重", "zhong4"), ("重新开始", "重", "chong2"),
     ("我了解你", "了", "liao2"), ("了解", "了", "liao2"), ("他走了", "了", "le5")],
)
def test_polyphones_in_context(text, char, reading):
    """Readings after sandhi: 了解 is liao3 jie3 in the dictionary, liao2 jie3 when spoken."""
    hanzi = [c for c in text if is_hanzi(c)]
    assert pinyin_line(text).split()[hanzi.index(char)] == reading


def test_erhua_tokens_keep_one_token_per_character():
    tokens = analyze("我在这儿等一点儿").tokens
    assert "".join(t.text for t in tokens) == "我在这儿等一点儿"
    assert [t.syllables for t in tokens if t.text == "儿"] == [("r",), ("r",)]


@pytest.mark.parametrize(
    "text",
    ["我们去看看ABC，好吗？", "2023年10月1日下午3点，气温-5℃", "一点儿也不重要！女儿说。",
     "他长得很高，银行行长说：“行！”", "😀 emoji 和 空格"],
)
def test_one_syllable_per_chinese_character_of_the_normalized_text(text):
    utterance = analyze(text)
    hanzi = [c for c in utterance.normalized if is_hanzi(c)]
    assert len(pinyin_line(text).split()) == len(hanzi)


def test_lexicon_overrides_and_reloads_when_the_file_changes(tmp_path, monkeypatch):
    path = tmp_path / "lexicon.txt"
    monkeypatch.setenv("HUAYIN_LEXICON", str(path))
    assert pinyin_line("银行") == "yin2 hang2"
    path.write_text("# comment\n银行 yin2 xing2\n", encoding="utf-8")
    assert pinyin_line("去银行") == "qu4 yin2 xing2"
    path.write_text("银行 YIN2 HANG2\n重庆 chong2 qing4\n", encoding="utf-8")
    stamp = time.time() + 5  # a later mtime even on coarse-grained file systems
    os.utime(path, (stamp, stamp))
    assert pinyin_line("银行在重庆") == "yin2 hang2 zai4 chong2 qing4"
    path.unlink()
    assert pinyin_line("银行") == "yin2 hang2"


def test_lexicon_wins_over_sandhi_and_skips_bad_lines():
    lexicon = Lexicon.parse("你好 ni3 hao3\n坏行 huai4\n绿 lü4\n")
    assert lexicon.entries == {"你好": ("ni3", "hao3"), "绿": ("lv4",)}
    assert [(m.start, m.syllables) for m in lexicon.matches("说你好")] == [(1, ("ni3", "hao3"))]
    assert normalize_syllable("yín") == "yin2"
    assert normalize_syllable("nu:3") == "nv3"
    assert normalize_syllable("ma") == "ma5"
    assert normalize_syllable("x1y") is None


def test_lexicon_syllables_are_final(tmp_path, monkeypatch):
    path = tmp_path / "lexicon.txt"
    path.write_text("你好 ni3 hao3\n", encoding="utf-8")
    monkeypatch.setenv("HUAYIN_LEXICON", str(path))
    assert pinyin_line("你好") == "ni3 hao3"


def test_arbiter_inputs_expose_the_votes_the_readings_come_from():
    """Each polyphonic character gets g2pM's probabilities and one vote per dictionary (in the
    order of VOTE_WEIGHTS), then one per extra phrase lookup; citation_readings is their arbiter."""
    import rjieba

    from huayin.text.polyphone import VOTE_WEIGHTS, arbiter_inputs, citation_readings

    text = "他去银行取钱"
    words = rjieba.cut(text)
    extra = {"银行取": ["yin2", "xing2", "qu3"]}.get
    readings, candidates = arbiter_inputs(text, words, extra_phrases=(extra,))
    row = next(c for c in candidates if text[c.position] == "行")
    assert set(row.probabilities) >= {"hang2", "xing2"}
    assert row.votes == ("hang2", "hang2", "hang2", "xing2")
    assert row.best(VOTE_WEIGHTS) == "hang2"
    # A vote that outweighs the others decides.
    assert row.best((0.0, 0.0, 0.0, 100.0)) == "xing2"
    decided = citation_readings(text, words)
    assert decided[row.position] == "hang2"
    assert [decided[i] for i, c in enumerate(text) if c not in "行"] == \
        [r for i, r in enumerate(readings) if text[i] != "行"]
