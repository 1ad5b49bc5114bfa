"""How clauses end: the last syllable decays into silence instead of being cut off.

Cutting a clause where the model's closing silence symbol starts left Baker's final 20 ms at
−16 to −27 dB RMS, an audible chop; speech that ends naturally is near the noise floor there.
"""

import numpy as np
import pytest

from huayin.voices import DEFAULT_VOICE

#: Highest RMS allowed in the last 20 ms of a clause (Mellotron ends near −68 dB).
TAIL_CEILING_DB = -50.0
TEXTS = ["今天天气很好。", "您的订单已经发货，预计三天内送达。", "请拨打客服电话", "谢谢！"]


def _level_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(samples))) + 1e-12))


@pytest.mark.parametrize("voice", ["baker", DEFAULT_VOICE])
def test_every_clause_and_the_whole_text_end_quietly(synthesizer, voice):
    for text in TEXTS:
        stream = synthesizer.stream(text, voice=voice)
        for index, plan in enumerate(stream.plans):
            spoken = plan.voice.synthesize_clause(plan.clause, prosody=plan.prosody,
                                                  rng=np.random.default_rng([0, index]))
            tail = spoken.samples[-int(0.02 * plan.voice.info.sample_rate):]
            assert _level_db(tail) < TAIL_CEILING_DB, (voice, plan.clause.text, _level_db(tail))
            # The clause still holds its speech: the last token starts well before the end.
            assert spoken.token_starts[-2] < len(spoken.samples) - 0.05 * plan.voice.info.sample_rate
        audio = synthesizer.synthesize(text, voice=voice)
        assert _level_db(audio.samples[-int(0.02 * audio.sample_rate):]) < TAIL_CEILING_DB


def test_baker_stream_head_and_rest_join_into_the_whole_clause(synthesizer):
    text = "这是一个足够长的句子，用来检查分段合成与整段合成是否完全一样。"
    streamed = np.concatenate([c.samples for c in synthesizer.stream(text, voice="baker")])
    whole = synthesizer.synthesize(text, voice="baker").samples
    np.testing.assert_array_equal(streamed, whole)
