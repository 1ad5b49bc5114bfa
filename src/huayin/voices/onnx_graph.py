"""The small ONNX graph-building toolkit of huayin's vocoders (MelGAN for Mellotron, HiFi-GAN for
Sambert): unique tensor names, weights as initializers, one node at a time, and the finished
model serialized and checked. Each vocoder's own layers (convolutions, upsampling) stay in its
own module."""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

#: Opset of every graph huayin builds.
OPSET = 17
#: IR version written into the models: readable by every onnxruntime ≥ 1.10.
IR_VERSION = 8


class GraphBuilder:
    """Collects the nodes and initializers of one graph."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.weights = weights
        """The network's (folded) weights by state-dict name."""
        self.nodes: list = []
        """Nodes in topological order."""
        self.initializers: list = []
        """Constant tensors (weights and small constants)."""
        self._count = 0

    def name(self, hint: str) -> str:
        """A tensor name not used before in this graph."""
        self._count += 1
        return f"{hint}_{self._count}"

    def constant(self, hint: str, value) -> str:
        """An initializer holding ``value``; returns its name."""
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], **attributes) -> str:
        """Append an ``op`` node; returns the name of its (single) output."""
        output = self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def serialize(self, name: str, inputs: list[tuple[str, list]],
                  outputs: list[tuple[str, list]]) -> bytes:
        """The finished float32 graph as a checked, serialized model; ``inputs``/``outputs``
        are (name, shape) with symbolic dimensions as strings."""
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n, shape in inputs],
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n, shape in outputs],
            self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model)
        return model.SerializeToString()


__all__ = ["GraphBuilder", "IR_VERSION", "OPSET"]
