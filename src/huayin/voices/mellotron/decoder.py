"""The Tacotron2 attention decoder of ttskit's Mellotron in NumPy, arranged for speed.

Each step is bound by reading weights (about 15 MB a frame, out of the CPU's cache), so the
weights are regrouped so that every vector is multiplied once, by one matrix holding all its
uses, and nothing is read twice:

- the attention hidden state feeds the attention query, this step's decoder LSTM and the next
  step's attention LSTM: one product with ``[query | decoder input | attention recurrent]``;
- the decoder hidden state feeds the mel/gate projection and the next step's decoder LSTM: one
  product with ``[projection | decoder recurrent]``;
- the attention context (weights @ memory) only ever enters products, so its three weight blocks
  are multiplied into the memory once per clause (``memory @ W`` is ``[symbols, 4177]``, far
  smaller than ``W`` at ``[288, 4177]`` for clauses under 288 symbols) and each step takes
  ``weights @ (memory @ W)`` — the same sums in another order.

LSTM gate columns are reordered to (input, forget, output, cell) and the three sigmoid gates'
columns halved (exact: a power of two), so one ``tanh`` over all gates gives
``sigmoid(x) = (tanh(x / 2) + 1) / 2`` and ``tanh`` alike. Results equal the straightforward
form up to float rounding (the parity test bounds both against torch).
"""

import math
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from huayin.voices.mellotron.layers import conv_weight_matrix

N_MELS = 80
LOCATION_KERNEL = 31


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


def run_to_end(steps: Generator):
    """Exhaust a step-by-step generator and return its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value


def _gate_columns(matrix: np.ndarray) -> np.ndarray:
    """``[..., 4·hidden]`` in torch's gate order (i, f, g, o) → (i/2, f/2, o/2, g)."""
    i, f, g, o = np.split(matrix, 4, axis=-1)
    return np.concatenate([0.5 * i, 0.5 * f, 0.5 * o, g], axis=-1)


def _lstm_step(gates: np.ndarray, cell: np.ndarray, hidden: np.ndarray) -> None:
    """Gates in :func:`_gate_columns` layout → new ``cell`` and ``hidden``, in place."""
    size = cell.shape[0]
    np.tanh(gates, out=gates)
    sigmoids = gates[: 3 * size]
    sigmoids += 1.0
    sigmoids *= 0.5
    candidate = gates[3 * size:]
    cell *= gates[size: 2 * size]
    candidate *= gates[:size]
    cell += candidate
    np.tanh(cell, out=hidden)
    hidden *= gates[2 * size: 3 * size]


def _f32(x) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32)


