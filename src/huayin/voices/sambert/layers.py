"""NumPy building blocks of SAM-BERT (time-major ``[time, channels]`` float32 arrays)."""

import numpy as np

from huayin.voices.mellotron.layers import LSTMWeights, lstm_gates_to_state, lstm_sequence


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray,
               epsilon: float = 1e-6) -> np.ndarray:
    """``nn.LayerNorm(eps=1e-6)`` over the last axis (KAN-TTS's epsilon)."""
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + epsilon) * weight + bias


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis; ``-inf`` entries get weight 0."""
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def linear(x: np.ndarray, w: dict[str, np.ndarray], prefix: str) -> np.ndarray:
    """``nn.Linear`` (or a kernel-1 ``nn.Conv1d``) named ``prefix``; bias optional."""
    weight = w[f"{prefix}.weight"]
    if weight.ndim == 3:  # Conv1d [out, in, 1]
        weight = weight[:, :, 0]
    out = x @ weight.T
    bias = w.get(f"{prefix}.bias")
    return out + bias if bias is not None else out


def conv1d_same(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """``nn.Conv1d`` with padding ``(k − 1)/2`` on both sides, ``weight [out, in, k]``."""
    kernel = weight.shape[2]
    pad = (kernel - 1) // 2
    padded = np.pad(x, ((pad, pad), (0, 0)))
    out = sum(padded[k: k + x.shape[0]] @ weight[:, :, k].T for k in range(kernel))
    return out + bias if bias is not None else out


def depthwise_conv(x: np.ndarray, weight: np.ndarray, left: int, right: int) -> np.ndarray:
    """Depthwise ``nn.Conv1d(groups=channels, bias=False)`` after zero padding ``left/right``;
    ``weight [channels, 1, k]``."""
    kernel = weight.shape[2]
    padded = np.pad(x, ((left, right), (0, 0)))
    length = padded.shape[0] - kernel + 1
    out = np.zeros((length, x.shape[1]), np.float32)
    for k in range(kernel):
        out += padded[k: k + length] * weight[:, 0, k]
    return out


def lstm_weights(w: dict[str, np.ndarray], prefix: str, suffix: str) -> LSTMWeights:
    """One direction (``suffix`` like ``l0`` or ``l0_reverse``) of ``nn.LSTM`` ``prefix``."""
    return LSTMWeights(w[f"{prefix}.weight_ih_{suffix}"], w[f"{prefix}.weight_hh_{suffix}"],
                       w[f"{prefix}.bias_ih_{suffix}"], w[f"{prefix}.bias_hh_{suffix}"])


def lstm(x: np.ndarray, w: dict[str, np.ndarray], prefix: str,
         bidirectional: bool = False) -> np.ndarray:
    """A one-layer ``nn.LSTM(batch_first=True)`` over a whole sequence from zero state."""
    forward = lstm_sequence(x, lstm_weights(w, prefix, "l0"))
    if not bidirectional:
        return forward
    backward = lstm_sequence(x, lstm_weights(w, prefix, "l0_reverse"), reverse=True)
    return np.concatenate([forward, backward], axis=1)


def lstm_step(x: np.ndarray, weights: LSTMWeights,
              state: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One time step of one LSTM layer → new (hidden, cell)."""
    gates = x @ weights.input_weight + weights.bias + state[0] @ weights.recurrent
    return lstm_gates_to_state(gates, state[1])
