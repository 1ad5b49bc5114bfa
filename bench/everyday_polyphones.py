"""Polyphone accuracy on everyday sentences (bench/everyday_polyphones.txt).

    .venv/bin/python bench/everyday_polyphones.py [--errors] [--check] [--half tune|held-out]

Each line of the set is a sentence whose checked readings are written in huayin's inline syntax
(``特别便宜[pian2 yi5]``). The brackets are removed, the sentence goes through the whole front end
(:func:`huayin.text.analyze`, no user lexicon), and each marked character's spoken reading is
compared with the mark. Third-tone sandhi is not a misreading: a mark of tone 3 accepts tone 2
when the next syllable spoken is a third tone.

The set is split in two halves by line parity: odd sentences (1st, 3rd, ...) are the *tune* half
that rules were developed on, even ones the *held-out* half; both and the total are reported.

``--check`` prints, instead of accuracy, what the offline dictionaries say about each mark:
readings that are not among the character's readings in pypinyin, and marked words whose
pypinyin / CC-CEDICT phrase reading differs (to be reviewed by hand), and how many distinct
polyphonic characters the marks cover.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE / "everyday_polyphones.txt"


def load(path: Path) -> list[tuple[str, dict[int, str]]]:
    """(sentence without marks, offset → marked syllable) for every sentence of the set."""
    from huayin.text.inline import extract_inline_pronunciations

    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parsed = extract_inline_pronunciations(line.strip())
        items.append((parsed.text, parsed.readings))
    return items


def spoken_readings(sentence: str) -> dict[int, str]:
    """Offset in the sentence → the syllable the front end speaks there."""
    from huayin.text import analyze

    return {t.span[0]: t.syllables[0] for t in analyze(sentence).tokens if t.is_hanzi}


def matches(expected: str, spoken: str | None, next_spoken: str | None) -> bool:
    """Equal, or a cited third tone spoken as a second before another third tone."""
    if spoken == expected:
        return True
    return (spoken is not None and expected.endswith("3") and spoken == expected[:-1] + "2"
            and next_spoken is not None and next_spoken.endswith("3"))


def score(items) -> tuple[int, int, list[str]]:
    """(correct marks, marks, error lines) over ``items``."""
    correct = total = 0
    errors = []
    for sentence, marks in items:
        spoken = spoken_readings(sentence)
        for offset, expected in sorted(marks.items()):
            nxt = next((spoken[o] for o in sorted(spoken) if o > offset), None)
            ok = matches(expected, spoken.get(offset), nxt)
            correct += ok
            total += 1
            if not ok:
                errors.append(f"{sentence}  {sentence[offset]}: want {expected}, "
                              f"got {spoken.get(offset)}")
    return correct, total, errors


def check(items) -> None:
    """Print what the dictionaries say about the marks (see the module docstring)."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_tone3

    from huayin.text.polyphone import cedict_phrases

    def tone3(marked: str) -> str:
        return to_tone3(marked, neutral_tone_with_five=True).replace("ü", "v")

    polyphonic = set()
    for sentence, marks in items:
        for offset, expected in marks.items():
            char = sentence[offset]
            readings = {tone3(r) for r in PINYIN_DICT.get(ord(char), "").split(",") if r}
            if len(readings) > 1:
                polyphonic.add(char)
            if expected not in readings and not expected.endswith("5"):
                print(f"not a dictionary reading of {char}: {expected}  ({sentence})")
        # Runs of consecutive marks are the marked words.
        offsets = sorted(marks)
        runs, run = [], []
        for offset in offsets:
            if run and offset != run[-1] + 1:
                runs.append(run)
                run = []
            run.append(offset)
        if run:
            runs.append(run)
        for run in runs:
            if len(run) < 2:
                continue
            word = "".join(sentence[o] for o in run)
            mine = [marks[o] for o in run]
            phrase = PHRASES_DICT.get(word)
            for name, theirs in (
                ("pypinyin", [tone3(s[0]) for s in phrase] if phrase else None),
                ("cc-cedict", cedict_phrases().get(word)),
            ):
                # A neutral tone (5) is a spoken reading of any tone the dictionary cites.
                if theirs and any(a != b and not (a.endswith("5") and a[:-1] == b[:-1])
                                  for a, b in zip(mine, theirs)):
                    print(f"{word}: marked {' '.join(mine)}, {name} {' '.join(theirs)}")
    print(f"{len(items)} sentences, {sum(len(m) for _, m in items)} marks, "
          f"{len(polyphonic)} distinct polyphonic characters marked")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--errors", action="store_true", help="print every misreading")
    parser.add_argument("--check", action="store_true", help="check marks against dictionaries")
    parser.add_argument("--half", choices=("tune", "held-out"), help="score one half only")
    args = parser.parse_args()
    # The bench measures huayin itself, never the developer's own lexicon.
    os.environ["HUAYIN_LEXICON"] = str(Path(tempfile.gettempdir()) / "no-such-lexicon.txt")
    sys.path.insert(0, str(HERE.parent / "src"))
    items = load(args.set)
    if args.check:
        check(items)
        return 0
    halves = {"tune": items[0::2], "held-out": items[1::2]}
    if args.half:
        halves = {args.half: halves[args.half]}
    all_errors = []
    print(f"everyday polyphones: {len(items)} sentences")
    total_correct = total_marks = 0
    for name, half in halves.items():
        correct, marks, errors = score(half)
        all_errors += errors
        total_correct += correct
        total_marks += marks
        print(f"{name:9s} {len(half):4d} sentences {marks:5d} marks {correct / marks:8.2%}")
    if len(halves) > 1:
        print(f"{'all':9s} {len(items):4d} sentences {total_marks:5d} marks "
              f"{total_correct / total_marks:8.2%}")
    if args.errors:
        print("\n".join(all_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
