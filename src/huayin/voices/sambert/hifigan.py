"""KAN-TTS's HiFi-GAN generator (``kantts.models.hifigan.hifigan.Generator``) in NumPy.

Layout: conv_pre (k7) → per upsampling stage [x + sin x → (nearest-repeat → LeakyReLU → conv k7)
+ (LeakyReLU → transposed conv) → mean of the resblocks (kernels 3, 7, 11, dilated)] →
LeakyReLU(0.01) → conv_post (k7) → tanh. The published 16 kHz voices use the *causal* variant
(every conv pads on the left only, the transposed convs drop their last ``kernel − stride``
samples), hop 200. Arrays are time-major ``[time, channels]``; weight norm is folded at load.
"""

from dataclasses import dataclass

import numpy as np

from huayin.errors import VoiceInstallError
from huayin.voices.mellotron.layers import conv1d, conv_weight_matrix

#: ``F.leaky_relu`` default slope, used once before conv_post.
FINAL_LEAK = 0.01


@dataclass(frozen=True)
class HifiganConfig:
    """The ``Model.Generator.params`` of a voice's ``voc/config.yaml`` that shape inference."""

    in_channels: int
    """Mel bins (80)."""
    channels: int
    """Width after conv_pre, halved by every upsampling stage."""
    kernel_size: int
    """Kernel of conv_pre, conv_post and the repeat-upsampling convs (odd)."""
    upsample_scales: tuple[int, ...]
    """Stride of each stage; their product is the hop in samples."""
    upsample_kernel_sizes: tuple[int, ...]
    """Kernel of each stage's transposed conv."""
    resblock_kernel_sizes: tuple[int, ...]
    """One residual block per kernel size in every stage, averaged."""
    resblock_dilations: tuple[tuple[int, ...], ...]
    """Dilations of each residual block's conv pairs."""
    causal: bool
    """Left-only padding (the published voices) or centred padding."""
    repeat_upsample: bool
    """Whether each stage adds a nearest-repeat + conv branch to the transposed conv."""
    leak: float
    """LeakyReLU slope inside the network."""

    @property
    def hop(self) -> int:
        """Samples per mel frame."""
        return int(np.prod(self.upsample_scales))

    @classmethod
    def from_yaml(cls, config: dict) -> "HifiganConfig":
        """From a parsed ``voc/config.yaml``; :class:`VoiceInstallError` for what is not run."""
        try:
            params = config["Model"]["Generator"]["params"]
        except (KeyError, TypeError):
            raise VoiceInstallError("vocoder config has no Model.Generator.params") from None
        if params.get("nsf_params") is not None:
            raise VoiceInstallError("unsupported vocoder config: NSF (source-filter) HiFi-GAN")
        if params.get("out_channels", 1) != 1:
            raise VoiceInstallError("unsupported vocoder config: multi-band (PQMF) HiFi-GAN")
        activation = params.get("nonlinear_activation", "LeakyReLU")
        if activation != "LeakyReLU":
            raise VoiceInstallError(f"unsupported vocoder activation {activation!r}")
        try:
            built = cls(
                in_channels=int(params.get("in_channels", 80)),
                channels=int(params.get("channels", 512)),
                kernel_size=int(params.get("kernel_size", 7)),
                upsample_scales=tuple(int(s) for s in params.get("upsample_scales", (8, 8, 2, 2))),
                upsample_kernel_sizes=tuple(
                    int(k) for k in params.get("upsample_kernal_sizes", (16, 16, 4, 4))),
                resblock_kernel_sizes=tuple(
                    int(k) for k in params.get("resblock_kernel_sizes", (3, 7, 11))),
                resblock_dilations=tuple(tuple(int(d) for d in ds) for ds in params.get(
                    "resblock_dilations", ((1, 3, 5),) * 3)),
                causal=bool(params.get("causal", True)),
                repeat_upsample=bool(params.get("repeat_upsample", True)),
                leak=float((params.get("nonlinear_activation_params") or {}).get(
                    "negative_slope", 0.1)))
        except (TypeError, ValueError) as error:
            raise VoiceInstallError(f"unsupported vocoder config: {error}") from None
        if len(built.upsample_scales) != len(built.upsample_kernel_sizes) or len(
                built.resblock_kernel_sizes) != len(built.resblock_dilations):
            raise VoiceInstallError("unsupported vocoder config: mismatched list lengths")
        if any(k < s or (not built.causal and (k - s) % 2) for k, s in zip(
                built.upsample_kernel_sizes, built.upsample_scales)):
            raise VoiceInstallError("unsupported vocoder config: upsampling kernel vs stride")
        return built

    def expected_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every generator weight (weight norm folded) and its shape."""
        shapes: dict[str, tuple[int, ...]] = {}

        def conv(prefix: str, c_in: int, c_out: int, kernel: int) -> None:
            shapes[f"{prefix}.conv1d.weight"] = (c_out, c_in, kernel)
            shapes[f"{prefix}.conv1d.bias"] = (c_out,)

        conv("conv_pre", self.in_channels, self.channels, self.kernel_size)
        for i, (scale, kernel) in enumerate(zip(self.upsample_scales, self.upsample_kernel_sizes)):
            c_in, c_out = self.channels // 2**i, self.channels // 2 ** (i + 1)
            shapes[f"transpose_upsamples.{i}.1.deconv.weight"] = (c_in, c_out, kernel)
            shapes[f"transpose_upsamples.{i}.1.deconv.bias"] = (c_out,)
            if self.repeat_upsample:
                conv(f"repeat_upsamples.{i}.2", c_in, c_out, self.kernel_size)
            for j, (res_kernel, dilations) in enumerate(zip(
                    self.resblock_kernel_sizes, self.resblock_dilations)):
                block = f"conv_blocks.{i * len(self.resblock_kernel_sizes) + j}"
                for n in range(len(dilations)):
                    conv(f"{block}.convs1.{n}", c_out, c_out, res_kernel)
                    conv(f"{block}.convs2.{n}", c_out, c_out, res_kernel)
        last = self.channels // 2 ** len(self.upsample_scales)
        conv("conv_post", last, 1, self.kernel_size)
        return shapes


def check_weights(weights: dict[str, np.ndarray], expected: dict[str, tuple[int, ...]],
                  what: str) -> dict[str, np.ndarray]:
    """``weights`` restricted to ``expected`` as float32; a :class:`VoiceInstallError` naming the
    first missing, unexpected or misshapen key."""
    for key, shape in expected.items():
        if key not in weights:
            raise VoiceInstallError(f"{what} checkpoint lacks {key!r} (expected shape {shape})")
        if tuple(weights[key].shape) != shape:
            raise VoiceInstallError(f"{what} checkpoint key {key!r} has shape "
                                    f"{tuple(weights[key].shape)}, the config implies {shape}")
    unknown = sorted(set(weights) - set(expected))
    if unknown:
        raise VoiceInstallError(f"{what} checkpoint has unknown key {unknown[0]!r} "
                                f"({len(unknown)} unknown in all); config and weights disagree")
    return {key: np.ascontiguousarray(weights[key], np.float32) for key in expected}


class _Conv:
    """A 1-D conv with KAN-TTS padding: causal (left ``(k−1)·d``) or centred."""

    def __init__(self, weights: dict[str, np.ndarray], prefix: str, causal: bool,
                 dilation: int = 1):
        weight = weights[f"{prefix}.conv1d.weight"]
        self.kernel = weight.shape[2]
        self.dilation = dilation
        self.matrix = conv_weight_matrix(weight)
        self.bias = weights[f"{prefix}.conv1d.bias"]
        span = (self.kernel - 1) * dilation
        self.pad = (span, 0) if causal else (span // 2, span - span // 2)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        padded = np.pad(x, (self.pad, (0, 0)))
        return conv1d(padded, self.matrix, self.bias, self.kernel, self.dilation)


class _TransposedConv:
    """ConvTranspose1d; causal keeps the first ``T·stride`` samples, centred drops
    ``(kernel − stride)/2`` first."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, stride: int, causal: bool):
        in_channels, self.out_channels, self.kernel = weight.shape
        self.stride = stride
        # [in, out, k] → [in, k·out]: one product gives every tap of every input frame.
        self.matrix = np.ascontiguousarray(weight.transpose(0, 2, 1).reshape(in_channels, -1))
        self.bias = bias
        self.crop = 0 if causal else (self.kernel - stride) // 2

    def __call__(self, x: np.ndarray) -> np.ndarray:
        frames = x.shape[0]
        taps = (x @ self.matrix).reshape(frames, self.kernel, self.out_channels)
        full = np.zeros(((frames - 1) * self.stride + self.kernel, self.out_channels), np.float32)
        for j in range(self.kernel):
            full[j: j + (frames - 1) * self.stride + 1: self.stride] += taps[:, j]
        return full[self.crop: self.crop + frames * self.stride] + self.bias


