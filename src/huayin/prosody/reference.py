""""Speak like this": measure a reference clip's prosody and turn it into prosody targets.

Pitch is tracked with Praat's autocorrelation method (``praat-parselmouth``): robust on real
recordings, no model to load, wheels for every platform. From a 3–30 s mono clip we measure F0
level and range, syllable rate (intensity peaks in voiced speech, after de Jong & Wempe 2009),
speech level and pause ratio, compare each with neutral read Mandarin, and express the difference
as :class:`ProsodyTargets`.

No emotion is named: the preset nearest to a clip's measurements agreed with the emotion the
clip was spoken in for 33 of 96 clips of huayin's own voices (bench/reference_emotions.py; happy,
angry and surprise measure alike, so do sad, disgust and calm), so the measurements themselves
are what is reported.
"""

import math
from dataclasses import dataclass

import numpy as np

from huayin.errors import InvalidParameterError
from huayin.prosody.targets import ProsodyTargets

MIN_SECONDS, MAX_SECONDS = 3.0, 30.0
#: Analysis frame for level and pauses.
FRAME_SECONDS = 0.02
#: Frames quieter than the loudest speech by more than this are pauses.
PAUSE_BELOW_PEAK_DB = 30.0
#: Gaps shorter than this are stop closures, not pauses.
MIN_PAUSE_SECONDS = 0.15
#: A clip is silent when its loudest frames are below this.
SILENCE_DBFS = -50.0
#: Less voiced speech than this (share of non-pause time, and seconds) is noise or music.
MIN_VOICED_SHARE, MIN_VOICED_SECONDS = 0.25, 1.0
#: Syllable nuclei: intensity peaks at least this far above the surrounding dip.
PEAK_PROMINENCE_DB = 2.0

#: Neutral read Mandarin: the Baker voice's neutral output of bench/sentences.txt (two sentences
#: per clip, female), measured by this module. Male clips are compared with a level 10 semitones
#: lower, the usual adult difference; the other norms are shared.
NEUTRAL_F0_HZ = {"female": 260.0, "male": 260.0 * 2 ** (-10 / 12)}
NEUTRAL_RANGE_ST = 11.3
NEUTRAL_SYLLABLES_PER_SECOND = 5.06
NEUTRAL_PAUSE_RATIO = 0.139
NEUTRAL_LEVEL_DBFS = -19.4
#: Below this median F0 a clip is taken as a male voice.
MALE_BELOW_HZ = 165.0
#: Recording gain is arbitrary, so only part of a level difference is copied, and bounded.
LEVEL_WEIGHT, LEVEL_LIMIT_DB = 0.5, 6.0
#: Measured F0 range moves less than the range target (tones dominate it): a preset with range
#: factor 1.35 measures ≈ 1.08× neutral, so measured range differences are amplified this much.
RANGE_TRANSFER = 4.0

@dataclass(frozen=True)
class ReferenceAnalysis:
    """What was measured in a reference clip and what it means for synthesis."""

    duration: float
    """Clip length in seconds."""
    f0_median: float
    """Median F0 of voiced frames, Hz."""
    f0_range: float
    """F0 range, 10th to 90th percentile of voiced frames, in semitones."""
    syllable_rate: float
    """Syllables per second of speaking time (pauses excluded)."""
    speech_level: float
    """Mean level of speech frames, dBFS."""
    pause_ratio: float
    """Share of the time between first and last speech spent in pauses."""
    targets: ProsodyTargets
    """The clip's style relative to neutral read speech, ready to apply to any voice."""

    def relative(self) -> dict:
        """The measurements against neutral read Mandarin (of the clip's sex for pitch)."""
        return {
            "pitch_semitones": round(self.targets.pitch_shift, 2),
            "range_ratio": round(self.f0_range / NEUTRAL_RANGE_ST, 3),
            "rate_ratio": round(self.syllable_rate / NEUTRAL_SYLLABLES_PER_SECOND, 3),
            "level_db": round(self.speech_level - NEUTRAL_LEVEL_DBFS, 1),
            "pause_ratio_difference": round(self.pause_ratio - NEUTRAL_PAUSE_RATIO, 3),
        }

    def to_dict(self) -> dict:
        """Plain dict for JSON responses."""
        return {
            "duration": round(self.duration, 2), "f0_median_hz": round(self.f0_median, 1),
            "f0_range_semitones": round(self.f0_range, 2),
            "syllables_per_second": round(self.syllable_rate, 2),
            "speech_level_dbfs": round(self.speech_level, 1),
            "pause_ratio": round(self.pause_ratio, 3), "relative": self.relative(),
        }

    def summary(self) -> str:
        """One line of the measurements, for a CLI line or an HTTP header."""
        return (f"F0 {self.f0_median:.0f} Hz, range {self.f0_range:.1f} st, "
                f"{self.syllable_rate:.1f} syllables/s, level {self.speech_level:.1f} dBFS, "
                f"pauses {self.pause_ratio:.0%}")


