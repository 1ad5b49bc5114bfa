"""Front end: normalization, clause splitting, tokens, spans (no model needed)."""

import pytest

from huayin.text import Break, analyze, normalize_text, pinyin_line
from huayin.text.numbers import read_cardinal


@pytest.mark.parametrize(
    ("number", "spoken"),
    [("0", "零"), ("7", "七"), ("10", "十"), ("15", "十五"), ("20", "二十"), ("101", "一百零一"),
     ("110", "一百一十"), ("1005", "一千零五"), ("10086", "一万零八十六"), ("10010", "一万零一十"),
     ("100000", "十万"), ("120000000", "一亿二千万"), ("100000001", "一亿零一")],
)
def test_cardinals(number, spoken):
    assert read_cardinal(number) == spoken


@pytest.mark.parametrize(
    ("text", "normalized"),
    [("共3个", "共三个"), ("3.14", "三点一四"), ("增长12.5%", "增长百分之十二点五"),
     ("零下-5度", "零下负五度"), ("1,234,567人", "一百二十三万四千五百六十七人"),
     ("2023年", "二零二三年"), ("电话13800138000", "电话一三八零零一三八零零零"),
     ("编号007", "编号零零七"), ("１２３个", "一百二十三个")],
)
def test_normalize_numbers(text, normalized):
    assert normalize_text(text) == normalized


def test_tokens_point_back_at_the_source():
    text = "我有12个苹果"
    utterance = analyze(text)
    tokens = utterance.tokens
    assert "".join(t.text for t in tokens) == "我有十二个苹果"
    twelve = [t for t in tokens if t.text in "十二"]
    assert {t.span for t in twelve} == {(2, 4)}
    assert text[tokens[-1].span[0]:tokens[-1].span[1]] == "果"


def test_punctuation_sets_break_strength():
    clauses = analyze("你好、朋友，今天天气不错。我们走吧！").clauses
    assert [c.text for c in clauses] == ["你好", "朋友", "今天天气不错", "我们走吧"]
    assert [c.break_after for c in clauses] == [
        Break.PHRASE, Break.CLAUSE, Break.SENTENCE, Break.SENTENCE]


def test_paragraph_break_and_strongest_mark_wins():
    clauses = analyze("第一段结束。\n\n第二段开始").clauses
    assert clauses[0].break_after == Break.PARAGRAPH


def test_long_clause_is_cut_at_word_boundaries():
    text = "人工智能正在改变我们的工作方式和生活方式" * 8  # 160 characters, no punctuation
    clauses = analyze(text, max_clause_tokens=50).clauses
    assert all(len(c.tokens) <= 50 for c in clauses)
    assert "".join(c.text for c in clauses) == text  # nothing dropped
    assert all(c.tokens[-1].break_after >= Break.WORD for c in clauses)


def test_letters_are_spelled_and_emoji_skipped_with_warnings():
    utterance = analyze("我用ABC😀")
    letters = [t for t in utterance.tokens if not t.is_hanzi]
    assert [t.text for t in letters] == ["A", "B", "C"]
    assert all(t.syllables for t in letters)
    assert any("😀" in w for w in utterance.warnings)


def test_nothing_speakable_gives_no_clauses():
    assert analyze("😀🎉 ※").clauses == []


def test_pinyin_line_has_one_syllable_per_hanzi():
    line = pinyin_line("我们去看看ABC，好吗？")
    assert line.split() == ["wo3", "men5", "qu4", "kan4", "kan5", "hao3", "ma5"]


def test_neutral_tone_is_five_and_u_umlaut_is_v():
    assert pinyin_line("绿色的") == "lv4 se4 de5"
