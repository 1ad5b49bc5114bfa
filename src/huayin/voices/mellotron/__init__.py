"""ttskit's 24-speaker Mellotron + MelGAN, read without torch and run on NumPy / ONNX Runtime.

Install: :mod:`.pack` (via :mod:`.checkpoint`, :mod:`.melgan_graph`). Run: :mod:`.voice`
(:mod:`.acoustic`, :mod:`.attention`, :mod:`.symbols`, :mod:`.vocoder`). Which speakers are
exposed, and why: :mod:`.speakers` and ``docs/voices.md``.
"""