def _as_mono(samples, sample_rate) -> tuple[np.ndarray, int]:
    try:
        rate = int(sample_rate)
        audio = np.asarray(samples, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError("reference clip must be numeric samples and a sample rate",
                                    code="invalid_reference") from None
    if audio.ndim == 2:  # (samples, channels): a stereo upload is folded, not refused
        audio = audio.mean(axis=1)
    if audio.ndim != 1 or not 8000 <= rate <= 192000:
        raise InvalidParameterError("reference clip must be mono samples at 8–192 kHz",
                                    code="invalid_reference")
    if not np.isfinite(audio).all():
        raise InvalidParameterError("reference clip contains invalid samples",
                                    code="invalid_reference")
    return audio, rate


def _frame_levels(audio: np.ndarray, rate: int) -> np.ndarray:
    size = int(rate * FRAME_SECONDS)
    frames = audio[: len(audio) // size * size].reshape(-1, size)
    return 10 * np.log10((frames**2).mean(axis=1) + 1e-12)


def _speech_mask(levels: np.ndarray) -> np.ndarray:
    """True for speech frames; pauses shorter than MIN_PAUSE_SECONDS count as speech."""
    speech = levels > levels.max() - PAUSE_BELOW_PEAK_DB
    shortest = int(round(MIN_PAUSE_SECONDS / FRAME_SECONDS))
    start = None
    for index, is_speech in enumerate(np.append(speech, True)):
        if not is_speech and start is None:
            start = index
        elif is_speech and start is not None:
            if index - start < shortest:
                speech[start:index] = True
            start = None
    return speech


def _count_syllables(sound, voiced_at) -> int:
    """Intensity peaks that stand out from the dips around them and fall on voiced speech."""
    intensity = sound.to_intensity(minimum_pitch=100.0, time_step=0.01)
    values = intensity.values[0]
    times = intensity.xs()
    floor = np.percentile(values, 99) - 25.0
    peaks = [i for i in range(1, len(values) - 1)
             if values[i] >= values[i - 1] and values[i] > values[i + 1] and values[i] > floor]
    count, last_peak = 0, None
    for index in peaks:
        if last_peak is not None:
            dip = values[last_peak:index + 1].min()
            if min(values[last_peak], values[index]) - dip < PEAK_PROMINENCE_DB:
                if values[index] > values[last_peak]:
                    last_peak = index  # same syllable: keep the higher peak
                continue
        if voiced_at(times[index]):
            count += 1
            last_peak = index
    return count


def _relative_targets(f0_median, f0_range, rate, level, pause_ratio) -> ProsodyTargets:
    sex = "male" if f0_median < MALE_BELOW_HZ else "female"
    level_change = LEVEL_WEIGHT * (level - NEUTRAL_LEVEL_DBFS)
    return ProsodyTargets(
        pitch_shift=float(np.clip(12 * math.log2(f0_median / NEUTRAL_F0_HZ[sex]), -6, 6)),
        pitch_range=float(np.clip(1 + RANGE_TRANSFER * (f0_range / NEUTRAL_RANGE_ST - 1),
                                  0.4, 2.0)),
        rate=float(np.clip(rate / NEUTRAL_SYLLABLES_PER_SECOND, 0.5, 2.0)),
        pause_scale=float(np.clip((pause_ratio + 0.02) / (NEUTRAL_PAUSE_RATIO + 0.02), 0.5, 2.5)),
        loudness=float(np.clip(level_change, -LEVEL_LIMIT_DB, LEVEL_LIMIT_DB)),
    )


def analyze_reference(samples, sample_rate: int) -> ReferenceAnalysis:
    """Measure a mono clip (float samples in [-1, 1], any rate 8–192 kHz).

    Raises :class:`InvalidParameterError` (code ``invalid_reference``) for clips that are too
    short or long, silent, or hold no voiced speech.
    """
    import parselmouth  # only needed when a reference is given

    audio, rate = _as_mono(samples, sample_rate)
    duration = len(audio) / rate
    if not MIN_SECONDS <= duration <= MAX_SECONDS:
        raise InvalidParameterError(
            f"reference clip must be {MIN_SECONDS:g}–{MAX_SECONDS:g} s long, got {duration:.1f} s",
            code="invalid_reference")
    levels = _frame_levels(audio, rate)
    if levels.max() < SILENCE_DBFS:
        raise InvalidParameterError("reference clip is silent", code="invalid_reference")
    speech = _speech_mask(levels)
    first, last = np.flatnonzero(speech)[[0, -1]]
    speaking_seconds = speech.sum() * FRAME_SECONDS
    pause_ratio = float(1.0 - speech[first:last + 1].mean())

    sound = parselmouth.Sound(audio, rate)
    pitch = sound.to_pitch(time_step=0.01, pitch_floor=75.0, pitch_ceiling=600.0)
    f0 = pitch.selected_array["frequency"]
    voiced = f0[f0 > 0]
    voiced_seconds = len(voiced) * 0.01
    if voiced_seconds < MIN_VOICED_SECONDS or voiced_seconds < MIN_VOICED_SHARE * speaking_seconds:
        raise InvalidParameterError(
            f"no clear speech in the reference clip ({voiced_seconds:.1f} s voiced of "
            f"{speaking_seconds:.1f} s of sound): is it noise or music?", code="invalid_reference")
    low, median, high = np.percentile(voiced, [10, 50, 90])
    f0_range = float(12 * math.log2(high / low))

    def voiced_at(time: float) -> bool:
        return pitch.get_value_at_time(time) == pitch.get_value_at_time(time)  # NaN if unvoiced

    syllables = _count_syllables(sound, voiced_at)
    syllable_rate = syllables / max(speaking_seconds, FRAME_SECONDS)
    speech_level = float(10 * np.log10(np.mean(10 ** (levels[speech] / 10))))
    targets = _relative_targets(float(median), f0_range, syllable_rate, speech_level, pause_ratio)
    return ReferenceAnalysis(duration, float(median), f0_range, syllable_rate, speech_level,
                             pause_ratio, targets)
