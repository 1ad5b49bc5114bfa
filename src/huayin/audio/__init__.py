"""Audio stage: containers for synthesized speech and encoders for output formats."""

from huayin.audio.chunk import Audio, AudioChunk, CharTiming
from huayin.audio.encode import FORMATS, encode, encode_wav, to_pcm16
from huayin.audio.silence import room_tone

__all__ = ["Audio", "AudioChunk", "CharTiming", "FORMATS", "encode", "encode_wav", "room_tone",
           "to_pcm16"]
