"""Process-wide settings read from the environment.

``HUAYIN_HOME``     voice store directory (default ``~/.cache/huayin``).
``HUAYIN_THREADS``  intra-op threads for inference (default: min(2, CPU count)).
"""

import os
from pathlib import Path


def huayin_home() -> Path:
    """Root of the voice store; created on demand by the installer, never at import."""
    return Path(os.environ.get("HUAYIN_HOME") or Path.home() / ".cache" / "huayin").expanduser()


def default_threads() -> int:
    """Threads for model inference. Two cores is the reference machine; never oversubscribe."""
    env = os.environ.get("HUAYIN_THREADS")
    if env:
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))
