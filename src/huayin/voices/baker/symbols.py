"""Front-end tokens → Baker FastSpeech2 symbol ids (``baker_mapper.json``).

The Baker model reads ``sil`` + per syllable an initial and a toned final, with ``#0`` between
syllables, then ``sil`` and ``eos`` — the layout of its training data.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from huayin.text.utterance import Token

SILENCE, SEPARATOR, END = "sil", "#0", "eos"


@dataclass(frozen=True)
class SymbolSequence:
    """Model input ids for one clause, and which id starts each token."""

    ids: np.ndarray
    """int32 ids, shape [n]."""
    token_first_symbol: np.ndarray
    """Index into ``ids`` of each token's first symbol, plus the index of the closing ``sil``."""


class BakerSymbols:
    """Maps pinyin syllables onto the Baker symbol table."""

    def __init__(self, mapper_path: Path):
        mapper = json.loads(mapper_path.read_text())
        self.symbol_to_id: dict[str, int] = mapper["symbol_to_id"]
        self.pinyin_parts: dict[str, list[str]] = mapper["pinyin_dict"]
        # Finals carry the tone digit; initials, separators and silences carry no pitch of their own.
        toned = np.zeros(max(self.symbol_to_id.values()) + 1, bool)
        for symbol, index in self.symbol_to_id.items():
            toned[index] = symbol[-1] in "12345" and not symbol.startswith("#")
        self._toned = toned

    def is_voiced(self, ids: np.ndarray) -> np.ndarray:
        """True for each id that is a toned final (the symbols whose pitch makes the melody)."""
        return self._toned[ids]

    def syllable_symbols(self, syllable: str) -> list[str]:
        """``zhong1`` → ``['zh', 'ong1']``; erhua ``huar1`` → ``['h', 'ua1', 'er5']``, and its 儿
        token, a bare ``r``, → ``[]`` (its sound is already in the syllable before)."""
        if syllable == "r":
            return []
        base, tone = syllable[:-1], syllable[-1]
        if base in self.pinyin_parts:
            initial, final = self.pinyin_parts[base]
            return [initial, final + tone]
        if base.endswith("r") and base[:-1] in self.pinyin_parts:
            initial, final = self.pinyin_parts[base[:-1]]
            return [initial, final + tone, "er5"]
        if base in ("n", "ng", "m", "hm", "hng"):  # interjections 嗯/呣/哼
            return ["^", "en" + tone]
        raise KeyError(syllable)

    def encode(self, tokens: list[Token]) -> SymbolSequence:
        """Symbol ids for a clause's tokens."""
        symbols = [SILENCE]
        first = []
        for index, token in enumerate(tokens):
            first.append(len(symbols))
            for position, syllable in enumerate(token.syllables):
                try:
                    parts = self.syllable_symbols(syllable)
                except KeyError:
                    continue  # not in the voice's inventory: the token gets no duration
                if not parts:
                    continue
                if len(symbols) > 1:
                    symbols.append(SEPARATOR)
                symbols.extend(parts)
        first.append(len(symbols))
        symbols += [SILENCE, END]
        ids = np.array([self.symbol_to_id[s] for s in symbols], np.int32)
        return SymbolSequence(ids, np.array(first, np.int64))
