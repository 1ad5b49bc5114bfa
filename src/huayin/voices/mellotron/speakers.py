"""The 24 speakers of ttskit's multi-speaker Mellotron, and which of them huayin exposes.

Only speakers that passed the measured sweep (``bench/mellotron_sweep.py``: ≥ 20 sentences ×
3 seeds, Whisper-base CER, DistillMOS, alignment failures; table in ``docs/voices.md``) are
exposed: mean CER ≤ 0.15, no failure, DistillMOS ≥ 2.8. Tier: ``best`` (CER ≤ 0.08 and MOS ≥ 4.0),
``good`` (CER ≤ 0.12 and MOS ≥ 3.5), else ``fair``. Gender is from the measured median F0
(< 165 Hz → male).
"""

from dataclasses import dataclass

from huayin.voices.base import VoiceInfo
from huayin.voices.mellotron import pack

#: ttskit's speaker names (``ttskit.resource._speaker_dict``), in its order.
ALL_SPEAKERS = (
    "Aibao", "Aicheng", "Aida", "Aijia", "Aijing", "Aimei", "Aina", "Aiqi", "Aitong", "Aiwei",
    "Aixia", "Aiya", "Aiyu", "Aiyue", "Siyue", "Xiaobei", "Xiaogang", "Xiaomei", "Xiaomeng",
    "Xiaowei", "Xiaoxue", "Xiaoyun", "Yina", "biaobei",
)
MALE_F0_BELOW_HZ = 165.0
SAMPLE_RATE = 22050


@dataclass(frozen=True)
class MellotronVoiceInfo(VoiceInfo):
    """A Mellotron speaker's metadata, with what the sweep measured."""

    speaker: str = ""
    """ttskit's speaker name (its md5 is the model's speaker input)."""
    median_f0_hz: float = 0.0
    """Median F0 of the speaker over the sweep sentences."""
    quality_tier: str = ""
    """``best``, ``good`` or ``fair`` (see ``docs/voices.md`` for the thresholds)."""


@dataclass(frozen=True)
class SweepResult:
    """One speaker's figures from the sweep (means over sentences × seeds)."""

    cer: float
    """Mean character error rate of Whisper-base against the text."""
    distillmos: float
    """Mean DistillMOS."""
    failures: int
    """Clauses whose alignment still failed after the retries."""
    median_f0_hz: float
    """Median over files of each file's median F0."""


#: Pasted from the sweep's output (``bench/mellotron_sweep.py --table``), 20 sentences × seeds
#: 0–2 per speaker; the same figures are in docs/voices.md.
SWEEP: dict[str, SweepResult] = {
    "Aibao": SweepResult(0.128, 2.93, 0, 285),
    "Aicheng": SweepResult(0.090, 3.13, 0, 124),
    "Aida": SweepResult(0.104, 2.42, 0, 131),
    "Aijia": SweepResult(0.105, 2.94, 0, 235),
    "Aijing": SweepResult(0.093, 2.97, 0, 200),
    "Aimei": SweepResult(0.122, 2.80, 0, 254),
    "Aina": SweepResult(0.083, 2.84, 0, 250),
    "Aiqi": SweepResult(0.117, 3.50, 0, 271),
    "Aitong": SweepResult(0.095, 3.08, 0, 354),
    "Aiwei": SweepResult(0.105, 3.16, 0, 326),
    "Aixia": SweepResult(0.114, 3.13, 0, 235),
    "Aiya": SweepResult(0.109, 3.11, 0, 226),
    "Aiyu": SweepResult(0.119, 2.98, 0, 235),
    "Aiyue": SweepResult(0.098, 2.95, 0, 208),
    "Siyue": SweepResult(0.093, 3.53, 0, 208),
    "Xiaobei": SweepResult(0.119, 3.56, 0, 329),
    "Xiaogang": SweepResult(0.402, 1.90, 0, 136),
    "Xiaomei": SweepResult(0.464, 3.37, 0, 365),
    "Xiaomeng": SweepResult(0.219, 2.31, 0, 283),
    "Xiaowei": SweepResult(0.557, 1.48, 0, 227),
    "Xiaoxue": SweepResult(0.085, 3.19, 0, 211),
    "Xiaoyun": SweepResult(0.143, 1.98, 0, 129),
    "Yina": SweepResult(0.709, 2.18, 0, 359),
    "biaobei": SweepResult(0.073, 4.30, 0, 255),
}


def passes(result: SweepResult) -> bool:
    """The exposure rule."""
    return result.cer <= 0.15 and result.failures == 0 and result.distillmos >= 2.8


def tier(result: SweepResult) -> str:
    """Quality tier shown in the voice metadata."""
    if result.cer <= 0.08 and result.distillmos >= 4.0:
        return "best"
    if result.cer <= 0.12 and result.distillmos >= 3.5:
        return "good"
    return "fair"


def voice_id(speaker: str) -> str:
    """``mellotron-<name>`` in lower case."""
    return f"mellotron-{speaker.lower()}"


def speaker_info(speaker: str) -> MellotronVoiceInfo:
    """Metadata for any of the 24 speakers (measured fields empty when it was not swept)."""
    result = SWEEP.get(speaker)
    gender = ""
    if result is not None:
        gender = "male" if result.median_f0_hz < MALE_F0_BELOW_HZ else "female"
    return MellotronVoiceInfo(
        id=voice_id(speaker),
        display_name=f"Mellotron {speaker} ({gender or 'unmeasured'})",
        gender=gender,
        sample_rate=SAMPLE_RATE,
        engine="numpy/tacotron2-mellotron+onnxruntime/melgan",
        source=f"PyPI wheel {pack.REQUIREMENT} (read as data)",
        license=pack.LICENSE,
        pack=pack.PACK,
        speaker=speaker,
        median_f0_hz=result.median_f0_hz if result else 0.0,
        quality_tier=tier(result) if result else "",
    )


def exposed_speakers() -> list[str]:
    """Speakers that passed the sweep, best first."""
    passed = [name for name, result in SWEEP.items() if passes(result)]
    return sorted(passed, key=lambda name: (SWEEP[name].cer - SWEEP[name].distillmos / 10))
