"""Prosodic phrase breaks (#2) inside long clauses: where they go and where they never go."""

from pathlib import Path

import pytest

from huayin.text.frontend import analyze
from huayin.text.g2p import tagged_words
from huayin.text.phrasing import MIN_PHRASED_SYLLABLES, MIN_SIDE_SYLLABLES
from huayin.text.split import split_long_clause
from huayin.text.utterance import Break, Token

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _sentences() -> list[str]:
    lines = (BENCH / "sentences.txt").read_text().splitlines()
    hard = (BENCH / "sentences_hard.txt").read_text().splitlines()
    lines += [line.split("|")[0] for line in hard]
    return [line for line in lines if line.strip()] + [
        "在看到的每一种老年人患心脏病的情况下我们都应该及时就医",
        "研究表明每天坚持锻炼半小时可以显著降低患心脏病的风险",
        "经过全体员工的共同努力我们终于完成了今年的销售目标",
        "小明和他的同学们一起去公园里放风筝",
    ]


def _phrased(text: str) -> str:
    """The clauses' text with "|" at phrase breaks and "/" at clause ends."""
    out = []
    for clause in analyze(text).clauses:
        for token in clause.tokens:
            out.append(token.text + ("|" if token.break_after == Break.PHRASE else ""))
        out.append("/")
    return "".join(out)


def test_long_clauses_are_phrased_at_rule_positions():
    assert _phrased("研究表明每天坚持锻炼半小时可以显著降低患心脏病的风险") == \
        "研究表明|每天坚持锻炼半小时|可以显著降低|患心脏病的风险/"
    assert _phrased("会议将于下午三点在三楼会议室召开") == "会议将于下午三点|在三楼会议室召开/"


def test_known_poor_cuts_are_not_made():
    phrased = _phrased("在看到的每一种老年人患心脏病的情况下我们都应该及时就医")
    assert "每|" not in phrased and "患|" not in phrased


def test_short_clauses_have_no_phrase_break():
    for clause in analyze("今天天气很好，我们去公园散步吧。").clauses:
        assert all(t.break_after != Break.PHRASE for t in clause.tokens)


@pytest.mark.parametrize("text", _sentences())
def test_breaks_respect_the_rules(text):
    utterance = analyze(text)
    for clause in utterance.clauses:
        tokens = clause.tokens
        breaks = [i for i, t in enumerate(tokens[:-1]) if t.break_after == Break.PHRASE]
        if not breaks:
            continue
        assert len(tokens) >= MIN_PHRASED_SYLLABLES
        edges = [-1] + breaks + [len(tokens) - 1]
        assert all(b - a >= MIN_SIDE_SYLLABLES for a, b in zip(edges, edges[1:]))
        position = 0
        words = tagged_words(clause.text)
        ends, starts = {}, {}
        for word in words:
            starts[position] = word
            position += len(word.text)
            ends[position - 1] = word
        for index in breaks:
            left, right = ends[index], starts[index + 1]
            assert not right.tag.startswith(("f", "u", "y", "e", "k")), (text, left, right)
            assert not left.tag.startswith(("p", "c", "d")), (text, left, right)
            assert not (left.tag.startswith(("m", "q")) and right.tag.startswith("n")), (text, left)
            assert not (left.tag.startswith("a") and right.tag.startswith("n")), (text, left)
            assert len(left.text) > 1 or left.tag.startswith(("n", "f", "u", "y")) \
                or left.text in "我你他她它您", (text, left)


def test_phrasing_does_not_change_pinyin_and_is_deterministic(monkeypatch):
    text = "".join(_sentences())
    first, second = analyze(text), analyze(text)
    assert [t.break_after for t in first.tokens] == [t.break_after for t in second.tokens]
    assert sum(t.break_after == Break.PHRASE for t in first.tokens) > 10
    monkeypatch.setattr("huayin.text.g2p.add_phrase_breaks", lambda tokens, words: tokens)
    unphrased = analyze(text)
    assert [t.syllables for t in first.tokens] == [t.syllables for t in unphrased.tokens]
    assert [t.span for t in first.tokens] == [t.span for t in unphrased.tokens]


def _tokens(count: int, phrase_after: tuple[int, ...] = ()) -> list[Token]:
    """``count`` one-syllable tokens in two-character words, phrase breaks after the given
    1-based positions."""
    tokens = []
    for index in range(count):
        brk = Break.WORD if index % 2 else Break.NONE
        if index + 1 in phrase_after:
            brk = Break.PHRASE
        tokens.append(Token("字", ("zi4",), "字字", (index, index + 1), True, brk))
    return tokens


def test_long_clause_is_cut_at_a_phrase_break_near_the_even_position():
    pieces = split_long_clause(_tokens(100, phrase_after=(41,)), 60)
    assert [len(p) for p in pieces] == [41, 59]
    # too far from the even cut (50 ± 12.5): the even word boundary wins
    assert [len(p) for p in split_long_clause(_tokens(100, phrase_after=(30,)), 60)] == [50, 50]


def test_the_rest_is_divided_evenly_again_after_a_phrase_cut():
    # even cuts at 50 and 100; the phrase cut at 43 leaves 107 tokens, cut at the first word end
    # (even positions) past 43 + 53.5
    pieces = split_long_clause(_tokens(150, phrase_after=(43,)), 60)
    assert [len(p) for p in pieces] == [43, 55, 52]


def test_a_phrase_cut_never_adds_a_piece():
    # 100 tokens at most 50 a piece: only the exact half fits, whatever phrase breaks exist
    pieces = split_long_clause(_tokens(100, phrase_after=(40,)), 50)
    assert [len(p) for p in pieces] == [50, 50]


def test_clause_cuts_prefer_phrase_breaks_in_real_text():
    text = "研究表明每天坚持锻炼半小时可以显著降低患心脏病的风险"
    clauses = analyze(text, max_clause_tokens=12).clauses
    assert [c.text for c in clauses] == ["研究表明每天坚持锻炼", "半小时可以显著降低", "患心脏病的风险"]
    assert clauses[1].break_after == Break.PHRASE
