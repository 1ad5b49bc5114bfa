"""Process-wide settings read from the environment.

``HUAYIN_HOME``     voice store directory (default ``~/.cache/huayin``).
``HUAYIN_THREADS``  intra-op threads for inference (default: each voice's own, see
                    ``huayin.voices.registry``).
"""

import math
import os
from pathlib import Path

from huayin.errors import SettingsError


def huayin_home() -> Path:
    """Root of the voice store; created on demand by the installer, never at import."""
    return Path(os.environ.get("HUAYIN_HOME") or Path.home() / ".cache" / "huayin").expanduser()


def env_number(name: str, default: float, *, minimum: float = 0, integer: bool = False):
    """The number in environment variable ``name`` (``default`` when unset or empty).

    A value that is not a finite number, not whole where ``integer``, or below ``minimum`` is a
    :class:`SettingsError` naming the variable, so ``huayin serve`` stops with one line instead
    of a traceback or, worse, starting with a negative timeout.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise SettingsError(f"{name} must be {kind}, got {raw!r}") from None
    if not math.isfinite(value) or value < minimum:
        raise SettingsError(f"{name} must be at least {minimum:g}, got {raw!r}")
    return value


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number from the environment (see :func:`env_number`)."""
    return env_number(name, default, minimum=minimum, integer=True)


def env_float(name: str, default: float, *, minimum: float = 0) -> float:
    """A number from the environment (see :func:`env_number`)."""
    return env_number(name, default, minimum=minimum)


def requested_threads() -> int | None:
    """Threads asked for with HUAYIN_THREADS, or None to let each voice use its own default."""
    return env_int("HUAYIN_THREADS", 0, minimum=1) or None


def default_threads() -> int:
    """Threads for a voice without a measured default of its own (the Baker voice). Two cores is
    the reference machine; never oversubscribe."""
    return requested_threads() or max(1, min(2, os.cpu_count() or 1))
