"""Text normalization on real-world sentences: exact match on bench/tn_real/*.tsv, before and after.

    .venv/bin/python bench/tn_realworld.py [--before REV] [--errors] [--rules] [--set dev|heldout|all]

The sets (``genre<TAB>written<TAB>spoken[<TAB>another accepted reading...]``) hold sentences from
news, weather reports, shops, hospitals, addresses, sports and mixed text (times beside scores,
URLs, e-mail addresses, file paths). A sentence is right when the normalized text equals one of
its accepted readings, punctuation and whitespace removed on both sides (as
bench/frontend_accuracy.py compares). ``dev.tsv`` is what the rules were written against;
``heldout.tsv`` was written after them, to check that they generalise.

``--before REV`` scores the source tree of a git revision too (``git archive`` into a temporary
folder, run in a child process) and prints both columns. ``--rules`` counts, per rule, the
sentences it fired on, and flags rules that fire on a single sentence only.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETS_DIR = HERE / "tn_real"
SET_NAMES = ("dev", "heldout")

sys.path.insert(0, str(HERE))
from frontend_accuracy import strip_for_comparison  # noqa: E402


def read_set(name: str) -> list[tuple[str, str, list[str]]]:
    """(genre, written, accepted readings) for every case of one set; missing set → empty."""
    path = SETS_DIR / f"{name}.tsv"
    if not path.is_file():
        return []
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise SystemExit(f"{path}:{number}: expected genre, written, spoken (tab-separated)")
        cases.append((fields[0], fields[1], fields[2:]))
    return cases


def normalized_outputs(texts: list[str]) -> list[str]:
    """What the huayin on sys.path makes of each text."""
    from huayin.text import normalize_text

    return [normalize_text(text) for text in texts]


def outputs_at_revision(revision: str, texts: list[str]) -> list[str]:
    """The normalized texts as the source tree of ``revision`` produces them (child process)."""
    repo = HERE.parent
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(repo), "archive", revision, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        child = subprocess.run(
            [sys.executable, __file__, "--outputs-only"], input=json.dumps(texts),
            capture_output=True, text=True, check=True,
            env={"PYTHONPATH": str(Path(folder) / "src"), "PATH": "/usr/bin:/bin"})
    return json.loads(child.stdout)


def is_right(output: str, accepted: list[str]) -> bool:
    got = strip_for_comparison(output)
    return any(got == strip_for_comparison(reading) for reading in accepted)


def rule_counts(texts: list[str]) -> Counter:
    """For each rule, the number of texts in which it read at least one match."""
    from huayin.text.normalize import normalize
    from huayin.text.tn import RULES
    from huayin.text.tn.rule import Rule

    fired: set[str] = set()

    def counting(rule: Rule) -> Rule:
        def verbalize(match):
            fired.add(rule.name)
            return rule.verbalize(match)
        return Rule(rule.name, rule.pattern, verbalize, rule.accepts)

    rules = tuple(counting(rule) for rule in RULES)
    counts: Counter = Counter({rule.name: 0 for rule in RULES})
    for text in texts:
        fired.clear()
        normalize(text, rules)
        counts.update(fired)
    return counts


def report(title: str, cases, columns: dict[str, list[str]]) -> None:
    print(f"\n## {title}: sentence exact match ({len(cases)} sentences)")
    names = list(columns)
    print("| genre | lines | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    by_genre: dict[str, list[int]] = defaultdict(list)
    for index, (genre, _, _) in enumerate(cases):
        by_genre[genre].append(index)
    for genre, indexes in [*sorted(by_genre.items()), ("all", list(range(len(cases))))]:
        cells = []
        for name in names:
            right = sum(is_right(columns[name][i], cases[i][2]) for i in indexes)
            cells.append(f"{100 * right / len(indexes):.1f}% ({right})")
        print(f"| {genre} | {len(indexes)} | " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--set", choices=[*SET_NAMES, "all"], default="all")
    parser.add_argument("--before", metavar="REV", help="also score this git revision")
    parser.add_argument("--errors", action="store_true", help="list every mismatch (after)")
    parser.add_argument("--rules", action="store_true", help="sentences each rule fired on")
    parser.add_argument("--outputs-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.outputs_only:  # child mode of --before: texts in on stdin, outputs out as JSON
        print(json.dumps(normalized_outputs(json.load(sys.stdin)), ensure_ascii=False))
        return 0

    names = SET_NAMES if args.set == "all" else (args.set,)
    for name in names:
        cases = read_set(name)
        if not cases:
            continue
        texts = [written for _, written, _ in cases]
        columns = {}
        if args.before:
            columns[f"before ({args.before})"] = outputs_at_revision(args.before, texts)
        after = columns["now"] = normalized_outputs(texts)
        report(name, cases, columns)
        if args.errors:
            print(f"\n### {name}: errors")
            for (genre, written, accepted), output in zip(cases, after):
                if not is_right(output, accepted):
                    print(f"{genre}: {written} → {output}   (expected {accepted[0]})")
        if args.rules:
            counts = rule_counts(texts)
            print(f"\n### {name}: sentences per rule (* = fires on one sentence only)")
            for rule_name, count in sorted(counts.items(), key=lambda item: -item[1]):
                print(f"{rule_name:>22} {count:4d}{' *' if count == 1 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
