"""Read a KAN-TTS / ModelScope checkpoint's state dict without torch, weight norm folded.

KAN-TTS saves ``{"model": state_dict, "optimizer": ..., "scheduler": ..., "steps": N}`` for the
acoustic model and ``{"model": {"generator": ..., "discriminator": ...}, ...}`` for HiFi-GAN;
the 2022 layout's ``pytorch_model.bin`` may hold the bare state dict. The pickle is read by the
restricted unpickler of :mod:`huayin.voices.mellotron.checkpoint` (no code runs, tensors become
NumPy arrays).
"""

import zipfile
import zlib
from pathlib import Path

import numpy as np

from huayin.errors import VoiceInstallError
from huayin.voices.mellotron.checkpoint import load_object

#: Old-style ``torch.nn.utils.weight_norm`` and new-style parametrization suffixes.
_WEIGHT_NORM_PAIRS = ((".weight_g", ".weight_v", ".weight"),
                      (".parametrizations.weight.original0",
                       ".parametrizations.weight.original1", ".weight"))


def read_checkpoint(path: Path) -> object:
    """The whole pickled object of ``path``; a clear :class:`VoiceInstallError` when the file
    is missing, truncated or not a torch zip checkpoint."""
    path = Path(path)
    if not path.is_file():
        raise VoiceInstallError(f"checkpoint {path} is missing")
    try:
        return load_object(path.read_bytes())
    except VoiceInstallError as error:
        raise VoiceInstallError(f"cannot read checkpoint {path}: {error.message}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError,
            IndexError, TypeError, AttributeError) as error:
        # A cut-off zip fails in many places (central directory, a storage, the pickle).
        raise VoiceInstallError(
            f"cannot read checkpoint {path} (truncated or damaged?): {error}") from None


def state_dict_from(checkpoint: object, path: Path, *keys: str) -> dict[str, np.ndarray]:
    """The tensor dict under ``checkpoint[keys[0]][keys[1]]...``; a bare state dict (all array
    values) is accepted as is, for the 2022 layout."""
    node = checkpoint
    for key in keys:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif _is_state_dict(node):
            break
        else:
            raise VoiceInstallError(f"checkpoint {path} has no {'/'.join(keys)!r} state dict")
    if not _is_state_dict(node):
        raise VoiceInstallError(f"checkpoint {path}: {'/'.join(keys)!r} is not a state dict")
    state = {k: np.asarray(v) for k, v in node.items()}
    if all(k.startswith("module.") for k in state):  # saved from a DistributedDataParallel wrap
        state = {k[len("module."):]: v for k, v in state.items()}
    return fold_weight_norm(state)


def _is_state_dict(node: object) -> bool:
    return (isinstance(node, dict) and bool(node)
            and all(isinstance(v, np.ndarray) for v in node.values()))


def fold_weight_norm(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Replace each ``g``/``v`` pair by the weight ``g · v / ‖v‖`` it defines (the norm runs
    over every axis but the one ``g`` keeps, as in torch)."""
    out = dict(state)
    for g_suffix, v_suffix, weight_suffix in _WEIGHT_NORM_PAIRS:
        for key in [k for k in state if k.endswith(g_suffix)]:
            stem = key[: -len(g_suffix)]
            if stem + v_suffix not in out:
                raise VoiceInstallError(f"weight-norm key {key!r} without {stem + v_suffix!r}")
            magnitude = out.pop(key).astype(np.float64)
            direction = out.pop(stem + v_suffix).astype(np.float64)
            kept = [axis for axis, size in enumerate(magnitude.shape) if size != 1] or [0]
            axes = tuple(axis for axis in range(direction.ndim) if axis not in kept)
            norm = np.sqrt((direction**2).sum(axis=axes, keepdims=True))
            out[stem + weight_suffix] = (magnitude * direction / norm).astype(np.float32)
    return out
