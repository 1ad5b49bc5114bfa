"""The causal HiFi-GAN generator as an ONNX graph (``onnx`` helper API), built at import time.

Same network as :class:`~huayin.voices.sambert.hifigan.Hifigan` (which stays as the readable
reference and parity check), run by ONNX Runtime. 1-D convolutions run as 2-D ones of height 1
(ONNX Runtime's blocked conv kernels only take 2-D), causal padding is the conv's own left pad,
and each transposed conv runs in polyphase form (an ordinary conv of ``kernel/stride`` taps giving
``stride·out`` channels, interleaved by Reshape/Transpose), as for the MelGAN graph. Input ``mel``
``[1, mels, frames]``, output ``audio`` ``[1, frames·hop]``.
"""

import numpy as np
from onnx import helper

from huayin.voices.onnx_graph import GraphBuilder
from huayin.voices.sambert.hifigan import FINAL_LEAK, HifiganConfig


def graph_supported(config: HifiganConfig) -> bool:
    """Whether this builder covers ``config`` (causal, kernels multiples of their strides)."""
    return config.causal and config.repeat_upsample and all(
        k % s == 0 for k, s in zip(config.upsample_kernel_sizes, config.upsample_scales))


class _Builder(GraphBuilder):
    """The HiFi-GAN layers on top of the shared graph toolkit."""

    def __init__(self, weights: dict[str, np.ndarray], leak: float):
        super().__init__(weights)
        self.leak = leak

    def leaky(self, x: str, slope: float | None = None) -> str:
        return self.node("LeakyRelu", [x], alpha=self.leak if slope is None else slope)

    def conv(self, x: str, prefix: str, dilation: int = 1) -> str:
        weight = self.weights[f"{prefix}.conv1d.weight"][:, :, None, :]
        span = (weight.shape[3] - 1) * dilation
        return self.node("Conv", [x, self.constant("w", weight),
                                  self.constant("b", self.weights[f"{prefix}.conv1d.bias"])],
                         kernel_shape=[1, weight.shape[3]], dilations=[1, dilation],
                         pads=[0, span, 0, 0])

    def transposed_conv(self, x: str, prefix: str, stride: int) -> str:
        """Causal ConvTranspose1d (first ``T·stride`` samples). Output block ``t`` is
        ``Σᵢ x[t−i]·W[..., i·s:(i+1)·s]``: a conv of ``m = kernel/stride`` taps."""
        weight = self.weights[f"{prefix}.deconv.weight"]  # [in, out, kernel]
        in_channels, out_channels, kernel = weight.shape
        taps = kernel // stride
        # conv tap p reads x[t − (m−1) + p], i.e. i = m−1−p
        blocks = [weight[:, :, i * stride:(i + 1) * stride] for i in range(taps)][::-1]
        stacked = np.stack(blocks, axis=-1)  # [in, out, stride, taps]
        polyphase = stacked.transpose(1, 2, 0, 3).reshape(out_channels * stride, in_channels, 1,
                                                           taps)
        bias = np.repeat(self.weights[f"{prefix}.deconv.bias"], stride)
        y = self.node("Conv", [x, self.constant("w", np.ascontiguousarray(polyphase)),
                               self.constant("b", bias)],
                      kernel_shape=[1, taps], pads=[0, taps - 1, 0, 0])  # [1, out·s, 1, T]
        y = self.node("Reshape", [y, self.constant(
            "shape", np.array([1, out_channels, stride, -1], np.int64))])
        y = self.node("Transpose", [y], perm=[0, 1, 3, 2])  # [1, out, T, s]
        return self.node("Reshape", [y, self.constant(
            "shape", np.array([1, out_channels, 1, -1], np.int64))])

    def repeat(self, x: str, channels: int, scale: int) -> str:
        """Nearest-neighbour upsampling along time: ``[1, C, 1, T]`` → ``[1, C, 1, T·scale]``."""
        y = self.node("Reshape", [x, self.constant(
            "shape", np.array([1, channels, -1, 1], np.int64))])
        y = self.node("Expand", [y, self.constant(
            "shape", np.array([1, channels, 1, scale], np.int64))])
        return self.node("Reshape", [y, self.constant(
            "shape", np.array([1, channels, 1, -1], np.int64))])


def build_hifigan_onnx(config: HifiganConfig, weights: dict[str, np.ndarray]) -> bytes:
    """Serialized ONNX model of the generator (``weights``: folded, checked state dict)."""
    g = _Builder({k: np.asarray(v, np.float32) for k, v in weights.items()}, config.leak)
    x = g.node("Unsqueeze", ["mel", g.constant("axes", np.array([2], np.int64))])
    x = g.conv(x, "conv_pre")
    blocks = len(config.resblock_kernel_sizes)
    for i, scale in enumerate(config.upsample_scales):
        channels = config.channels // 2**i
        x = g.node("Add", [g.node("Sin", [x]), x])
        up = g.transposed_conv(g.leaky(x), f"transpose_upsamples.{i}.1", scale)
        rep = g.conv(g.leaky(g.repeat(x, channels, scale)), f"repeat_upsamples.{i}.2")
        x = g.node("Add", [rep, up])
        total = None
        for j, dilations in enumerate(config.resblock_dilations):
            prefix = f"conv_blocks.{i * blocks + j}"
            y = x
            for n, dilation in enumerate(dilations):
                t = g.conv(g.leaky(y), f"{prefix}.convs1.{n}", dilation)
                y = g.node("Add", [g.conv(g.leaky(t), f"{prefix}.convs2.{n}"), y])
            total = y if total is None else g.node("Add", [total, y])
        x = g.node("Mul", [total, g.constant("mean", np.float32(1.0 / blocks))])
    x = g.conv(g.leaky(x, FINAL_LEAK), "conv_post")
    x = g.node("Tanh", [x])
    g.nodes.append(helper.make_node("Reshape", [x, g.constant("flat", np.array([1, -1], np.int64))],
                                    ["audio"]))
    return g.serialize("sambert_hifigan", [("mel", [1, config.in_channels, "frames"])],
                       [("audio", [1, "samples"])])
