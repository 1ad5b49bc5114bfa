"""Prosodic phrase breaks (#2) inside long clauses: where they go and where they never go."""

from pathlib import Path

import pytest

from huayin.text.frontend import analyze
from huayin.text.g2p import tagged_words
from huayin.text.phrasing import MIN_PHRASED_SYLLABLES, MIN_SIDE_SYLLABLES
from huayin.text.utterance import Break

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _sentences() -> list[str]:
    lines = (BENCH / "sentences.txt").read_text().splitlines()
    lines += [line.split("|")[0] for line in (BENCH / "sentences_hard.txt").read_text().splitlines()]
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
