"""g2pM's neural polyphone classifier, run from the arrays in its wheel.

g2pM (Park & Lee 2020) ships a one-layer BiLSTM trained on the CPP corpus as NumPy arrays inside
its wheel. Its own ``G2pM`` class only returns an argmax over all 876 syllables, so we read the
arrays ourselves and keep the softmax restricted to the character's own readings: the arbiter needs
a confidence, and restricting can never pick a reading the character does not have.
"""

import importlib.util
import pickle
import threading
import time
from pathlib import Path

import numpy as np

_BOS, _EOS, _UNKNOWN = "시", "끝", "<UNK>"  # g2pM's sentence markers, as its training data spelled them


def _g2pm_directory() -> Path | None:
    """Where the installed g2pM wheel keeps its pickles; None when it is not installed."""
    spec = importlib.util.find_spec("g2pM")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


class PolyphoneModel:
    """g2pM's BiLSTM polyphone classifier, run in NumPy with one fused step for both directions."""

    def __init__(self, directory: Path):
        def load(name: str):
            with open(directory / name, "rb") as file:
                return pickle.load(file)

        started = time.perf_counter()
        cedict: dict[str, list[str]] = load("digest_cedict.pkl")
        # g2pM spells ü as "u:" (CC-CEDICT style); the rest of huayin writes "v".
        class_ids: dict[str, int] = load("class2idx.pkl")
        self._class_ids = {reading.replace("u:", "v"): i for reading, i in class_ids.items()}
        #: The readings of every character that has more than one, as the model can output them.
        self.candidates: dict[str, tuple[str, ...]] = {}
        for char, readings in cedict.items():
            known = tuple(r.replace("u:", "v") for r in readings)
            known = tuple(r for r in known if r in self._class_ids)
            if len(known) > 1:
                self.candidates[char] = known
        self._char_ids: dict[str, int] = load("char2idx.pkl")
        weights = {k: np.asarray(v, np.float32) for k, v in load("np_ckpt.pkl").items()}
        hidden = weights["lstm.weight_hh_l0"].shape[1]
        self._hidden = hidden
        self._embeddings = weights["embedding.weight"]
        # Input projections are computed for the whole sentence at once; only the recurrent part
        # runs step by step, for both directions in one block-diagonal matmul.
        self._input_forward = weights["lstm.weight_ih_l0"].T
        self._input_backward = weights["lstm.weight_ih_l0_reverse"].T
        self._bias_forward = weights["lstm.bias_ih_l0"] + weights["lstm.bias_hh_l0"]
        self._bias_backward = (
            weights["lstm.bias_ih_l0_reverse"] + weights["lstm.bias_hh_l0_reverse"]
        )
        recurrent = np.zeros((2 * hidden, 8 * hidden), np.float32)
        recurrent[:hidden, : 4 * hidden] = weights["lstm.weight_hh_l0"].T
        recurrent[hidden:, 4 * hidden :] = weights["lstm.weight_hh_l0_reverse"].T
        self._recurrent = recurrent
        self._hidden_layer = (weights["logit_layer.0.weight"].T, weights["logit_layer.0.bias"])
        self._output_layer = (weights["logit_layer.2.weight"].T, weights["logit_layer.2.bias"])
        #: Seconds spent reading the pickles (reported by the benchmark).
        self.load_seconds = time.perf_counter() - started

    def _hidden_states(self, ids: np.ndarray) -> np.ndarray:
        """[T, 2H] concatenated forward and backward LSTM outputs (PyTorch gate order i f g o)."""
        hidden = self._hidden
        embedded = self._embeddings[ids]
        forward_in = embedded @ self._input_forward + self._bias_forward
        backward_in = (embedded @ self._input_backward + self._bias_backward)[::-1]
        steps = len(ids)
        gates_in = np.empty((steps, 2, 4, hidden), np.float32)
        gates_in[:, 0] = forward_in.reshape(steps, 4, hidden)
        gates_in[:, 1] = backward_in.reshape(steps, 4, hidden)
        state = np.zeros(2 * hidden, np.float32)
        cell = np.zeros((2, hidden), np.float32)
        outputs = np.empty((steps, 2, hidden), np.float32)
        for step in range(steps):
            gates = gates_in[step] + (state @ self._recurrent).reshape(2, 4, hidden)
            # sigmoid(x) = (1 + tanh(x / 2)) / 2: one ufunc call for the three sigmoid gates.
            sig = 0.5 + 0.5 * np.tanh(0.5 * gates[:, (0, 1, 3)])
            cell = sig[:, 1] * cell + sig[:, 0] * np.tanh(gates[:, 2])
            out = sig[:, 2] * np.tanh(cell)
            outputs[step] = out
            state = out.reshape(-1)
        return np.concatenate([outputs[:, 0], outputs[::-1, 1]], axis=1)

    def probabilities(self, sentence: str, positions: list[int]) -> list[dict[str, float]]:
        """For each position: the character's readings → probability ({} if not polyphonic)."""
        wanted = [p for p in positions if sentence[p] in self.candidates]
        if not wanted:
            return [{} for _ in positions]
        unknown = self._char_ids[_UNKNOWN]
        ids = [self._char_ids[_BOS]]
        ids += [self._char_ids.get(char, unknown) for char in sentence]
        ids.append(self._char_ids[_EOS])
        states = self._hidden_states(np.array(ids, np.int64))[[p + 1 for p in wanted]]
        weight, bias = self._hidden_layer
        features = np.maximum(states @ weight + bias, 0)
        weight, bias = self._output_layer
        logits = features @ weight + bias
        result: dict[int, dict[str, float]] = {}
        for row, position in zip(logits, wanted):
            readings = self.candidates[sentence[position]]
            scores = np.array([row[self._class_ids[r]] for r in readings], np.float64)
            scores = np.exp(scores - scores.max())
            scores /= scores.sum()
            result[position] = dict(zip(readings, scores.tolist()))
        return [result.get(p, {}) for p in positions]


_model: PolyphoneModel | None = None
_model_lock = threading.Lock()
_model_missing = False


def polyphone_model() -> PolyphoneModel | None:
    """The shared model, loaded on first use; None (dictionary only) when g2pM is not installed."""
    global _model, _model_missing
    if _model is None and not _model_missing:
        with _model_lock:
            if _model is None and not _model_missing:
                directory = _g2pm_directory()
                if directory is None:
                    _model_missing = True
                else:
                    _model = PolyphoneModel(directory)
    return _model
