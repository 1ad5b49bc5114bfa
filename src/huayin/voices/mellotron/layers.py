"""Small NumPy building blocks shared by the acoustic model and the vocoder (time-major arrays).

All arrays are ``[time, channels]`` float32 so every convolution is one matrix product over
an unfolded window (``[time, kernel·channels] @ [kernel·channels, out]``).
"""

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function, float32 in and out."""
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # tanh form never overflows


def conv_weight_matrix(weight: np.ndarray) -> np.ndarray:
    """torch Conv1d weight ``[out, in, kernel]`` → ``[kernel·in, out]`` for :func:`conv1d`."""
    out_channels = weight.shape[0]
    return np.ascontiguousarray(weight.transpose(2, 1, 0).reshape(-1, out_channels))


def unfold(x: np.ndarray, kernel: int, dilation: int = 1) -> np.ndarray:
    """``[T + (kernel-1)·dilation, C]`` → ``[T, kernel·C]`` (kernel-major, like the weight)."""
    length = x.shape[0] - (kernel - 1) * dilation
    return np.concatenate(
        [x[k * dilation: k * dilation + length] for k in range(kernel)], axis=1)


def conv1d(x: np.ndarray, matrix: np.ndarray, bias: np.ndarray | None, kernel: int,
           dilation: int = 1) -> np.ndarray:
    """Valid convolution of already padded ``x [T', C]`` with a :func:`conv_weight_matrix`."""
    out = unfold(x, kernel, dilation) @ matrix if kernel > 1 else x @ matrix
    if bias is not None:
        out += bias
    return out


def zero_pad(x: np.ndarray, before: int, after: int) -> np.ndarray:
    """Pad the time axis with zeros."""
    return np.pad(x, ((before, after), (0, 0)))


def reflect_pad(x: np.ndarray, amount: int) -> np.ndarray:
    """Pad the time axis by reflection (``nn.ReflectionPad1d``)."""
    return np.pad(x, ((amount, amount), (0, 0)), mode="reflect")


def fold_batch_norm(weight: np.ndarray, bias: np.ndarray, norm: dict[str, np.ndarray],
                    epsilon: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """Fold an inference-mode BatchNorm1d that follows a Conv1d into the conv's weight and bias."""
    scale = norm["weight"] / np.sqrt(norm["running_var"] + epsilon)
    folded_weight = weight * scale[:, None, None]
    folded_bias = (bias - norm["running_mean"]) * scale + norm["bias"]
    return folded_weight.astype(np.float32), folded_bias.astype(np.float32)


class LSTMWeights:
    """One LSTM direction: input weights for whole sequences, recurrent weights per step."""

    def __init__(self, weight_ih: np.ndarray, weight_hh: np.ndarray, bias_ih: np.ndarray,
                 bias_hh: np.ndarray):
        self.hidden_size = weight_hh.shape[1]
        self.input_size = weight_ih.shape[1]
        self.input_weight = np.ascontiguousarray(weight_ih.T)
        """``[input, 4·hidden]``: applied to whole sequences at once in the encoder."""
        self.recurrent = np.ascontiguousarray(weight_hh.T)
        """``[hidden, 4·hidden]``."""
        self.bias = (bias_ih + bias_hh).astype(np.float32)
        """Summed biases ``[4·hidden]``."""


def lstm_gates_to_state(gates: np.ndarray, cell: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """torch gate order (input, forget, cell, output) → new (hidden, cell)."""
    hidden_size = cell.shape[-1]
    i = sigmoid(gates[..., :hidden_size])
    f = sigmoid(gates[..., hidden_size: 2 * hidden_size])
    g = np.tanh(gates[..., 2 * hidden_size: 3 * hidden_size])
    o = sigmoid(gates[..., 3 * hidden_size:])
    new_cell = f * cell + i * g
    return o * np.tanh(new_cell), new_cell


def lstm_sequence(x: np.ndarray, weights: LSTMWeights, reverse: bool = False) -> np.ndarray:
    """Run one LSTM direction over ``x [T, input]`` from zero state → ``[T, hidden]``."""
    projected = x @ weights.input_weight + weights.bias
    hidden = np.zeros(weights.hidden_size, np.float32)
    cell = np.zeros(weights.hidden_size, np.float32)
    out = np.empty((x.shape[0], weights.hidden_size), np.float32)
    order = range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])
    for t in order:
        hidden, cell = lstm_gates_to_state(projected[t] + hidden @ weights.recurrent, cell)
        out[t] = hidden
    return out
