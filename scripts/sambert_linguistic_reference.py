"""NOT PRODUCT CODE — records KAN-TTS's own text-to-symbol conversion for huayin's front end.

Stage 1 runs huayin's front end (this repository's venv) on the sentences below and keeps each
clause's pinyin and prosodic-word segmentation. Stage 2 feeds that pinyin/segmentation to KAN-TTS's
``PinYinSyllableFormatter`` + ``SpokenWord.SaveMetafile`` (imported from a KAN-TTS checkout at
``KANTTS_SRC``, never copied here) and to the formatter for every syllable of ``py2phoneMap`` with
each tone. Output: ``tests/fixtures/sambert_linguistic_reference.json``::

    KANTTS_SRC=/path/to/KAN-TTS .venv/bin/python scripts/sambert_linguistic_reference.py
"""

import json
import os
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "fixtures" / "sambert_linguistic_reference.json"
SENTENCES = (
    "我们一点儿都不想去那儿玩儿。", "小孩儿在门口儿等你呢。", "阿姨爱吃鹅蛋和藕。",
    "欧洲的二月很冷吗？", "儿子昂着头，嗯了一声。", "绿色的女孩儿去学校了。",
    "元旦那天云很少，雪却下个不停。", "他略微笑了笑，说：好的。", "今天天气真不错，我们出去走走吧！",
    "这是一个非常重要的问题。", "春眠不觉晓，处处闻啼鸟。", "请把窗户关上，外面风太大了。",
    "你吃饭了没有？", "北京是中国的首都。", "他们正在讨论明年的计划。",
    "老师让我们把作业写完再回家。", "这本书我已经看了三遍了。", "晚上八点我们在电影院门口见面。",
    "哎呀，你怎么又迟到了？", "安静的夜晚，月亮挂在天上。", "熊猫喜欢吃竹子。",
    "我的手机号码是一三八零零一三八零零零。", "窗外下着小雨，屋里很暖和。", "饿了就吃点儿东西吧。",
    "谁也没想到结果会是这样。", "我爱北京天安门。", "一起去公园散步怎么样？",
    "他说话的声音越来越小。", "请问去火车站怎么走？", "祝你生日快乐，万事如意！",
)


def front_end_cases() -> list[dict]:
    sys.path.insert(0, str(ROOT / "src"))
    from huayin.text.frontend import analyze

    cases = []
    for sentence in SENTENCES:
        for clause in analyze(sentence).clauses:
            cases.append({
                "sentence": sentence,
                "tokens": [{"text": t.text, "syllables": list(t.syllables),
                            "break_after": int(t.break_after)} for t in clause.tokens],
            })
    return cases


def _kantts(source: Path):
    sys.path.insert(0, str(source))
    for name in ("kantts", "kantts.preprocess", "kantts.preprocess.script_convertor"):
        package = types.ModuleType(name)
        package.__path__ = [str(source / name.replace(".", "/"))]
        sys.modules[name] = package
    from kantts.preprocess.script_convertor.core.ScriptWord import SpokenWord
    from kantts.preprocess.script_convertor.core.SyllableFormatter import PinYinSyllableFormatter

    py_map = {}
    for line in (source / "kantts/preprocess/languages/PinYin/py2phoneMap.txt").read_text().splitlines():
        if "\t" in line:
            key, value = line.split("\t")
            py_map[key] = value
    return SpokenWord, PinYinSyllableFormatter(py_map), py_map


def kantts_symbols(tokens: list[dict], spoken_word_cls, formatter) -> str:
    """The clause's prosodic words (split where huayin puts a break ≥ #1; the last ends #4),
    converted by KAN-TTS."""
    words, current = [], []
    for index, token in enumerate(tokens):
        current += [s for s in token["syllables"] if s[:-1] != "r" and s != "r"]
        level = 4 if index == len(tokens) - 1 else min(token["break_after"], 4)
        if level >= 1 and current:
            words.append((current, str(level)))
            current = []
    lines = []
    for syllables, level in words:
        word = spoken_word_cls()
        word.m_syllable_list = []
        for syllable in syllables:
            pron = syllable if syllable[-1].isdigit() else syllable + "5"
            pron = pron.replace("ü", "v")
            if pron[0] in "jqxy" and pron[1] == "u":  # KAN-TTS's pinyin writes ü as v there
                pron = pron[0] + "v" + pron[2:]
            if pron[0] in "ln" and pron[1:3] == "ue":
                pron = pron[0] + "ve" + pron[3:]
            assert formatter.Format(object(), pron, word.m_syllable_list), pron
        word.m_breakText = level
        lines.append(word.SaveMetafile())
    return " ".join(lines)


def main() -> None:
    cases = front_end_cases()
    spoken_word_cls, formatter, py_map = _kantts(Path(os.environ.get("KANTTS_SRC",
                                                                      "/tmp/kantts_src")))
    for case in cases:
        case["kantts"] = kantts_symbols(case["tokens"], spoken_word_cls, formatter)
    syllables = {}
    for key in py_map:
        for tone in "12345":
            found = []
            assert formatter.Format(object(), key + tone, found)
            syllables[key + tone] = " ".join(found[0].m_phone_list) + f" tone{found[0].ToneText()}"
    OUTPUT.write_text(json.dumps({"clauses": cases, "syllables": syllables}, ensure_ascii=False))
    print(f"wrote {OUTPUT}: {len(cases)} clauses, {len(syllables)} syllables")


if __name__ == "__main__":
    main()
