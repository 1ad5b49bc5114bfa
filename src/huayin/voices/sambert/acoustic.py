"""KAN-TTS's SAM-BERT acoustic model (``KanTtsSAMBERT``) inference in NumPy, batch of one.

text tokens → four summed embeddings → pre-LN self-attention encoder → projection (32) ⊕ speaker
⊕ emotion → FSMN+BiLSTM pitch / energy predictors (their conv embeddings added) → autoregressive
LSTM duration predictor → length regulator + in-phone position encoding → PNCA decoder, r = 3
frames a step, each step attending to its last ``band`` steps and to ``band`` memory steps ahead →
FSMN+LSTM postnet residual. Weights are checked against the config by
:meth:`SambertConfig.expected_shapes`.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from huayin.voices.sambert.config import SambertConfig
from huayin.voices.sambert.layers import (
    conv1d_same, depthwise_conv, layer_norm, linear, lstm, lstm_step, lstm_weights, relu, softmax)


def position_table(length: int, depth: int) -> np.ndarray:
    """KAN-TTS's ``SinusoidalPositionEncoder`` table (positions from 1, sin half then cos)."""
    positions = np.arange(1, length + 1, dtype=np.float64)[:, None]
    angles = positions / np.power(10000.0, np.arange(depth // 2) / float(depth / 2 - 1))
    table = np.zeros((length, depth))
    table[:, : depth // 2] = np.sin(angles)
    table[:, depth // 2:] = np.cos(angles)
    return table.astype(np.float32)


@dataclass
class Tokens:
    """One utterance's linguistic ids (KAN-TTS order), each ``[tokens]`` int."""

    phone: np.ndarray
    tone: np.ndarray
    syllable_flag: np.ndarray
    word_segment: np.ndarray
    emotion: np.ndarray
    speaker: np.ndarray


@dataclass
class Prosody:
    """What the variance adaptor decided for an utterance, per token and per frame."""

    encoder: np.ndarray
    """Projected encoder output ``[tokens, 32]``."""
    durations: np.ndarray
    """Frames per token (rounded as the length regulator does)."""
    log_durations: np.ndarray
    """Raw duration-predictor outputs (``log(frames + 1)``)."""
    pitch: np.ndarray
    energy: np.ndarray
    memory: np.ndarray
    """Decoder memory ``[steps, memory_dim]``."""
    frames: int
    """Valid mel frames (sum of ``durations``)."""
    band: int
    """PNCA attention band in decoder steps."""


def _attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, heads: int,
               allowed: np.ndarray | None = None) -> np.ndarray:
    """Multi-head scaled dot-product attention; ``q [Tq, H·d]``, ``allowed [Tq, Tk]`` bool."""
    d = q.shape[1] // heads
    qh = q.reshape(q.shape[0], heads, d).transpose(1, 0, 2)
    kh = k.reshape(k.shape[0], heads, d).transpose(1, 0, 2)
    vh = v.reshape(v.shape[0], heads, d).transpose(1, 0, 2)
    scores = qh @ kh.transpose(0, 2, 1) / np.float32(np.sqrt(d))
    if allowed is not None:
        scores = np.where(allowed[None], scores, -np.inf)
    out = softmax(scores) @ vh
    return out.transpose(1, 0, 2).reshape(q.shape[0], -1)


class SambertAcoustic:
    """The acoustic model's folded weights and its NumPy forward pass."""

    def __init__(self, config: SambertConfig, weights: dict[str, np.ndarray]):
        """``weights``: the state dict, already checked against ``config``."""
        self.config = config
        self.w = {k: np.ascontiguousarray(v, np.float32) for k, v in weights.items()}
        c = config
        self._duration_lstm = [lstm_weights(self.w, "variance_adaptor.duration_predictor.lstm",
                                            f"l{layer}") for layer in range(2)]
        # The stored table is what torch adds (the same formula, computed in float64).
        self._positions = self.w["text_encoder.ling_enc.position_enc.position_enc"][0]

    # -- encoder --------------------------------------------------------------------------
    def _ffn(self, x: np.ndarray, prefix: str) -> np.ndarray:
        w = self.w
        h = layer_norm(x, w[f"{prefix}.layer_norm.weight"], w[f"{prefix}.layer_norm.bias"])
        h = relu(conv1d_same(h, w[f"{prefix}.w_1.weight"], w[f"{prefix}.w_1.bias"]))
        return conv1d_same(h, w[f"{prefix}.w_2.weight"], w[f"{prefix}.w_2.bias"]) + x

    def encode(self, tokens: Tokens) -> np.ndarray:
        """Projected encoder output ``[tokens, encoder_projection_units]``."""
        w, c = self.w, self.config
        x = (w["text_encoder.sy_emb.weight"][tokens.phone]
             + w["text_encoder.tone_emb.weight"][tokens.tone]
             + w["text_encoder.syllable_flag_emb.weight"][tokens.syllable_flag]
             + w["text_encoder.ws_emb.weight"][tokens.word_segment])
        count = x.shape[0]
        positions = (self._positions if count <= len(self._positions)
                     else position_table(count, c.embedding_dim))
        x = x * np.float32(c.encoder_num_units ** 0.5) + positions[:count]
        for i in range(c.encoder_num_layers):
            prefix = f"text_encoder.ling_enc.fft.{i}"
            h = layer_norm(x, w[f"{prefix}.slf_attn.layer_norm.weight"],
                           w[f"{prefix}.slf_attn.layer_norm.bias"])
            q, k, v = np.split(linear(h, w, f"{prefix}.slf_attn.w_qkv"), 3, axis=1)
            out = linear(_attention(q, k, v, c.encoder_num_heads), w, f"{prefix}.slf_attn.fc")
            x = out + x if out.shape[1] == x.shape[1] else out
            x = self._ffn(x, f"{prefix}.pos_ffn")
        x = layer_norm(x, w["text_encoder.ling_enc.ln.weight"], w["text_encoder.ling_enc.ln.bias"])
        return x @ w["text_encoder.ling_proj.weight"].T

    # -- variance adaptor -----------------------------------------------------------------
    def _fsmn(self, x: np.ndarray, prefix: str, layers: int, shift: int,
              valid: int | None = None) -> np.ndarray:
        """``FsmnEncoderV2``; frames from ``valid`` on are masked (zeroed) as in KAN-TTS."""
        w = self.w
        for i in range(layers):
            context = linear(relu(linear(x, w, f"{prefix}.ffn_lst.{i}.w_1")), w,
                             f"{prefix}.ffn_lst.{i}.w_2")
            if valid is not None:
                context[valid:] = 0
            kernel = w[f"{prefix}.memory_block_lst.{i}.conv_dw.weight"]
            filter_size = kernel.shape[2]
            left = int(round((filter_size - 1) / 2)) + shift
            right = int((filter_size - 1) / 2) - shift
            memory = depthwise_conv(context, kernel, left, right) + context
            if valid is not None:
                memory[valid:] = 0
            x = memory + x if memory.shape[1] == x.shape[1] else memory
        return x

    def _predict_contour(self, x: np.ndarray, prefix: str) -> np.ndarray:
        c = self.config
        h = self._fsmn(x, f"{prefix}.fsmn", c.predictor_fsmn_num_layers, c.predictor_shift)
        return linear(lstm(h, self.w, f"{prefix}.blstm", bidirectional=True), self.w,
                      f"{prefix}.fc")[:, 0]

    def _predict_log_durations(self, condition: np.ndarray) -> np.ndarray:
        w, prefix = self.w, "variance_adaptor.duration_predictor"
        states = [(np.zeros(layer.hidden_size, np.float32),) * 2 for layer in self._duration_lstm]
        previous = np.zeros(1, np.float32)
        out = np.empty(condition.shape[0], np.float32)
        prenet_layers = len(self.config.dur_pred_prenet_units)
        for i in range(condition.shape[0]):
            h = previous
            for layer in range(prenet_layers):
                h = relu(linear(h, w, f"{prefix}.prenet.fcs.{3 * layer}"))
            h = np.concatenate([h, condition[i]])
            for layer, weights in enumerate(self._duration_lstm):
                states[layer] = lstm_step(h, weights, states[layer])
                h = states[layer][0]
            previous = relu(linear(h, w, f"{prefix}.fc"))
            out[i] = previous[0]
        return out

    def prosody(self, tokens: Tokens, duration_scale: np.ndarray | float = 1.0,
                emotion_vector: np.ndarray | None = None) -> Prosody:
        """Encoder + variance adaptor + length regulator → the decoder's memory.

        ``duration_scale`` multiplies the predicted frames per token before rounding (1 = the
        model's own timing; KAN-TTS has no such knob); ``emotion_vector`` replaces the emotion
        embedding of every token (a blend of rows, for intensity)."""
        w, c = self.w, self.config
        encoder = self.encode(tokens)
        speaker = w["spk_tokenizer.weight"][tokens.speaker]
        emotion = (w["emo_tokenizer.weight"][tokens.emotion] if emotion_vector is None
                   else np.repeat(emotion_vector[None].astype(np.float32), len(encoder), axis=0))
        condition = np.concatenate([encoder, speaker, emotion], axis=1)
        pitch = self._predict_contour(condition, "variance_adaptor.pitch_predictor")
        energy = self._predict_contour(condition, "variance_adaptor.energy_predictor")
        augmented = (encoder
                     + conv1d_same(pitch[:, None], w["variance_adaptor.pitch_emb.weight"],
                                   w["variance_adaptor.pitch_emb.bias"])
                     + conv1d_same(energy[:, None], w["variance_adaptor.energy_emb.weight"],
                                   w["variance_adaptor.energy_emb.bias"]))
        log_durations = self._predict_log_durations(
            np.concatenate([augmented, speaker, emotion], axis=1))
        predicted = (np.exp(log_durations) - 1) * np.asarray(duration_scale, np.float32)
        durations = np.floor(predicted + 0.5).astype(np.int64)
        frames = int(durations.sum())
        r = c.outputs_per_step
        padded = -(-frames // r) * r
        index = np.repeat(np.arange(len(durations)), durations)
        starts = np.repeat(np.cumsum(durations) - durations, durations)
        in_phone = np.zeros(padded, np.float32)
        in_phone[:frames] = np.arange(frames) - starts + 1
        angles = in_phone[:, None] / w["variance_adaptor.dur_position_encoder.inv_timescales"]
        angles[:, 0::2] = np.sin(angles[:, 0::2])
        angles[:, 1::2] = np.cos(angles[:, 1::2])

        def regulate(x: np.ndarray) -> np.ndarray:
            out = np.zeros((padded, x.shape[1]), np.float32)
            out[:frames] = x[index]
            return out

        text = (regulate(augmented) + angles).reshape(padded // r, -1)
        speaker_steps = regulate(speaker).reshape(padded // r, -1)[:, : c.speaker_units]
        emotion_steps = regulate(emotion).reshape(padded // r, -1)[:, : c.emotion_units]
        memory = np.concatenate([text, speaker_steps, emotion_steps], axis=1)
        band = int(float(predicted.max()) / r + 0.5) if len(predicted) else 0
        return Prosody(encoder, durations, log_durations, pitch, energy, memory, frames, band)

    # -- decoder --------------------------------------------------------------------------
    def decode_steps(self, prosody: Prosody) -> Iterator[np.ndarray]:
        """The PNCA decoder's output, one step (``[r, num_mels]``, before the postnet) at a
        time, so a stream can start before the last step is decoded."""
        w, c = self.w, self.config
        decoder, model = "mel_decoder.mel_dec", c.decoder_num_units
        memory, band = prosody.memory, prosody.band
        steps = memory.shape[0]
        memory_kv = [np.split(linear(memory, w, f"{decoder}.pnca.{i}.pnca_attn.w_h_kv"), 2, axis=1)
                     for i in range(c.decoder_num_layers)]
        keys: list[list[np.ndarray]] = [[] for _ in range(c.decoder_num_layers)]
        values: list[list[np.ndarray]] = [[] for _ in range(c.decoder_num_layers)]
        previous = np.zeros((1, c.num_mels), np.float32)
        prenet_layers = len(c.decoder_prenet_units)
        for step in range(steps):
            h = previous
            for layer in range(prenet_layers):
                h = relu(linear(h, w, f"{decoder}.prenet.fcs.{3 * layer}"))
            h = linear(h, w, f"{decoder}.prenet.fcs.{3 * prenet_layers}")
            x = linear(np.concatenate([memory[step: step + 1], h], axis=1), w,
                       f"{decoder}.dec_in_proj") * np.float32(model ** 0.5)
            for i in range(c.decoder_num_layers):
                prefix = f"{decoder}.pnca.{i}"
                normed = layer_norm(x, w[f"{prefix}.pnca_attn.layer_norm.weight"],
                                    w[f"{prefix}.pnca_attn.layer_norm.bias"])
                q, k, v = np.split(linear(normed, w, f"{prefix}.pnca_attn.w_x_qkv"), 3, axis=1)
                keys[i].append(k)
                values[i].append(v)
                first = max(0, step - band)  # own past: the last band steps and this one
                own = _attention(q, np.concatenate(keys[i][first:]),
                                 np.concatenate(values[i][first:]), c.decoder_num_heads)
                ahead = slice(step, min(steps, step + band + 1))  # memory: this step and ahead
                memory_k, memory_v = memory_kv[i]
                seen = _attention(q, memory_k[ahead], memory_v[ahead], c.decoder_num_heads)
                x = (linear(own, w, f"{prefix}.pnca_attn.fc_x")
                     + linear(seen, w, f"{prefix}.pnca_attn.fc_h") + x)
                x = self._ffn(x, f"{prefix}.pos_ffn")
            x = layer_norm(x, w[f"{decoder}.ln.weight"], w[f"{decoder}.ln.bias"])
            out = linear(x, w, f"{decoder}.dec_out_proj").reshape(c.outputs_per_step, c.num_mels)
            previous = out[-1:]
            yield out

    def postnet(self, decoded: np.ndarray, frames: int) -> np.ndarray:
        """Postnet residual added to the decoder output; ``decoded [padded, mels]`` → valid
        ``[frames, mels]`` mel."""
        c = self.config
        decoded = decoded.copy()
        decoded[frames:] = 0
        h = self._fsmn(decoded, "mel_postnet.fsmn", c.postnet_fsmn_num_layers, c.postnet_shift,
                       valid=frames)
        residual = linear(lstm(h, self.w, "mel_postnet.lstm"), self.w, "mel_postnet.fc")
        return (residual + decoded)[:frames]

    def emotion_blend(self, neutral: int, emotion: int, intensity: float) -> np.ndarray:
        """Emotion embedding ``neutral + intensity·(emotion − neutral)`` (0 = neutral)."""
        table = self.w["emo_tokenizer.weight"]
        return table[neutral] + np.float32(intensity) * (table[emotion] - table[neutral])

    def mel(self, tokens: Tokens, duration_scale: float = 1.0,
            emotion_vector: np.ndarray | None = None) -> tuple[np.ndarray, Prosody]:
        """Whole-utterance mel ``[frames, num_mels]`` and the prosody behind it."""
        prosody = self.prosody(tokens, duration_scale, emotion_vector)
        decoded = np.concatenate(list(self.decode_steps(prosody))) if len(prosody.memory) else \
            np.zeros((0, self.config.num_mels), np.float32)
        return self.postnet(decoded, prosody.frames), prosody
