"""Bring-your-own ModelScope Sambert-HiFiGAN voices, read without torch and run in NumPy.

Checkpoints: :mod:`.checkpoint` (torch-free state dicts, weight norm folded); directory layout
:mod:`.layout`; import: :mod:`.pack`; listing: :mod:`.catalog`; running: :mod:`.voice`
(:mod:`.acoustic`, :mod:`.linguistic`, :mod:`.hifigan_graph`). Vocoder:
:mod:`.hifigan` (KAN-TTS's causal HiFi-GAN). Parity with KAN-TTS's own classes is checked against
outputs recorded by ``scripts/sambert_reference.py`` (``tests/fixtures/sambert_tiny*``).
"""
