"""Character-level clean-up before the rules run: width folding and traditional → simplified.

Both steps map one character to one character (or a few, for width folding), so every output
character keeps the span of the character it came from.

Traditional → simplified uses the conversion table of the ``zhconv`` package (MediaWiki's
zh-hans table, character- and phrase-based, same length in and out). Importing ``zhconv`` itself
pulls in ``pkg_resources`` (~0.1 s), so its JSON table is read directly, once, the first time a
text holds a CJK character. Without ``zhconv`` installed, text is left as it is.
"""

import importlib.util
import os
import unicodedata

# Punctuation that NFKC would turn into ASCII; the rest of the pipeline prefers the CJK forms.
_KEEP_AS_IS = frozenset("，。！？：；、（）【】《》“”‘’—…·～「」『』〔〕")
# Forms NFKC would break apart in a way the unit rules can't read back (㎡ → "m2").
_SPECIAL_FOLDS = {
    "㎡": "m²", "㎥": "m³", "㎠": "cm²", "㎢": "km²",
    "㎜": "mm", "㎝": "cm", "㎞": "km", "㎏": "kg",
    "²": "²", "³": "³", "−": "-", "﹣": "-", "－": "-", "℃": "℃", "℉": "℉",
}


def _fold_fraction(folded: str, previous: str) -> str:
    """A vulgar fraction (NFKC: ``1⁄4``, with U+2044 FRACTION SLASH) as ``1/4``, the form the
    fraction rule reads; right after a digit it is a mixed number: 5¼ → 5又1/4 (五又四分之一)."""
    mixed = folded[0].isdigit() and previous.isdigit()  # not the bare slash: 1⁄4 typed as is
    folded = folded.replace("\u2044", "/")
    return "又" + folded if mixed else folded


def fold_width(text: str) -> tuple[str, list[tuple[int, int]]]:
    """NFKC per character (full-width digits and letters → ASCII), keeping CJK punctuation."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if char.isascii():
            folded = char
        elif char in _KEEP_AS_IS:
            folded = char
        else:
            folded = _SPECIAL_FOLDS.get(char) or unicodedata.normalize("NFKC", char)
            if "\u2044" in folded:
                folded = _fold_fraction(folded, text[index - 1] if index else "")
        for out in folded:
            chars.append(out)
            spans.append((index, index + 1))
    return "".join(chars), spans


class _SimplifiedTable:
    """zhconv's zh-hans table, loaded on first use: longest-match phrase → simplified phrase."""

    def __init__(self) -> None:
        self._table: dict[str, str] | None = None
        self._prefixes: frozenset[str] = frozenset()
        self._longest = 1

    def _load(self) -> dict[str, str]:
        import json  # deferred with the table itself: not part of the import-time cost

        spec = importlib.util.find_spec("zhconv")  # finds the package without importing it
        table: dict[str, str] = {}
        if spec is not None and spec.submodule_search_locations:
            path = os.path.join(next(iter(spec.submodule_search_locations)), "zhcdict.json")
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as file:
                    table = json.load(file).get("zh2Hans", {})
        # The table maps equal-length strings; anything else would break span tracking.
        table = {key: value for key, value in table.items() if len(key) == len(value)}
        self._prefixes = frozenset(key[:n] for key in table for n in range(1, len(key)))
        self._longest = max(map(len, table), default=1)
        return table

    def convert(self, text: str) -> str:
        """Simplified text of the same length (characters outside the table unchanged)."""
        if not any("\u3400" <= char <= "\U0002ffff" for char in text):
            return text
        if self._table is None:
            self._table = self._load()
        table, prefixes = self._table, self._prefixes
        out: list[str] = []
        position = 0
        while position < len(text):
            best = None
            end = position + 1
            # Extend the fragment while it can still grow into a table entry.
            while end <= len(text) and end - position <= self._longest:
                fragment = text[position:end]
                if fragment in table:
                    best = (table[fragment], end)
                if fragment not in prefixes:
                    break
                end += 1
            if best is None:
                out.append(text[position])
                position += 1
            else:
                out.append(best[0])
                position = best[1]
        return "".join(out)


to_simplified = _SimplifiedTable().convert
