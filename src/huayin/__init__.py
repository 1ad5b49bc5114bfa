"""huayin (华音): offline, CPU-first Mandarin text-to-speech.

The one public engine API is :class:`huayin.synth.Synthesizer`; the CLI and (later) the HTTP
server only ever call it for speech.
"""

__version__ = "0.1.0"

from huayin.errors import HuayinError  # noqa: E402

__all__ = ["HuayinError", "__version__"]
