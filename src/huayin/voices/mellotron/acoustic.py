"""ttskit's multi-speaker Mellotron (Tacotron2 with location-sensitive attention) in NumPy.

Shapes follow the pickled model (``mellotron.model.Tacotron2``): 256-d symbol embedding, three
conv+BatchNorm layers and a BiLSTM encoder, a 32-d speaker embedding appended to every encoder
frame (memory width 288), a 2×128 prenet whose dropout stays on at inference, a 512-unit
attention LSTM, 64-d location-sensitive attention (16 filters, kernel 31), a 512-unit decoder LSTM,
an 80-bin mel projection + stop gate, and a 5-layer postnet.

The decoder is autoregressive and runs one frame per step; the caller decides when to stop
(:meth:`MellotronAcoustic.decode` takes a :class:`StopPolicy`).
"""

import hashlib
from dataclasses import dataclass

import numpy as np

from huayin.voices.mellotron.layers import (
    LSTMWeights,
    conv1d,
    conv_weight_matrix,
    fold_batch_norm,
    lstm_gates_to_state,
    lstm_sequence,
    sigmoid,
    zero_pad,
)

N_MELS = 80
PRENET_DROPOUT = 0.5  # ``mellotron.model.drop_rate``; applied with training=True always
LOCATION_KERNEL = 31
CONV_KERNEL = 5


def speaker_code(name: str) -> np.ndarray:
    """ttskit's speaker input: each md5 hex digit d of the name → (d − 7) / 10 (32 floats)."""
    digest = hashlib.md5(name.encode("utf8")).hexdigest()
    return ((np.array([int(d, 16) for d in digest], np.float32) - 7) / 10).astype(np.float32)


@dataclass
class StopPolicy:
    """When the decoder loop ends (see :mod:`~huayin.voices.mellotron.attention`)."""

    max_steps: int
    """Hard cap on decoder frames for this input."""
    gate_threshold: float
    """Stop-gate probability above which the model says "done"."""
    end_symbol: int
    """Attention must have reached this symbol index before a gate stop is believed."""
    tail_frames: int
    """Frames allowed after attention reached ``end_symbol`` when the gate never fires."""
    window: int | None = None
    """If set, attention may only look from one symbol behind its furthest point to this many
    ahead (a forced monotonic window); None leaves it free, as the model was trained."""


@dataclass
class DecoderOutput:
    """What one decoder run produced (all frames up to and excluding the stop frame)."""

    mel: np.ndarray
    """Decoder mel before the postnet, ``[frames, 80]`` natural-log magnitude."""
    gate: np.ndarray
    """Stop-gate probability per frame, ``[frames]``."""
    alignment: np.ndarray
    """Attention weights, ``[frames, symbols]``."""
    stopped_by_gate: bool
    """True when the gate (with attention at the end) ended the loop."""
    hit_step_limit: bool
    """True when ``max_steps`` ended the loop."""
    reached_end: bool
    """True when attention reached ``StopPolicy.end_symbol`` (possibly on the stop frame)."""


