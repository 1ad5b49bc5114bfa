"""Measure how the Baker model's pitch and energy units sound; prints the constants that
:mod:`huayin.voices.baker.contours` uses.

    .venv/bin/python -m huayin.voices.baker.calibrate

Renders every clause of the sentences below through the split model, tracks F0 with Praat
(parselmouth) and fits: (1) the *level*: per-syllable median Hz against the predicted value;
(2) the *response*: output Hz change per unit added to every pitch input; (3) output level change
per unit added to the energy input. A developer tool: run it again when the model changes.
"""

import numpy as np

from huayin.text import analyze
from huayin.voices import VoiceStore
from huayin.voices.baker.voice import HOP, SAMPLE_RATE, BakerVoice

SENTENCES = (
    "欢迎使用华音语音合成系统，它完全离线运行。", "今天北京晴转多云，最高气温二十六度。",
    "您的订单已经发货，预计三天内送达。", "他推开窗户，看见远处的山峦笼罩在薄雾之中。",
    "会议将于下午三点在三楼会议室召开。", "春天来了，公园里的花都开了。", "请问您需要什么帮助？",
    "我们明天早上八点在学校门口集合。", "这本书写得非常精彩，我一口气就读完了。",
    "外面下着大雨，路上的行人都撑着伞。", "他每天坚持跑步，身体越来越好。", "小明把作业忘在家里了。",
    "这家餐厅的菜味道不错，价格也很公道。", "火车晚点了半个小时，大家都很着急。",
    "电脑突然死机了，文件还没有保存。", "妈妈给我买了一件新衣服。", "图书馆周末也开放。",
    "我们的产品质量可靠，售后服务完善。", "天空中飘着几朵白云，阳光很温暖。", "请不要在车厢内吸烟。",
    "这个问题比我想象的要复杂得多。", "孩子们在操场上踢足球。", "新年快到了，街上到处张灯结彩。",
    "银行卡余额不足，请及时充值。", "前方到站是人民广场，请从左侧车门下车。", "祝你生日快乐，天天开心。",
    "这条河的水非常清澈，可以看到鱼。", "我们需要更多的时间来完成这个项目。", "医生建议他多喝水，早点休息。",
    "飞机将在二十分钟后降落。",
)
PITCH_STEPS = (-1.0, -0.5, 0.5, 1.0)
ENERGY_STEPS = (-1.0, -0.5, 0.5, 1.0)


def _f0(audio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import parselmouth

    pitch = parselmouth.Sound(audio.astype(np.float64), SAMPLE_RATE).to_pitch(
        time_step=0.01, pitch_floor=75.0, pitch_ceiling=600.0)
    return pitch.selected_array["frequency"], pitch.xs()


def _level_db(audio: np.ndarray) -> float:
    frames = audio[: len(audio) // 240 * 240].reshape(-1, 240)
    rms = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1))
    return float(20 * np.log10(np.sqrt((rms[rms > 0.01] ** 2).mean())))


def calibrate(voice: BakerVoice) -> dict[str, float]:
    """Fit the constants on :data:`SENTENCES`; returns them by name."""
    level_pairs, response_pairs, energy_up, energy_down = [], [], [], []

    def render(prediction, frames, pitch_step=0.0, energy_step=0.0):
        mel = voice.render(prediction.hidden, frames, prediction.pitch + pitch_step,
                           prediction.energy + energy_step, np.random.default_rng(0))
        (audio,) = voice.vocoder.run({"mels": mel}, ["Identity"])
        return audio[0, :, 0]

    for text in SENTENCES:
        for clause in analyze(text).clauses:
            sequence = voice.symbols.encode(clause.tokens)
            prediction = voice.predict(sequence.ids)
            frames = np.round(prediction.durations).astype(np.int32)
            base = render(prediction, frames)
            f0, times = _f0(base)
            bounds = np.concatenate([[0], np.cumsum(frames)])
            symbol_of_sample = np.searchsorted(bounds, times * SAMPLE_RATE / HOP, side="right") - 1
            voiced = voice.symbols.is_voiced(sequence.ids)
            for index in np.flatnonzero(voiced):
                inside = (symbol_of_sample == index) & (f0 > 0)
                if inside.sum() >= 3:
                    level_pairs.append((prediction.pitch[index], np.median(f0[inside])))
            base_hz, base_db = np.median(f0[f0 > 0]), _level_db(base)
            for step in PITCH_STEPS:
                shifted, _ = _f0(render(prediction, frames, pitch_step=step))
                response_pairs.append((step, np.median(shifted[shifted > 0]) - base_hz))
            for step in ENERGY_STEPS:
                change = _level_db(render(prediction, frames, energy_step=step)) - base_db
                (energy_up if step > 0 else energy_down).append(change / step)
    values, hz = np.array(level_pairs).T
    slope, intercept = np.polyfit(values, hz, 1)
    steps, changes = np.array(response_pairs).T
    return {
        "syllables": float(len(values)),
        "level_r": float(np.corrcoef(values, hz)[0, 1]),
        "PITCH_HZ_AT_ZERO": float(intercept),
        "PITCH_HZ_PER_UNIT": float(slope),
        # Least squares through the origin: no edit, no change.
        "PITCH_RESPONSE_HZ_PER_UNIT": float((steps * changes).sum() / (steps**2).sum()),
        "ENERGY_DB_PER_UNIT_UP": float(np.median(energy_up)),
        "ENERGY_DB_PER_UNIT_DOWN": float(np.median(energy_down)),
    }


def main() -> None:
    voice = BakerVoice(VoiceStore.default().pack_dir("baker"), threads=2)
    for name, value in calibrate(voice).items():
        print(f"{name} = {value:.3f}")


if __name__ == "__main__":
    main()
