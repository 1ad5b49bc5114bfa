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
from collections.abc import Generator

import numpy as np

from huayin.voices.mellotron.decoder import AttentionDecoder, DecoderOutput, StopPolicy
from huayin.voices.mellotron.layers import (
    LSTMWeights,
    conv1d,
    conv_weight_matrix,
    fold_batch_norm,
    lstm_sequence,
    zero_pad,
)

PRENET_DROPOUT = 0.5  # ``mellotron.model.drop_rate``; applied with training=True always
CONV_KERNEL = 5

__all__ = ["DecoderOutput", "MellotronAcoustic", "StopPolicy", "speaker_code"]


def speaker_code(name: str) -> np.ndarray:
    """ttskit's speaker input: each md5 hex digit d of the name → (d − 7) / 10 (32 floats)."""
    digest = hashlib.md5(name.encode("utf8")).hexdigest()
    return ((np.array([int(d, 16) for d in digest], np.float32) - 7) / 10).astype(np.float32)


class MellotronAcoustic:
    """The acoustic model's weights, prepared once for NumPy inference; read-only after
    construction, so threads may share it."""

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

        self.decoder = AttentionDecoder(w)
        self.postnet = [self._conv_with_norm(w, f"postnet.convolutions.{i}") for i in range(5)]
        self.memory_size = self.encoder_forward.hidden_size * 2 + self.speaker_bias.shape[0]
        self.prenet_size = self.decoder.prenet[0].shape[1]

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
        keep = rng.random((steps, 2, self.prenet_size), dtype=np.float32) >= PRENET_DROPOUT
        return keep.astype(np.float32) / (1.0 - PRENET_DROPOUT)

    def decode(self, memory: np.ndarray, masks: np.ndarray, policy: StopPolicy) -> DecoderOutput:
        """Run the attention decoder until ``policy`` stops it; ``masks`` from :meth:`prenet_masks`
        (at least ``policy.max_steps`` of them). See :mod:`~huayin.voices.mellotron.decoder`."""
        return self.decoder.decode(memory, masks, policy)

    def decode_steps(self, memory: np.ndarray, masks: np.ndarray,
                     policy: StopPolicy) -> Generator[np.ndarray, None, DecoderOutput]:
        """:meth:`decode` frame by frame (see :meth:`AttentionDecoder.decode_steps`)."""
        return self.decoder.decode_steps(memory, masks, policy)

    def refine(self, mel: np.ndarray) -> np.ndarray:
        """Postnet: decoder mel ``[frames, 80]`` → final mel (residual added)."""
        half = CONV_KERNEL // 2
        x = mel
        for index, (matrix, bias) in enumerate(self.postnet):
            x = conv1d(zero_pad(x, half, half), matrix, bias, CONV_KERNEL)
            if index < len(self.postnet) - 1:
                x = np.tanh(x)
        return (mel + x).astype(np.float32)