class AttentionDecoder:
    """The decoder's weights, regrouped for :meth:`decode`; read-only after construction, so
    threads may decode at once (each run keeps its state in its own arrays)."""

    def __init__(self, w: dict[str, np.ndarray]):
        d = "decoder."
        a = f"{d}attention_layer."
        self.prenet = [_f32(w[f"{d}prenet.layers.{i}.linear_layer.weight"].T) for i in range(2)]
        prenet_size = self.prenet[1].shape[1]
        attention_input = w[f"{d}attention_rnn.weight_ih"].T  # [prenet + context, 4·512]
        decoder_input = w[f"{d}decoder_rnn.weight_ih"].T  # [attention hidden + context, 4·512]
        self.attention_size = w[f"{d}attention_rnn.weight_hh"].shape[1]
        self.decoder_size = w[f"{d}decoder_rnn.weight_hh"].shape[1]
        self.attention_bias = _f32(_gate_columns(
            w[f"{d}attention_rnn.bias_ih"] + w[f"{d}attention_rnn.bias_hh"]))
        decoder_bias = _gate_columns(w[f"{d}decoder_rnn.bias_ih"] + w[f"{d}decoder_rnn.bias_hh"])
        # mel projection and gate read the same vector [decoder hidden, context]
        projection = np.concatenate([w[f"{d}linear_projection.linear_layer.weight"],
                                     w[f"{d}gate_layer.linear_layer.weight"]]).T
        output_bias = np.concatenate([w[f"{d}linear_projection.linear_layer.bias"],
                                      w[f"{d}gate_layer.linear_layer.bias"]])
        query = w[f"{a}query_layer.linear_layer.weight"].T
        self.query_size = query.shape[1]
        self.output_size = projection.shape[1]

        self.from_prenet = _f32(_gate_columns(attention_input[:prenet_size]))
        self.from_attention_hidden = _f32(np.concatenate([
            query,
            _gate_columns(decoder_input[: self.attention_size]),
            _gate_columns(w[f"{d}attention_rnn.weight_hh"].T)], axis=1))
        self.from_decoder_hidden = _f32(np.concatenate([
            projection[: self.decoder_size],
            _gate_columns(w[f"{d}decoder_rnn.weight_hh"].T)], axis=1))
        self.from_context = _f32(np.concatenate([
            _gate_columns(attention_input[prenet_size:]),
            _gate_columns(decoder_input[self.attention_size:]),
            projection[self.decoder_size:]], axis=1))
        self.context_bias = _f32(np.concatenate([self.attention_bias, decoder_bias, output_bias]))

        self.memory_projection = _f32(w[f"{a}memory_layer.linear_layer.weight"].T)
        self.energy_vector = _f32(w[f"{a}v.linear_layer.weight"][0])
        # location conv (2→16, no bias) then dense 16→64 (no bias) is one 2→64 conv; rows
        # ordered (channel, tap) to match a sliding window over the [symbols, 2] history.
        location = conv_weight_matrix(w[f"{a}location_layer.location_conv.conv.weight"]) @ \
            w[f"{a}location_layer.location_dense.linear_layer.weight"].T
        self.location = _f32(location.reshape(LOCATION_KERNEL, 2, -1).transpose(1, 0, 2)
                             .reshape(2 * LOCATION_KERNEL, -1))

    def decode(self, memory: np.ndarray, masks: np.ndarray, policy: StopPolicy) -> DecoderOutput:
        """Run until ``policy`` stops it; ``memory [symbols, 288]`` from the encoder, ``masks``
        the prenet dropout keep-masks (at least ``policy.max_steps`` of them)."""
        return run_to_end(self.decode_steps(memory, masks, policy))

    def decode_steps(self, memory: np.ndarray, masks: np.ndarray,
                     policy: StopPolicy) -> Generator[np.ndarray, None, DecoderOutput]:
        """:meth:`decode` one frame at a time: yields the mel frames kept so far (a view,
        ``[frames, 80]``) after every step that keeps one, and returns the
        :class:`DecoderOutput` (a stream can vocode a clause's start while the rest decodes)."""
        symbols = memory.shape[0]
        processed_memory = memory @ self.memory_projection
        # Attention weights sum to 1, so biases added to every row of memory @ W come out of
        # weights @ (memory @ W) once: no bias additions in the loop.
        context_products = memory @ self.from_context
        context_products += self.context_bias
        context_products = _f32(context_products)
        attention_gates = 4 * self.attention_size
        decoder_gates = 4 * self.decoder_size
        query_end = self.query_size
        decoder_end = query_end + decoder_gates
        context_decoder_end = attention_gates + decoder_gates

        attention_cell = np.zeros(self.attention_size, np.float32)
        attention_hidden = np.zeros(self.attention_size, np.float32)
        decoder_cell = np.zeros(self.decoder_size, np.float32)
        decoder_hidden = np.zeros(self.decoder_size, np.float32)
        # what the previous step already contributes to this step's LSTM gates (with biases)
        pending_attention = self.attention_bias.copy()
        pad = LOCATION_KERNEL // 2
        # previous and cumulative attention weights, zero-padded for the location conv
        history = np.zeros((symbols + 2 * pad, 2), np.float32)
        windows = sliding_window_view(history, LOCATION_KERNEL, axis=0)  # [symbols, 2, 31]
        frame = np.zeros(N_MELS, np.float32)

        mels = np.empty((policy.max_steps, N_MELS), np.float32)
        gates = np.empty(policy.max_steps, np.float32)
        alignment = np.empty((policy.max_steps, symbols), np.float32)
        frames = 0
        reached_end_at = None
        stopped_by_gate = False
        furthest = 0
        for step in range(policy.max_steps):
            x = np.maximum(frame @ self.prenet[0], 0.0)
            x *= masks[step, 0]
            x = np.maximum(x @ self.prenet[1], 0.0)
            x *= masks[step, 1]
            attention_gate_input = x @ self.from_prenet
            attention_gate_input += pending_attention
            _lstm_step(attention_gate_input, attention_cell, attention_hidden)
            from_attention = attention_hidden @ self.from_attention_hidden

            energies = windows.reshape(symbols, -1) @ self.location
            energies += from_attention[:query_end]
            energies += processed_memory
            np.tanh(energies, out=energies)
            energies = energies @ self.energy_vector
            if policy.window is not None:
                energies[: max(0, furthest - 1)] = -np.inf
                energies[furthest + policy.window + 1:] = -np.inf
            weights = np.exp(energies - energies.max())
            weights /= weights.sum()
            from_context = weights @ context_products
            history[pad: pad + symbols, 0] = weights
            history[pad: pad + symbols, 1] += weights

            decoder_gate_input = from_attention[query_end:decoder_end] + from_context[
                attention_gates:context_decoder_end]
            if step:
                decoder_gate_input += from_decoder[self.output_size:]
            _lstm_step(decoder_gate_input, decoder_cell, decoder_hidden)
            from_decoder = decoder_hidden @ self.from_decoder_hidden

            output = from_decoder[: self.output_size] + from_context[context_decoder_end:]
            pending_attention = from_attention[decoder_end:] + from_context[:attention_gates]
            frame = output[:N_MELS]
            gate = 0.5 * (math.tanh(0.5 * float(output[N_MELS])) + 1.0)  # sigmoid

            furthest = max(furthest, int(np.argmax(weights)))
            if reached_end_at is None and furthest >= policy.end_symbol:
                reached_end_at = step
            # A gate that fires before attention reached the end is not believed (early stop
            # drops words); at the end, the gate or a short tail budget ends the loop.
            if reached_end_at is not None and gate > policy.gate_threshold:
                stopped_by_gate = True
                break
            mels[frames] = frame
            gates[frames] = gate
            alignment[frames] = weights
            frames += 1
            yield mels[:frames]
            if reached_end_at is not None and step - reached_end_at >= policy.tail_frames:
                break
        return DecoderOutput(
            mel=mels[:frames].copy(), gate=gates[:frames].copy(),
            alignment=alignment[:frames].copy(), stopped_by_gate=stopped_by_gate,
            hit_step_limit=not stopped_by_gate and frames >= policy.max_steps,
            reached_end=reached_end_at is not None)
