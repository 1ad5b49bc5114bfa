"""Read the tensors of a whole-model torch pickle without torch and without running its code.

A ``torch.save`` file is a zip holding ``<root>/data.pkl`` (the object graph) and one raw file per
storage (``<root>/data/<key>``). ttskit pickled whole ``nn.Module`` objects, so the graph names
classes from ``mellotron.*``, ``melgan.*`` and ``torch.nn.*``. :class:`_RestrictedUnpickler` never
imports any of them: module classes become inert :class:`PickledModule` records that only keep
their attribute dict, tensors are rebuilt as NumPy arrays from the raw storages, and every other
global (``os.system``, ``builtins.eval``, ...) is refused.
"""

import io
import pickle
import zipfile
from collections import Counter, OrderedDict

import numpy as np

from huayin.errors import VoiceInstallError

#: Storage class name → dtype of its raw little-endian bytes.
_STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}
#: Modules whose classes may appear as inert records (they are never imported).
_MODULE_PREFIXES = ("mellotron.", "melgan.", "torch.nn.modules.", "torch.nn.utils.weight_norm")


class PickledModule:
    """Stand-in for a pickled ``nn.Module`` (or hook) object: its class name and attributes."""

    qualified_name = ""
    """``module.ClassName`` of the class the pickle named."""

    def __setstate__(self, state):
        # torch modules pickle a plain attribute dict; keep it, run nothing.
        if isinstance(state, tuple):  # (dict, slots) form
            state = {**(state[0] or {}), **(state[1] or {})}
        self.__dict__.update(state)


class _StorageType:
    def __init__(self, dtype):
        self.dtype = dtype


def _rebuild_tensor(storage, offset, size, stride, *_ignored):
    if not size:
        return storage[offset].copy()
    itemsize = storage.itemsize
    extent = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if min(size) > 0 and extent > len(storage):  # a cut storage: never read past its end
        raise VoiceInstallError(f"tensor needs {extent} items, its storage holds {len(storage)}")
    view = np.lib.stride_tricks.as_strided(
        storage[offset:], shape=tuple(size), strides=tuple(s * itemsize for s in stride))
    return np.ascontiguousarray(view)


def _rebuild_parameter(data, *_ignored):
    return data


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, archive: zipfile.ZipFile, root: str):
        super().__init__(io.BytesIO(data))
        self._archive = archive
        self._root = root
        self._storages: dict[str, np.ndarray] = {}
        self._record_classes: dict[str, type] = {}

    def find_class(self, module: str, name: str):
        qualified = f"{module}.{name}"
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor
        if module == "torch._utils" and name == "_rebuild_parameter":
            return _rebuild_parameter
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(_STORAGE_DTYPES[name])
        if qualified == "collections.OrderedDict":
            return OrderedDict
        if qualified in ("__builtin__.set", "builtins.set"):
            return set
        if qualified == "collections.Counter":  # in LR-scheduler state (MultiStepLR milestones)
            return Counter
        if module.startswith(_MODULE_PREFIXES):
            if qualified not in self._record_classes:
                self._record_classes[qualified] = type(
                    name, (PickledModule,), {"qualified_name": qualified})
            return self._record_classes[qualified]
        raise VoiceInstallError(f"refusing to unpickle global {qualified!r}")

    def persistent_load(self, pid):
        kind, storage_type, key, _location, _numel = pid
        if kind != "storage" or not isinstance(storage_type, _StorageType):
            raise VoiceInstallError(f"unexpected persistent id {pid!r}")
        if key not in self._storages:
            raw = self._archive.read(f"{self._root}/data/{key}")
            self._storages[key] = np.frombuffer(raw, dtype=storage_type.dtype)
        return self._storages[key]


def load_object(checkpoint: bytes) -> object:
    """The pickled object of a torch zip checkpoint (dicts, arrays in place of tensors, inert
    module records), read without running any of its code."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(checkpoint))
    except zipfile.BadZipFile as error:
        raise VoiceInstallError(f"not a torch zip checkpoint: {error}") from None
    with archive:
        pickles = [name for name in archive.namelist() if name.endswith("/data.pkl")]
        if len(pickles) != 1:
            raise VoiceInstallError("torch checkpoint without exactly one data.pkl")
        root = pickles[0].rsplit("/", 1)[0]
        return _RestrictedUnpickler(archive.read(pickles[0]), archive, root).load()


def load_module(checkpoint: bytes) -> PickledModule:
    """The pickled top-level module as an inert record tree (arrays in place of tensors)."""
    module = load_object(checkpoint)
    if not isinstance(module, PickledModule):
        raise VoiceInstallError("checkpoint does not hold a whole pickled module")
    return module


def _fold_weight_norm(module: PickledModule, parameters: dict) -> dict:
    """Replace ``weight_g``/``weight_v`` by the weight they define (``g · v / ‖v‖``)."""
    hooks = getattr(module, "_forward_pre_hooks", {}) or {}
    for hook in hooks.values():
        if not getattr(hook, "qualified_name", "").endswith("WeightNorm"):
            continue
        name, dim = hook.name, hook.dim
        magnitude = parameters.pop(name + "_g").astype(np.float64)
        direction = parameters.pop(name + "_v").astype(np.float64)
        axes = tuple(axis for axis in range(direction.ndim) if axis != dim % direction.ndim)
        norm = np.sqrt((direction**2).sum(axis=axes, keepdims=True))
        parameters[name] = (magnitude * direction / norm).astype(np.float32)
    return parameters


def state_dict(module: PickledModule, prefix: str = "") -> dict[str, np.ndarray]:
    """Flatten parameters and buffers like ``nn.Module.state_dict()``, weight norm folded."""
    out: dict[str, np.ndarray] = {}
    parameters = {k: v for k, v in (module.__dict__.get("_parameters") or {}).items()
                  if v is not None}
    parameters = _fold_weight_norm(module, dict(parameters))
    buffers = {k: v for k, v in (module.__dict__.get("_buffers") or {}).items() if v is not None}
    for name, value in {**parameters, **buffers}.items():
        out[prefix + name] = np.asarray(value)
    for name, child in (module.__dict__.get("_modules") or {}).items():
        if child is not None:
            out.update(state_dict(child, f"{prefix}{name}."))
    return out
