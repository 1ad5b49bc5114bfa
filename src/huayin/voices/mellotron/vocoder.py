"""ttskit's MelGAN generator (``melgan.model.generator.Generator``) in NumPy, vocoded in chunks.

Layout: reflect-pad 3 → conv 80→512 (k7) → [LeakyReLU → transposed conv (×8, ×8, ×2, ×2) →
residual stack of 3 dilated blocks (1, 3, 9)] × 4 → LeakyReLU → reflect-pad 3 → conv 32→1 (k7) →
tanh. 256 samples per mel frame. Weight norm is folded at install time.

MelGAN is convolutional, so a chunk of frames vocoded with :data:`CONTEXT_FRAMES` of real
neighbours on each side gives the same samples as the whole utterance: memory stays bounded by
the chunk size however long the text is.
"""

from collections.abc import Callable, Iterator

import numpy as np

from huayin.voices.mellotron.layers import conv1d, conv_weight_matrix, reflect_pad

HOP = 256
#: ttskit pads every mel with this many frames of log(1e-5) and drops their audio (less click).
SILENCE_PAD_FRAMES = 10
SILENCE_LOG_MEL = -11.5129
#: Neighbour frames given to each chunk on both sides; the generator's receptive field is
#: about 3 frames (first conv) + 1 per upsampling layer + under 1 for all residual stacks.
CONTEXT_FRAMES = 12
#: Longest chunk vocoded in one run. 200 rather than 400: the same speed (measured, 1 thread:
#: RTF 0.049 both; the smaller working set offsets the context frames vocoded twice) and half
#: ONNX Runtime's activation memory (vocoder process share 117 → 76 MB).
CHUNK_FRAMES = 200
LEAK = 0.2
_UPSAMPLE_LAYERS = (3, 6, 9, 12)  # Sequential indices of the transposed convs
_STRIDES = (8, 8, 2, 2)


def _leaky_relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, LEAK * x)


class _TransposedConv:
    """ConvTranspose1d with kernel = 2·stride and padding = stride/2 (all four layers)."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, stride: int):
        in_channels, out_channels, kernel = weight.shape
        assert kernel == 2 * stride
        self.stride = stride
        self.out_channels = out_channels
        # [in, out, k] → [in, k·out] so one product gives every tap of every input frame.
        self.matrix = np.ascontiguousarray(weight.transpose(0, 2, 1).reshape(in_channels, -1))
        self.bias = bias

    def __call__(self, x: np.ndarray) -> np.ndarray:
        frames = x.shape[0]
        taps = (x @ self.matrix).reshape(frames, 2, self.stride, self.out_channels)
        # Each input frame writes 2·stride samples: its first half overlaps the previous frame's
        # second half, so output block b = first half of frame b + second half of frame b−1.
        full = np.zeros((frames + 1, self.stride, self.out_channels), np.float32)
        full[:frames] += taps[:, 0]
        full[1:] += taps[:, 1]
        crop = self.stride // 2
        out = full.reshape(-1, self.out_channels)[crop: frames * self.stride + crop]
        return out + self.bias


class _ResidualStack:
    def __init__(self, weights: dict[str, np.ndarray], prefix: str):
        self.blocks = []
        for i in range(3):
            dilated = conv_weight_matrix(weights[f"{prefix}.blocks.{i}.2.weight"])
            pointwise = conv_weight_matrix(weights[f"{prefix}.blocks.{i}.4.weight"])
            shortcut = conv_weight_matrix(weights[f"{prefix}.shortcuts.{i}.weight"])
            self.blocks.append((
                3**i, dilated, weights[f"{prefix}.blocks.{i}.2.bias"],
                pointwise, weights[f"{prefix}.blocks.{i}.4.bias"],
                shortcut, weights[f"{prefix}.shortcuts.{i}.bias"]))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        for dilation, dilated, dilated_bias, pointwise, pointwise_bias, shortcut, shortcut_bias in (
                self.blocks):
            y = reflect_pad(_leaky_relu(x), dilation)
            y = conv1d(y, dilated, dilated_bias, 3, dilation)
            y = _leaky_relu(y) @ pointwise + pointwise_bias
            x = x @ shortcut + shortcut_bias + y
        return x


class MelGAN:
    """The vocoder's weights prepared for NumPy inference."""

    def __init__(self, weights: dict[str, np.ndarray]):
        w = {k: np.asarray(v, np.float32) for k, v in weights.items()}
        self.input_conv = conv_weight_matrix(w["generator.1.weight"]), w["generator.1.bias"]
        self.stages = [
            (_TransposedConv(w[f"generator.{i}.weight"], w[f"generator.{i}.bias"], stride),
             _ResidualStack(w, f"generator.{i + 1}"))
            for i, stride in zip(_UPSAMPLE_LAYERS, _STRIDES)]
        self.output_conv = conv_weight_matrix(w["generator.16.weight"]), w["generator.16.bias"]

    def generate(self, mel: np.ndarray) -> np.ndarray:
        """Raw generator: mel ``[frames, 80]`` → samples ``[frames·256]`` in −1…1 (one pass)."""
        x = (mel + 5.0) / 5.0  # the generator's own input normalisation
        x = conv1d(reflect_pad(x, 3), *self.input_conv, 7)
        for upsample, residual in self.stages:
            x = residual(upsample(_leaky_relu(x)))
        x = conv1d(reflect_pad(_leaky_relu(x), 3), *self.output_conv, 7)
        return np.tanh(x[:, 0])

    def vocode(self, mel: np.ndarray) -> np.ndarray:
        """Like ttskit's ``Generator.inference`` (silence pad, drop its audio), in chunks."""
        return vocode_in_chunks(self.generate, mel)