class Hifigan:
    """The generator's weights prepared for NumPy inference."""

    def __init__(self, config: HifiganConfig, weights: dict[str, np.ndarray]):
        """``weights``: the folded generator state dict (checked by :func:`check_weights`)."""
        self.config = config
        w = check_weights(weights, config.expected_shapes(), "vocoder")
        causal = config.causal
        self.conv_pre = _Conv(w, "conv_pre", causal)
        self.stages = []
        blocks_per_stage = len(config.resblock_kernel_sizes)
        for i, scale in enumerate(config.upsample_scales):
            transposed = _TransposedConv(w[f"transpose_upsamples.{i}.1.deconv.weight"],
                                         w[f"transpose_upsamples.{i}.1.deconv.bias"], scale, causal)
            repeat = _Conv(w, f"repeat_upsamples.{i}.2", causal) if config.repeat_upsample else None
            blocks = []
            for j, dilations in enumerate(config.resblock_dilations):
                block = f"conv_blocks.{i * blocks_per_stage + j}"
                blocks.append([(_Conv(w, f"{block}.convs1.{n}", causal, d),
                                _Conv(w, f"{block}.convs2.{n}", causal))
                               for n, d in enumerate(dilations)])
            self.stages.append((scale, repeat, transposed, blocks))
        self.conv_post = _Conv(w, "conv_post", causal)

    def _leaky(self, x: np.ndarray, slope: float | None = None) -> np.ndarray:
        return np.maximum(x, (self.config.leak if slope is None else slope) * x)

    def generate(self, mel: np.ndarray) -> np.ndarray:
        """Mel ``[frames, in_channels]`` → samples ``[frames·hop]`` in −1…1."""
        x = self.conv_pre(np.ascontiguousarray(mel, np.float32))
        for scale, repeat, transposed, blocks in self.stages:
            x = np.sin(x) + x
            up = transposed(self._leaky(x))
            if repeat is not None:
                up = up + repeat(self._leaky(np.repeat(x, scale, axis=0)))
            x = up
            total = None
            for pairs in blocks:
                y = x
                for dilated, plain in pairs:
                    y = y + plain(self._leaky(dilated(self._leaky(y))))
                total = y if total is None else total + y
            x = total / len(blocks)
        x = self.conv_post(self._leaky(x, FINAL_LEAK))
        return np.tanh(x[:, 0])
