"""KAN-TTS's PinYin linguistic-unit inventories and their ids (as KanTtsLinguisticUnit
numbers them): each table is its symbols in order, then pad _, end ~ and mask
``@[MASK]`` (the mask is absent when a voice was trained with has_mask: false)."""

from dataclasses import dataclass

from huayin.errors import VoiceInstallError

#: PhoneSet.xml (PinYin) in file order: Mandarin finals/initials (_c), the zero-initial
#: onsets ga/ge/go, English ARPAbet phones, erhua finals, pause; then the prosodic breaks.
PHONES = (
    "a_c", "ai_c", "an_c", "ang_c", "ao_c", "b_c", "c_c", "ch_c", "d_c", "e_c", "ei_c", "en_c",
    "eng_c", "er_c", "f_c", "g_c", "h_c", "i_c", "ia_c", "ian_c", "iang_c", "iao_c", "ie_c",
    "ih_c", "ii_c", "in_c", "ing_c", "io_c", "iong_c", "iou_c", "j_c", "k_c", "l_c", "m_c", "n_c",
    "o_c", "ong_c", "ou_c", "p_c", "q_c", "r_c", "s_c", "sh_c", "t_c", "u_c", "ua_c", "uai_c",
    "uan_c", "uang_c", "uei_c", "uen_c", "ueng_c", "uo_c", "v_c", "van_c", "ve_c", "vn_c", "xx_c",
    "z_c", "zh_c", "w_c", "y_c", "ga", "ge", "go", "aa", "ae", "ah", "ao", "aw", "ay", "b", "ch",
    "d", "dh", "eh", "er", "ey", "f", "g", "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow",
    "oy", "p", "r", "s", "sh", "t", "th", "uh", "uw", "v", "w", "y", "z", "zh", "air_c", "angr_c",
    "anr_c", "aor_c", "ar_c", "eir_c", "engr_c", "enr_c", "iangr_c", "ianr_c", "iaor_c", "iar_c",
    "ier_c", "ihr_c", "iir_c", "ingr_c", "inr_c", "iongr_c", "iour_c", "ir_c", "ongr_c", "or_c",
    "our_c", "uair_c", "uangr_c", "uanr_c", "uar_c", "ueir_c", "uenr_c", "uor_c", "ur_c",
    "vanr_c", "ver_c", "vnr_c", "vr_c", "pau",
) + ("#1", "#2", "#3", "#4")
#: tonelist.txt order (an empty line is tone_none).
TONES = ("tone1", "tone_none", "tone4", "tone2", "tone3", "tone5", "tone0")
SYLLABLE_FLAGS = ("s_begin", "s_end", "s_none", "s_both", "s_middle")
WORD_SEGMENTS = ("word_begin", "word_end", "word_middle", "word_both", "word_none")
EMOTIONS = (
    "emotion_none", "emotion_neutral", "emotion_angry", "emotion_disgust", "emotion_fear",
    "emotion_happy", "emotion_sad", "emotion_surprise", "emotion_calm", "emotion_gentle",
    "emotion_relax", "emotion_lyrical", "emotion_serious", "emotion_disgruntled",
    "emotion_satisfied", "emotion_disappointed", "emotion_excited", "emotion_anxiety",
    "emotion_jealousy", "emotion_hate", "emotion_pity", "emotion_pleasure", "emotion_arousal",
    "emotion_dominance") + tuple(f"emotion_placeholder{i}" for i in range(1, 10))
SPECIAL = ("_", "~", "@[MASK]")
#: The lfeat_type_list this port runs.
FEATURES = "sy,tone,syllable_flag,word_segment,emo_category,speaker_category"


@dataclass(frozen=True)
class Vocabulary:
    """Symbol → id tables of one voice."""

    speakers: tuple[str, ...]
    """The speaker_list of its config, in order."""
    has_mask: bool
    """Whether each table ends with the @[MASK] row."""

    def _table(self, symbols: tuple[str, ...]) -> dict[str, int]:
        return {s: i for i, s in enumerate(symbols + SPECIAL[: 3 if self.has_mask else 2])}

    @property
    def tables(self) -> dict[str, dict[str, int]]:
        """Table name (as the model's embedding sizes are named) → symbol → id."""
        return {
            "sy": self._table(tuple("@" + p for p in PHONES)),
            "tone": self._table(TONES),
            "syllable_flag": self._table(SYLLABLE_FLAGS),
            "word_segment": self._table(WORD_SEGMENTS),
            "emotion": self._table(EMOTIONS),
            "speaker": self._table(self.speakers),
        }

    def sizes(self) -> dict[str, int]:
        """Rows of each embedding table."""
        return {name: len(table) for name, table in self.tables.items()}

    @classmethod
    def from_yaml(cls, config: dict, embedding_rows: int) -> "Vocabulary":
        """From an am/config.yaml; embedding_rows: rows of the checkpoint's phone table
        (tells whether the mask row was trained)."""
        unit = config.get("linguistic_unit") or {}
        language = unit.get("language", "PinYin")
        if language != "PinYin":
            raise VoiceInstallError(
                f"unsupported acoustic-model config: language {language!r} (only PinYin)")
        features = str(unit.get("lfeat_type_list", "")).replace(" ", "")
        if features != FEATURES:
            raise VoiceInstallError(
                f"unsupported acoustic-model config: lfeat_type_list {features!r} "
                f"(expected {FEATURES})")
        speakers = tuple(s.strip() for s in str(unit.get("speaker_list", "")).split(",")
                         if s.strip())
        if not speakers:
            raise VoiceInstallError("acoustic-model config has an empty speaker_list")
        phones = len(PHONES)
        if embedding_rows not in (phones + 2, phones + 3):
            raise VoiceInstallError(
                f"acoustic-model checkpoint key 'text_encoder.sy_emb.weight' has {embedding_rows} "
                f"rows; the PinYin phone set needs {phones + 3} (or {phones + 2} without mask)")
        return cls(speakers, has_mask=embedding_rows == phones + 3)
