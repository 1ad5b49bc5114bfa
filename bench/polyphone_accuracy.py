"""Polyphone accuracy on CPP (g2pM's Chinese Polyphones with Pinyin set), per method.

    .venv/bin/python bench/polyphone_accuracy.py [--split dev|test] [--data DIR]

Each CPP line holds one polyphonic character wrapped in ▁; its label is the citation reading
(ü written u:). Methods:

- pypinyin: rjieba words through pypinyin's phrase dictionary (the foundation's front end);
- g2pM: the g2pM package as published, on the whole sentence;
- huayin: :func:`huayin.text.polyphone.citation_readings`, fed the way the front end feeds it —
  the punctuation-free clause that holds the character, segmented by rjieba.

Readings are compared before tone sandhi (CPP labels citation tones). Tune on dev; test is for
reporting only.
"""

import argparse
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "cpp"
MARK = "▁"


def load(data: Path, split: str) -> list[tuple[str, int, str]]:
    """(sentence without marks, index of the polyphonic character, label with v for ü)."""
    sentences = (data / f"{split}.sent").read_text(encoding="utf-8").splitlines()
    labels = (data / f"{split}.lb").read_text(encoding="utf-8").splitlines()
    items = []
    for sentence, label in zip(sentences, labels, strict=True):
        index = sentence.index(MARK)
        items.append((sentence.replace(MARK, ""), index, label.strip().replace("u:", "v")))
    return items


def clause_around(sentence: str, index: int) -> tuple[str, int, tuple[str, str]]:
    """The punctuation-free clause holding ``index``, the index inside it, and the sentence
    context around it, cut exactly as the front end cuts them."""
    from huayin.text.frontend import sentence_contexts
    from huayin.text.normalize import NormalizedText
    from huayin.text.split import split_at_punctuation

    spans = tuple((i, i + 1) for i in range(len(sentence)))
    segments = split_at_punctuation(NormalizedText(sentence, spans))
    for segment, context in zip(segments, sentence_contexts(segments)):
        offsets = [start for start, _ in segment.spans]
        if index in offsets:
            return segment.text, offsets.index(index), context
    raise ValueError(f"character {index} of {sentence!r} is in no clause")


def run_pypinyin(items):
    import rjieba

    from huayin.text.polyphone import dictionary_readings

    for sentence, index, _ in items:
        yield dictionary_readings(rjieba.cut(sentence))[index]


def run_g2pm(items):
    from g2pM import G2pM

    model = G2pM()
    for sentence, index, _ in items:
        yield model(sentence, char_split=True)[index].replace("u:", "v")


def run_huayin(items):
    import rjieba

    from huayin.text.polyphone import citation_readings

    for sentence, index, _ in items:
        clause, position, context = clause_around(sentence, index)
        yield citation_readings(clause, rjieba.cut(clause), context)[position]


def measure(name, method, items):
    started = time.perf_counter()
    first = None
    correct = 0
    for count, (prediction, (_, _, label)) in enumerate(zip(method(items), items), 1):
        if first is None:
            first = time.perf_counter() - started  # includes loading models and dictionaries
        correct += prediction == label
    elapsed = time.perf_counter() - started
    per_sentence = (elapsed - first) / max(1, len(items) - 1) * 1000
    print(f"{name:10s} {correct / len(items):8.2%} {per_sentence:12.2f} {first:10.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--methods", default="pypinyin,g2pm,huayin")
    args = parser.parse_args()
    items = load(args.data, args.split)
    print(f"CPP {args.split}: {len(items)} sentences")
    print(f"{'method':10s} {'accuracy':>8s} {'ms/sentence':>12s} {'first (s)':>10s}")
    methods = {"pypinyin": run_pypinyin, "g2pm": run_g2pm, "huayin": run_huayin}
    for name in args.methods.split(","):
        measure(name, methods[name], items)
    if "huayin" in args.methods:
        from huayin.text.polyphone import cedict_phrases
        from huayin.text.polyphone_model import polyphone_model

        model, cedict = polyphone_model(), cedict_phrases()
        print(f"huayin load: g2pM arrays {model.load_seconds:.2f} s, "
              f"CC-CEDICT phrases {cedict.load_seconds:.2f} s ({len(cedict)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