def vocode_in_chunks(generate: Callable[[np.ndarray], np.ndarray], mel: np.ndarray,
                     chunk_frames: int = CHUNK_FRAMES) -> np.ndarray:
    """Vocode ``mel [frames, 80]`` with ``generate`` (mel → samples) chunk by chunk, each chunk
    seeing :data:`CONTEXT_FRAMES` real neighbours; ttskit's trailing silence pad included."""
    return np.concatenate([samples for samples, _ in vocode_chunks(
        generate, mel, chunk_frames, chunk_frames)])


def vocode_head(generate: Callable[[np.ndarray], np.ndarray], mel_start: np.ndarray,
                frames: int) -> np.ndarray:
    """The samples of the first ``frames`` frames of a mel of which only the start is known
    (at least ``frames`` + :data:`CONTEXT_FRAMES` frames): the same samples as the first chunk
    of :func:`vocode_chunks` with ``first_chunk_frames=frames`` on the whole mel."""
    if len(mel_start) < frames + CONTEXT_FRAMES:
        raise ValueError("a head needs its frames and the context frames after them")
    # Cut to exactly its context, the first chunk sees the same frames as on the whole mel.
    head, _ = next(vocode_chunks(generate, mel_start[: frames + CONTEXT_FRAMES], frames))
    return head


def vocode_chunks(generate: Callable[[np.ndarray], np.ndarray], mel: np.ndarray,
                  first_chunk_frames: int, chunk_frames: int = CHUNK_FRAMES,
                  skip_first: bool = False) -> Iterator[tuple[np.ndarray, bool]]:
    """:func:`vocode_in_chunks` lazily: ``(samples, is_last)`` per chunk, each vocoded only when
    asked for. The first is ``first_chunk_frames`` long (a stream's short head; ``skip_first``
    when it was already vocoded, by :func:`vocode_head`), and each next one twice the last, up
    to ``chunk_frames``: a chunk then takes about as long to vocode as the audio before it takes
    to play, so a stream does not run dry after its head. With the context frames every sample
    is the same wherever the chunks are cut (bit-identical in ONNX Runtime; tested)."""
    padding = np.full((SILENCE_PAD_FRAMES, mel.shape[1]), SILENCE_LOG_MEL, np.float32)
    padded = np.concatenate([mel.astype(np.float32), padding])
    total, spoken = padded.shape[0], mel.shape[0]  # the pad's own audio is dropped
    size = max(1, first_chunk_frames)
    start, end = 0, min(spoken, size)
    while start < spoken:
        if not (skip_first and start == 0):
            left, right = max(0, start - CONTEXT_FRAMES), min(total, end + CONTEXT_FRAMES)
            audio = generate(padded[left:right])
            yield audio[(start - left) * HOP: (end - left) * HOP].astype(np.float32), end == spoken
        size = min(chunk_frames, 2 * size)
        start, end = end, min(spoken, end + size)
