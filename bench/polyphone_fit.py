"""Fit the polyphone arbiter's vote weights on CPP dev, with k-fold cross-validated accuracy.

    .venv/bin/python bench/polyphone_fit.py [--split dev] [--folds 5] [--votes 0,1,2 ...]
                                            [--polypoly-wheel polypoly-0.0.3-py3-none-any.whl]

Every sentence is fed as the front end feeds it (:func:`polyphone_accuracy.clause_around`); the
arbiter's inputs (g2pM probabilities and the dictionary votes of
:func:`huayin.text.polyphone.arbiter_inputs`) are computed once. The weights are a conditional
logit: score(reading) = a·log max(p, floor) + Σ w_k [vote_k = reading], softmax over the
character's readings, maximum likelihood by Newton's method; reported as w_k / a (nats of g2pM
log-probability), which is how :data:`huayin.text.polyphone.VOTE_WEIGHTS` is written. Sentences
the arbiter does not decide (no polyphonic character there) count with the dictionary's reading.

``--polypoly-wheel`` adds vote 3: the longest phrase of polypoly's word dictionary
(``polypoly/data/proun_dict_tiny.txt``, read straight from the wheel, nothing imported) covering
the character. On dev it was worth +0.01 to +0.02 points, so the product does not ship it.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polyphone_accuracy import DEFAULT_DATA, clause_around, load  # noqa: E402


def polypoly_lookup(wheel: Path):
    """Phrase → readings from polypoly's word dictionary inside its wheel (first entry wins)."""
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        text = archive.read("polypoly/data/proun_dict_tiny.txt").decode("utf-8")
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        word, *syllables = line.split()
        if len(word) > 1 and len(syllables) == len(word):
            entries.setdefault(word, syllables)
    return entries.get


def collect(items, extra_phrases=()):
    """Per sentence: (fixed correctness or None, feature tensor [readings, 1 + votes], label index)."""
    import rjieba

    from huayin.text.polyphone import _log, agrees, arbiter_inputs

    rows = []
    for sentence, index, label in items:
        clause, position, context = clause_around(sentence, index)
        readings, candidates = arbiter_inputs(clause, rjieba.cut(clause), context, extra_phrases)
        candidate = next((c for c in candidates if c.position == position), None)
        if candidate is None or not candidate.probabilities:
            rows.append((readings[position] == label, None, None))
            continue
        names = list(candidate.probabilities)
        features = np.array([
            [_log(candidate.probabilities[r])] + [float(agrees(v, r)) for v in candidate.votes]
            for r in names
        ])
        rows.append((None, features, names.index(label) if label in names else -1))
    return rows


def _likelihood(data, weights, ridge):
    """Penalized log-likelihood, its gradient and Hessian."""
    value = -0.5 * ridge * weights @ weights
    gradient = -ridge * weights
    hessian = -ridge * np.eye(len(weights))
    for features, label in data:
        scores = features @ weights
        shifted = scores - scores.max()
        p = np.exp(shifted)
        total = p.sum()
        p /= total
        value += shifted[label] - np.log(total)
        mean = p @ features
        gradient += features[label] - mean
        centered = features - mean
        hessian -= (centered * p[:, None]).T @ centered
    return value, gradient, hessian


def fit(rows, columns, iterations=30, ridge=1e-3):
    """Maximum-likelihood weights for the log-probability column and the chosen vote columns
    (damped Newton: the step is halved until the likelihood rises)."""
    data = [(f[:, [0, *columns]], y) for fixed, f, y in rows if f is not None and y >= 0]
    weights = np.zeros(1 + len(columns))
    weights[0] = 1.0
    value, gradient, hessian = _likelihood(data, weights, ridge)
    for _ in range(iterations):
        step = -np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-4:
            candidate = weights + scale * step
            new = _likelihood(data, candidate, ridge)
            if new[0] >= value:
                break
            scale /= 2
        else:
            break
        weights = candidate
        converged = new[0] - value < 1e-6
        value, gradient, hessian = new
        if converged:
            break
    return weights


def accuracy(rows, columns, weights):
    """Share of sentences read right with these weights."""
    correct = 0
    for fixed, features, label in rows:
        if features is None:
            correct += fixed
        else:
            correct += int(np.argmax(features[:, [0, *columns]] @ weights) == label)
    return correct / len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--shuffles", type=int, default=2,
                        help="also cross-validate on this many random fold assignments")
    parser.add_argument("--polypoly-wheel", type=Path, help="add polypoly's dictionary as vote 3")
    parser.add_argument("--votes", action="append",
                        help="comma-separated vote columns to use (repeatable; default all)")
    args = parser.parse_args()
    extra = (polypoly_lookup(args.polypoly_wheel),) if args.polypoly_wheel else ()
    rows = collect(load(args.data, args.split), extra)
    decided = sum(f is not None for _, f, _ in rows)
    print(f"CPP {args.split}: {len(rows)} sentences, {decided} decided by the arbiter")
    from huayin.text.polyphone import VOTE_WEIGHTS

    shipped = accuracy(rows, list(range(1, len(VOTE_WEIGHTS) + 1)), np.array([1, *VOTE_WEIGHTS]))
    print(f"shipped weights {list(VOTE_WEIGHTS)}: {shipped:.2%}")
    # Interleaved folds (CPP lists similar lines together), then random assignments.
    assignments = [np.arange(len(rows)) % args.folds]
    for seed in range(1, args.shuffles + 1):
        assignments.append(np.random.default_rng(seed).permutation(len(rows)) % args.folds)
    n_votes = next(f.shape[1] for _, f, _ in rows if f is not None) - 1
    for spec in args.votes or [",".join(str(i) for i in range(n_votes))]:
        columns = [1 + int(c) for c in spec.split(",") if c != ""]
        scores = []
        for folds in assignments:
            predicted_right = 0.0
            for fold in range(args.folds):
                train = [r for r, k in zip(rows, folds) if k != fold]
                held = [r for r, k in zip(rows, folds) if k == fold]
                predicted_right += accuracy(held, columns, fit(train, columns)) * len(held)
            scores.append(f"{predicted_right / len(rows):.2%}")
        weights = fit(rows, columns)
        nats = ", ".join(f"{w / weights[0]:.2f}" for w in weights[1:])
        print(f"votes {spec or '-':8s} {args.folds}-fold CV {' '.join(scores)}  "
              f"all-data fit {accuracy(rows, columns, weights):.2%}  weights (nats) [{nats}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
