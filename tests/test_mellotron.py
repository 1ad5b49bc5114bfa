"""The Mellotron voices: torch-free reading, parity with ttskit's torch classes, safe attention."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from huayin.errors import VoiceInstallError
from huayin.prosody.request import ProsodyRequest
from huayin.text import analyze
from huayin.text.utterance import Break, Token
from huayin.synth import Synthesizer
from huayin.voices import VoiceCache, install_pack
from huayin.voices.mellotron import pack
from huayin.voices.mellotron.acoustic import MellotronAcoustic, StopPolicy, speaker_code
from huayin.voices.mellotron.attention import MAX_FRAMES_PER_SYMBOL
from huayin.voices.mellotron.checkpoint import load_module
from huayin.voices.mellotron.speakers import speaker_info
from huayin.voices.mellotron.symbols import SYMBOLS, encode_clause, syllable_phonemes
from huayin.voices.mellotron.vocoder import HOP, MelGAN

FIXTURES = Path(__file__).parent / "fixtures" / "mellotron"
#: Measured max abs errors vs. torch were 1.9e-4 (decoder mel, 80 autoregressive frames),
#: 1.4e-6 (postnet), 2e-6 (MelGAN); the bounds leave room for other BLAS builds.
MEL_TOLERANCE = 2e-3
AUDIO_TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def pack_dir(store) -> Path:
    install_pack("mellotron", store)
    return store.pack_dir("mellotron")


@pytest.fixture(scope="module")
def models(pack_dir):
    from huayin.voices.mellotron.voice import shared_models

    return shared_models(pack_dir, threads=1)


@pytest.fixture(scope="module")
def voice(models):
    from huayin.voices.mellotron.voice import MellotronVoice

    return MellotronVoice(models, speaker_info("biaobei"))


@pytest.fixture(scope="module")
def parity():
    return np.load(FIXTURES / "parity.npz")


def _speak(voice, text: str, seed: int = 0, speed: float = 1.0):
    rng = np.random.default_rng(seed)
    clauses = [voice.synthesize_clause(c, prosody=ProsodyRequest(speed=speed), rng=rng)
               for c in analyze(text).clauses]
    return clauses


def test_symbol_spelling_matches_phkit_for_every_syllable():
    table = json.loads((FIXTURES / "phkit_syllables.json").read_text())
    assert len(table) == 420 and len(SYMBOLS) == 145
    wrong = {s: p for s, p in table.items() if syllable_phonemes(s) != p.split()}
    assert not wrong


def test_clause_symbols_with_erhua_and_umlaut():
    def token(text, syllable):
        return Token(text=text, syllables=(syllable,), word=text, span=(0, 1))

    # the front end may write erhua as "dianr3" followed by a bare "r" for 儿
    tokens = [token("女", "nv3"), token("孩", "hai2"), token("点", "dianr3"), token("儿", "r")]
    sequence = encode_clause(tokens, Break.SENTENCE)
    spelled = " ".join(SYMBOLS[i] for i in sequence.ids)
    assert spelled == "n v 3 - h ai 2 - d ian 3 - ee er 5 - . - ~ _"
    assert list(sequence.token_first_symbol) == [0, 4, 8, 12, 16]


def test_unpickler_refuses_foreign_globals():
    payload = b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03."
    buffer = __import__("io").BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", payload)
    with pytest.raises(VoiceInstallError, match="refusing"):
        load_module(buffer.getvalue())


def test_install_is_idempotent_and_verified(store, pack_dir):
    manifest = store.manifest("mellotron")
    assert manifest["source"] == pack.REQUIREMENT and store.verify("mellotron")
    config = json.loads((pack_dir / pack.CONFIG_FILE).read_text())
    assert config["max_decoder_steps"] == 1200 and config["gate_threshold"] == 0.8
    files = {p: p.stat().st_mtime_ns for p in pack_dir.iterdir()}
    pack.install(store)
    assert {p: p.stat().st_mtime_ns for p in pack_dir.iterdir()} == files


def test_acoustic_model_matches_torch(pack_dir, parity):
    with np.load(pack_dir / pack.ACOUSTIC_FILE) as arrays:
        acoustic = MellotronAcoustic(dict(arrays))
    shape = tuple(parity["mask_shape"])
    keep = np.unpackbits(parity["masks"])[: np.prod(shape)].reshape(shape)
    memory = acoustic.encode(parity["ids"], parity["speaker"])
    # torch's own stop rule: the first frame whose gate passes 0.8 ends the run
    output = acoustic.decode(memory, keep.astype(np.float32) * 2.0, StopPolicy(1200, 0.8, 0, 10**6))
    frames = len(output.mel)
    assert frames == len(parity["decoder_mel"]) - 1  # torch keeps the stop frame, we drop it
    assert np.abs(output.mel - parity["decoder_mel"][:frames]).max() < MEL_TOLERANCE
    assert np.abs(output.alignment - parity["alignment"][:frames]).max() < MEL_TOLERANCE
    assert np.abs(output.gate - parity["gate"].ravel()[:frames]).max() < MEL_TOLERANCE
    postnet = acoustic.refine(parity["decoder_mel"])
    assert np.abs(postnet - parity["postnet_mel"]).max() < MEL_TOLERANCE


def test_vocoders_match_torch(pack_dir, models, parity):
    mel = parity["postnet_mel"][: len(parity["vocoder_audio"]) // HOP]
    (onnx_audio,) = models.vocoder.run(["audio"], {"mel": mel.T[None]})
    assert np.abs(onnx_audio[0, 0] - parity["vocoder_audio"]).max() < AUDIO_TOLERANCE
    with np.load(pack_dir / pack.VOCODER_ARRAYS_FILE) as arrays:
        reference = MelGAN(dict(arrays))
    assert np.abs(reference.generate(mel) - parity["vocoder_audio"]).max() < AUDIO_TOLERANCE


def test_vocoder_graph_has_no_transposed_convolutions(pack_dir):
    import onnx

    # pack format 3: the polyphase form (ConvTranspose is slow in ONNX Runtime on CPU)
    graph = onnx.load(str(pack_dir / pack.VOCODER_FILE)).graph
    operators = {node.op_type for node in graph.node}
    assert "ConvTranspose" not in operators and "Conv" in operators
    assert json.loads((pack_dir / "manifest.json").read_text())["format"] == pack.FORMAT == 3


def test_chunked_vocoding_equals_whole(models, parity):
    mel = np.tile(parity["postnet_mel"], (6, 1))  # ≈ 480 frames: three chunks of up to 200
    whole = models.vocoder.run(["audio"], {"mel": np.concatenate(
        [mel, np.full((10, 80), -11.5129, np.float32)]).T[None]})[0][0, 0][: len(mel) * HOP]
    assert np.abs(models.vocode(mel) - whole).max() < 1e-4



def test_vocoding_is_bit_identical_wherever_the_chunks_are_cut(models, parity):
    from huayin.voices.mellotron.vocoder import vocode_chunks

    mel = np.tile(parity["postnet_mel"], (6, 1))
    whole = models.vocode(mel)
    for head in (1, 35, 399, len(mel) - 1, len(mel) + 5):
        chunks = list(vocode_chunks(models.generate, mel, head))
        assert len(chunks[0][0]) == min(head, len(mel)) * HOP
        assert [is_last for _, is_last in chunks] == [False] * (len(chunks) - 1) + [True]
        assert np.array_equal(np.concatenate([samples for samples, _ in chunks]), whole)
    sizes = [len(samples) // HOP for samples, _ in vocode_chunks(models.generate, mel, 35)]
    assert sizes[:3] == [35, 70, 140] and sum(sizes) == len(mel)  # doubling after the head
    # Lazy: the head is vocoded alone (a stream sends it before the rest exists).
    calls = []
    head_only = vocode_chunks(lambda m: calls.append(len(m)) or models.generate(m), mel, 35)
    next(head_only)
    assert calls == [35 + 12]


def test_stream_starts_with_a_short_head_and_equals_whole_synthesis(store):
    synthesizer = Synthesizer(store)
    text = "人工智能正在改变我们的工作方式，也改变了生活。"
    chunks = list(synthesizer.stream(text, voice="mellotron-biaobei"))
    # The first clause arrives as a ~0.4 s head, then chunks twice as long each time, so
    # playback starts early and does not run dry; the second clause comes whole.
    first_clause = [c for c in chunks if c.text == chunks[0].text]
    assert len(first_clause) == len(chunks) - 1 >= 3
    assert 0.3 <= chunks[0].duration <= 0.5 and 0.7 <= chunks[1].duration <= 0.9
    assert [c.ends_sentence for c in chunks] == [False] * (len(chunks) - 1) + [True]
    joined = np.concatenate([c.samples for c in chunks])
    whole = synthesizer.synthesize(text, voice="mellotron-biaobei").samples
    # The head's postnet ran over the first frames only: equal up to float rounding (0 here).
    assert len(joined) == len(whole) and np.abs(joined - whole).max() < 1e-4
    assert chunks[0].timings == []  # known once the clause is decoded, with the next chunk
    assert sum(len(c.timings) for c in first_clause) == 15
    # WORLD delivery (an emotion) works on the whole clause: one chunk per clause.
    assert len(list(synthesizer.stream(text, voice="mellotron-biaobei", emotion="happy"))) == 2


def test_head_is_vocoded_while_the_clause_still_decodes(voice, monkeypatch):
    clause = analyze("人工智能正在改变我们的工作方式和生活方式").clauses[0]
    acoustic = voice.models.acoustic
    decode_steps, decoded = acoustic.decode_steps, []

    def counted(*args):
        steps = decode_steps(*args)
        while True:
            try:
                frames = next(steps)
            except StopIteration as finished:
                return finished.value
            decoded.append(len(frames))
            yield frames

    monkeypatch.setattr(acoustic, "decode_steps", counted)
    parts = voice.synthesize_clause_in_parts(
        clause, prosody=ProsodyRequest(), rng=np.random.default_rng(5), first_part_seconds=0.4)
    head, is_last = next(parts.blocks)
    frames_at_head = decoded[-1]
    assert not is_last and len(head) == round(0.4 * 22050 / HOP) * HOP
    assert parts.token_starts is None  # the decoder is not done yet
    rest = [samples for samples, _ in parts.blocks]
    assert frames_at_head < decoded[-1] / 3
    assert len(parts.token_starts) == len(clause.tokens) + 1
    whole = voice.synthesize_clause(clause, prosody=ProsodyRequest(),
                                    rng=np.random.default_rng(5))
    joined = np.concatenate([head, *rest])
    assert len(joined) == len(whole.samples) and np.abs(joined - whole.samples).max() < 1e-4
    assert np.array_equal(parts.token_starts, whole.token_starts)

def test_speaks_with_natural_duration_and_timings(voice):
    text = "人工智能正在改变我们的工作方式"
    (clause,) = _speak(voice, text)
    seconds = len(clause.samples) / 22050
    assert 0.15 <= seconds / len(text) <= 0.4
    assert 0.05 < np.abs(clause.samples).max() <= 1.0
    assert len(clause.token_starts) == len(text) + 1
    assert np.all(np.diff(clause.token_starts) >= 0) and clause.token_starts[-1] <= len(clause.samples)
    assert not voice.last_problems


def test_speed_shortens_the_audio(voice):
    (normal,) = _speak(voice, "今天天气很好", seed=3)
    (fast,) = _speak(voice, "今天天气很好", seed=3, speed=1.5)
    assert len(fast.samples) == pytest.approx(len(normal.samples) / 1.5, rel=0.05)


def test_same_seed_same_samples_other_seed_differs(voice):
    first = _speak(voice, "您的订单已经发货", seed=7)[0].samples
    again = _speak(voice, "您的订单已经发货", seed=7)[0].samples
    other = _speak(voice, "您的订单已经发货", seed=8)[0].samples
    assert np.array_equal(first, again)
    assert len(first) != len(other) or not np.array_equal(first, other)


def test_speaker_that_never_stops_is_cut_by_the_step_limit(models):
    from huayin.voices.mellotron.voice import MellotronVoice

    # Xiaowei's gate never fires in ttskit (every clause ran 1200 steps).
    text = "欢迎使用华音语音合成系统它完全离线运行"
    runaway = MellotronVoice(models, speaker_info("Xiaowei"))
    clause = analyze(text).clauses[0]
    symbols = len(encode_clause(clause.tokens, clause.break_after).ids)
    audio = runaway.synthesize_clause(clause, prosody=ProsodyRequest(),
                                      rng=np.random.default_rng(0))
    assert len(audio.samples) <= MAX_FRAMES_PER_SYMBOL * symbols * HOP < 1200 * HOP


def test_speaker_that_skips_words_is_held_monotonic_on_retry(models):
    from huayin.voices.mellotron.voice import MellotronVoice

    # Siyue's free attention jumps to the end of this clause (measured: 16 of 18 tokens skipped)
    text = "看见远处的山峦笼罩在一片薄雾之中"
    jumper = MellotronVoice(models, speaker_info("Siyue"))
    (audio,) = _speak(jumper, text, seed=0)
    assert not jumper.last_problems
    assert 0.12 <= len(audio.samples) / 22050 / len(text) <= 0.4


def test_windowed_attention_never_jumps_ahead(models):
    clause = analyze("看见远处的山峦笼罩在一片薄雾之中").clauses[0]
    sequence = encode_clause(clause.tokens, clause.break_after)
    acoustic = models.acoustic
    memory = acoustic.encode(sequence.ids, speaker_code("Siyue"))
    policy = StopPolicy(400, 0.8, sequence.last_spoken_symbol + 1, 30, window=3)
    output = acoustic.decode(memory, acoustic.prenet_masks(np.random.default_rng(0), 400), policy)
    focus = output.alignment.argmax(axis=1)
    furthest = np.maximum.accumulate(np.concatenate([[0], focus]))[:-1]
    assert np.all(focus <= furthest + 3) and np.all(focus >= furthest - 1)


def test_long_text_does_not_run_away(voice):
    text = ("会议将于下午三点在三楼会议室召开，请各部门负责人准时参加。"
            "图书馆周一至周五开放，周末和法定节假日闭馆。科学家们发现，适量运动可以有效改善睡眠质量。")
    clauses = _speak(voice, text, seed=1)
    seconds = sum(len(c.samples) for c in clauses) / 22050
    spoken = len(analyze(text).tokens)
    assert 0.15 <= seconds / spoken <= 0.4


def test_no_torch_after_synthesizing():
    code = (
        "import sys, numpy as np\n"
        "from huayin.voices import VoiceStore\n"
        "from huayin.voices.mellotron.voice import MellotronVoice, shared_models\n"
        "from huayin.voices.mellotron.speakers import speaker_info\n"
        "from huayin.text import analyze\n"
        "from huayin.prosody.request import ProsodyRequest\n"
        "models = shared_models(VoiceStore.default().pack_dir('mellotron'), 1)\n"
        "voice = MellotronVoice(models, speaker_info('biaobei'))\n"
        "voice.synthesize_clause(analyze('你好').clauses[0], prosody=ProsodyRequest(),"
        " rng=np.random.default_rng(0))\n"
        "print('torch' in sys.modules, 'tensorflow' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "False"]


def test_vocoder_threads_default_to_one_and_follow_a_request(store, pack_dir, monkeypatch):
    monkeypatch.delenv("HUAYIN_THREADS", raising=False)
    assert Synthesizer(store=store).threads is None  # each voice picks its own
    monkeypatch.setenv("HUAYIN_THREADS", "3")
    assert Synthesizer(store=store).threads == 3
    for asked, used in ((None, 1), (2, 2)):
        voice = VoiceCache(store, asked).get("mellotron-biaobei")
        assert voice.models.vocoder.get_session_options().intra_op_num_threads == used
