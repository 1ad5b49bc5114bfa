"""Inline pronunciation in plain text (行[hang2], 便宜[pian2 yi5]) and ``g2p --explain``."""

import os
import subprocess
import sys

import pytest

from huayin.text import analyze, pinyin_line
from huayin.text.explain import explain
from huayin.text.inline import InlinePronunciationError, extract_inline_pronunciations


@pytest.fixture(autouse=True)
def no_user_lexicon(tmp_path, monkeypatch):
    monkeypatch.setenv("HUAYIN_LEXICON", str(tmp_path / "absent-lexicon.txt"))


def test_brackets_fix_the_characters_just_before_them_and_are_not_spoken():
    parsed = extract_inline_pronunciations("特别便宜[bian4 yi2]，行[HANG2]")
    assert parsed.text == "特别便宜，行"
    assert parsed.readings == {2: "bian4", 3: "yi2", 5: "hang2"}
    utterance = analyze("特别便宜[bian4 yi2]，行[hang2]")
    assert utterance.original == "特别便宜，行"
    assert [t.syllables[0] for t in utterance.tokens] == \
        ["te4", "bie2", "bian4", "yi2", "hang2"]
    assert [t.span for t in utterance.tokens][-1] == (5, 6)


def test_user_readings_stay_exact_through_sandhi_and_are_context_for_neighbours():
    assert pinyin_line("你好[ni3 hao3]") == "ni3 hao3"
    # 一 before a user's fourth tone changes as it does before any fourth tone.
    assert pinyin_line("一行[hang4]") == "yi2 hang4"
    assert pinyin_line("看看[kan4 kan4]") == "kan4 kan4"


@pytest.mark.parametrize("text", ["文献[1]", "见[注]", "他说[OK]", "[hang2]开头", "a[b1]"])
def test_brackets_that_are_not_pinyin_after_chinese_stay_text(text):
    assert extract_inline_pronunciations(text).readings == {}


@pytest.mark.parametrize(
    ("text", "position", "why"),
    [("行[hang9]", 2, "not a pinyin syllable"), ("行[xyz2]", 2, "not a pinyin syllable"),
     ("好[ni3 hao3]", 2, "2 syllables for 1"), ("他是行[hang2", 4, "never closed"),
     ("好的，银行[yin2 hang2 le5]", 6, "3 syllables for 2")],
)
def test_malformed_inline_pronunciation_names_its_position(text, position, why):
    with pytest.raises(InlinePronunciationError) as raised:
        analyze(text)
    assert f"character {position}" in raised.value.message
    assert why in raised.value.message
    assert raised.value.code == "invalid_pronunciation"


def test_explain_names_the_source_of_each_polyphone():
    readings = {r.char: r for r in explain("特别便宜，你得多穿点，银行[xing2]")}
    assert (readings["便"].pinyin, readings["便"].source) == ("pian2", "word")
    assert "便宜" in readings["便"].detail
    assert (readings["得"].pinyin, readings["得"].source) == ("dei3", "rule")
    assert (readings["行"].pinyin, readings["行"].source) == ("xing2", "inline")
    assert readings["穿"].source == ""  # one reading only


def test_explain_names_the_user_lexicon(tmp_path, monkeypatch):
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text("重庆 zhong4 qing4\n", encoding="utf-8")
    monkeypatch.setenv("HUAYIN_LEXICON", str(lexicon))
    first = explain("我在重庆")[2]
    assert (first.pinyin, first.source) == ("zhong4", "lexicon")


def _huayin(*args):
    return subprocess.run([sys.executable, "-m", "huayin", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ})


def test_cli_explain_and_inline_errors():
    result = _huayin("g2p", "--explain", "你得多穿点")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ni2 dei3 duo1 chuan1 dian3"
    assert any(line.split()[:3] == ["得", "dei3", "rule"] for line in lines[1:])
    bad = _huayin("g2p", "行[hang9]")
    assert bad.returncode == 2
    assert bad.stderr.startswith("huayin: error: inline pronunciation at character 2")
