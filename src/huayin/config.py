"""Process-wide settings read from the environment.

``HUAYIN_HOME``     voice store directory (default ``~/.cache/huayin``).
``HUAYIN_THREADS``  intra-op threads for inference (default: each voice's own, see
                    ``huayin.voices.registry``).
"""

import os
from pathlib import Path


def huayin_home() -> Path:
    """Root of the voice store; created on demand by the installer, never at import."""
    return Path(os.environ.get("HUAYIN_HOME") or Path.home() / ".cache" / "huayin").expanduser()


def requested_threads() -> int | None:
    """Threads asked for with HUAYIN_THREADS, or None to let each voice use its own default."""
    env = os.environ.get("HUAYIN_THREADS")
    return max(1, int(env)) if env else None


def default_threads() -> int:
    """Threads for a voice without a measured default of its own (the Baker voice). Two cores is
    the reference machine; never oversubscribe."""
    return requested_threads() or max(1, min(2, os.cpu_count() or 1))