class MellotronAcoustic:
    """The acoustic model's weights, prepared once for NumPy inference (not thread-safe)."""

    def __init__(self, weights: dict[str, np.ndarray]):
        w = {k: np.asarray(v, np.float32) for k, v in weights.items()}
        self.embedding = w["embedding.weight"]
        self.encoder_convs = [
            self._conv_with_norm(w, f"encoder.convolutions.{i}") for i in range(3)]
        self.encoder_forward = LSTMWeights(*(w[f"encoder.lstm.{n}_l0"] for n in (
            "weight_ih", "weight_hh", "bias_ih", "bias_hh")))
        self.encoder_backward = LSTMWeights(*(w[f"encoder.lstm.{n}_l0_reverse"] for n in (
            "weight_ih", "weight_hh", "bias_ih", "bias_hh")))
        self.speaker_weight = w["speaker_embedding.weight"].T.copy()
        self.speaker_bias = w["speaker_embedding.bias"]

        d = "decoder."
        self.prenet = [w[f"{d}prenet.layers.{i}.linear_layer.weight"].T.copy() for i in range(2)]
        self.attention_rnn = LSTMWeights(*(w[f"{d}attention_rnn.{n}"] for n in (
            "weight_ih", "weight_hh", "bias_ih", "bias_hh")))
        self.decoder_rnn = LSTMWeights(*(w[f"{d}decoder_rnn.{n}"] for n in (
            "weight_ih", "weight_hh", "bias_ih", "bias_hh")))
        a = f"{d}attention_layer."
        self.query = w[f"{a}query_layer.linear_layer.weight"].T.copy()
        self.memory_projection = w[f"{a}memory_layer.linear_layer.weight"].T.copy()
        self.energy_vector = w[f"{a}v.linear_layer.weight"][0].copy()
        # location conv (2→16, no bias) followed by a dense 16→64 (no bias) is one 2→64 conv.
        location_conv = conv_weight_matrix(w[f"{a}location_layer.location_conv.conv.weight"])
        location_dense = w[f"{a}location_layer.location_dense.linear_layer.weight"].T
        self.location = np.ascontiguousarray(location_conv @ location_dense)
        # mel projection and gate read the same vector: one product gives both.
        self.output_weight = np.ascontiguousarray(np.concatenate([
            w[f"{d}linear_projection.linear_layer.weight"],
            w[f"{d}gate_layer.linear_layer.weight"]]).T)
        self.output_bias = np.concatenate([
            w[f"{d}linear_projection.linear_layer.bias"], w[f"{d}gate_layer.linear_layer.bias"]])
        self.postnet = [self._conv_with_norm(w, f"postnet.convolutions.{i}") for i in range(5)]
        self.memory_size = self.encoder_forward.hidden_size * 2 + self.speaker_bias.shape[0]

    @staticmethod
    def _conv_with_norm(w: dict, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        norm = {name: w[f"{prefix}.1.{name}"]
                for name in ("weight", "bias", "running_mean", "running_var")}
        weight, bias = fold_batch_norm(w[f"{prefix}.0.conv.weight"], w[f"{prefix}.0.conv.bias"], norm)
        return conv_weight_matrix(weight), bias

    def encode(self, symbol_ids: np.ndarray, speaker: np.ndarray) -> np.ndarray:
        """Memory ``[symbols, 288]``: encoder output with the speaker embedding appended."""
        x = self.embedding[symbol_ids]
        half = CONV_KERNEL // 2
        for matrix, bias in self.encoder_convs:
            x = np.maximum(conv1d(zero_pad(x, half, half), matrix, bias, CONV_KERNEL), 0.0)
        text = np.concatenate([lstm_sequence(x, self.encoder_forward),
                               lstm_sequence(x, self.encoder_backward, reverse=True)], axis=1)
        speaker_embedding = speaker @ self.speaker_weight + self.speaker_bias
        return np.concatenate(
            [text, np.broadcast_to(speaker_embedding, (len(text), len(speaker_embedding)))],
            axis=1).astype(np.float32)

    def prenet_masks(self, rng: np.random.Generator, steps: int) -> np.ndarray:
        """Dropout keep-masks already scaled by 1/(1−p): ``[steps, 2, 128]`` of 0 or 2."""
        keep = rng.random((steps, 2, self.prenet[0].shape[1]), dtype=np.float32) >= PRENET_DROPOUT
        return keep.astype(np.float32) / (1.0 - PRENET_DROPOUT)

    def decode(self, memory: np.ndarray, masks: np.ndarray, policy: StopPolicy) -> DecoderOutput:
        """Run the attention decoder until ``policy`` stops it; ``masks`` from :meth:`prenet_masks`
        (at least ``policy.max_steps`` of them)."""
        symbols = memory.shape[0]
        processed_memory = memory @ self.memory_projection
        attention_size = self.attention_rnn.hidden_size
        decoder_size = self.decoder_rnn.hidden_size
        context_size = memory.shape[1]
        prenet_size = self.prenet[1].shape[1]
        # Inputs of the two LSTMs, laid out as [x, h] so each step is one product per LSTM.
        attention_input = np.zeros(prenet_size + context_size + attention_size, np.float32)
        decoder_input = np.zeros(attention_size + context_size + decoder_size, np.float32)
        attention_cell = np.zeros(attention_size, np.float32)
        decoder_cell = np.zeros(decoder_size, np.float32)
        pad = LOCATION_KERNEL // 2
        # previous and cumulative attention weights, zero-padded for the location conv
        weights_history = np.zeros((symbols + 2 * pad, 2), np.float32)
        context = np.zeros(context_size, np.float32)
        frame = np.zeros(N_MELS, np.float32)

        mels, gates, alignments = [], [], []
        reached_end_at = None
        stopped_by_gate = False
        furthest = 0
        for step in range(policy.max_steps):
            x = np.maximum(frame @ self.prenet[0], 0.0) * masks[step, 0]
            x = np.maximum(x @ self.prenet[1], 0.0) * masks[step, 1]
            attention_input[:prenet_size] = x
            attention_input[prenet_size: prenet_size + context_size] = context
            attention_hidden, attention_cell = lstm_gates_to_state(
                attention_input @ self.attention_rnn.stacked + self.attention_rnn.bias,
                attention_cell)
            attention_input[prenet_size + context_size:] = attention_hidden

            location = conv1d(weights_history, self.location, None, LOCATION_KERNEL)
            energies = np.tanh(attention_hidden @ self.query + location + processed_memory)
            energies = energies @ self.energy_vector
            if policy.window is not None:
                energies[: max(0, furthest - 1)] = -np.inf
                energies[furthest + policy.window + 1:] = -np.inf
            weights = np.exp(energies - energies.max())
            weights /= weights.sum()
            context = weights @ memory
            weights_history[pad: pad + symbols, 0] = weights
            weights_history[pad: pad + symbols, 1] += weights

            decoder_input[:attention_size] = attention_hidden
            decoder_input[attention_size: attention_size + context_size] = context
            decoder_hidden, decoder_cell = lstm_gates_to_state(
                decoder_input @ self.decoder_rnn.stacked + self.decoder_rnn.bias, decoder_cell)
            decoder_input[attention_size + context_size:] = decoder_hidden

            output = np.concatenate([decoder_hidden, context]) @ self.output_weight
            output += self.output_bias
            frame = output[:N_MELS]
            gate = float(sigmoid(output[N_MELS]))

            furthest = max(furthest, int(np.argmax(weights)))
            if reached_end_at is None and furthest >= policy.end_symbol:
                reached_end_at = step
            # A gate that fires before attention reached the end is not believed (early stop
            # drops words); at the end, the gate or a short tail budget ends the loop.
            if reached_end_at is not None and gate > policy.gate_threshold:
                stopped_by_gate = True
                break
            mels.append(frame)
            gates.append(gate)
            alignments.append(weights)
            if reached_end_at is not None and step - reached_end_at >= policy.tail_frames:
                break
        hit_limit = not stopped_by_gate and len(mels) >= policy.max_steps
        return DecoderOutput(
            mel=np.array(mels, np.float32).reshape(-1, N_MELS),
            gate=np.array(gates, np.float32),
            alignment=np.array(alignments, np.float32).reshape(-1, symbols),
            stopped_by_gate=stopped_by_gate, hit_step_limit=hit_limit,
            reached_end=reached_end_at is not None)

    def refine(self, mel: np.ndarray) -> np.ndarray:
        """Postnet: decoder mel ``[frames, 80]`` → final mel (residual added)."""
        half = CONV_KERNEL // 2
        x = mel
        for index, (matrix, bias) in enumerate(self.postnet):
            x = conv1d(zero_pad(x, half, half), matrix, bias, CONV_KERNEL)
            if index < len(self.postnet) - 1:
                x = np.tanh(x)
        return (mel + x).astype(np.float32)
