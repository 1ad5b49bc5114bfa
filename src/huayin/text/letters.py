"""Latin letters spelled the way Mandarin speakers say them, as syllables the voices know.

The voices were trained on Chinese only, so each letter is approximated by Mandarin syllables
(the common "Chinglish" reading of acronyms: ABC → 诶 比 西).
"""

LETTER_SYLLABLES: dict[str, tuple[str, ...]] = {
    "A": ("ei1",),
    "B": ("bi4",),
    "C": ("xi1",),
    "D": ("di4",),
    "E": ("yi4",),
    "F": ("ai2", "fu5"),
    "G": ("ji4",),
    "H": ("ai2", "qi1"),
    "I": ("ai4",),
    "J": ("jie4",),
    "K": ("kai4",),
    "L": ("ai2", "le5"),
    "M": ("ai2", "mu5"),
    "N": ("en1",),
    "O": ("ou1",),
    "P": ("pi1",),
    "Q": ("qiu1",),
    "R": ("a4",),
    "S": ("ai2", "si1"),
    "T": ("ti4",),
    "U": ("you1",),
    "V": ("wei1",),
    "W": ("da2", "bu5", "liu5"),
    "X": ("ai2", "ke4", "si1"),
    "Y": ("wai4",),
    "Z": ("zei4",),
}


def spell_letter(letter: str) -> tuple[str, ...]:
    """Syllables for one Latin letter (case-insensitive)."""
    return LETTER_SYLLABLES[letter.upper()]
