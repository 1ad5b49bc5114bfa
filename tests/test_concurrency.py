"""Requests side by side: voices guard their own models, so threads may share a Synthesizer."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from huayin.synth import Synthesizer

TEXTS = ["今天天气很好我们一起去公园散步吧。", "您的订单已经发货，预计三天内送达。",
         "会议将于下午三点在三楼会议室召开。", "他推开窗户，看见远处的山。"]


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.mark.parametrize("voice", ["mellotron-biaobei", "baker"])
def test_concurrent_requests_give_the_same_audio_as_one_at_a_time(store, voice):
    synthesizer = Synthesizer(store)

    def streamed(text):  # the streaming path (short head, lazily vocoded rest) as a server uses it
        return np.concatenate([chunk.samples for chunk in synthesizer.stream(text, voice=voice)])

    # One at a time in a worker thread, as a server runs them: NumPy's BLAS rounds the decoder's
    # products a little differently on the main thread (mel within 2e-3, seen with and without
    # other threads), so the main thread is not the reference.
    with ThreadPoolExecutor(1) as pool:
        alone = list(pool.map(streamed, TEXTS))
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(streamed, TEXTS * 2))
    for index, samples in enumerate(together):
        assert np.array_equal(samples, alone[index % len(TEXTS)])


def test_mellotron_holds_blas_to_one_thread_in_every_thread(store):
    synthesizer = Synthesizer(store)
    synthesizer.synthesize("你好。", voice="mellotron-biaobei")
    with ThreadPoolExecutor(2) as pool:  # also threads that started after the voice loaded
        seen = list(pool.map(lambda _: _blas_threads(), range(4)))
    assert all(threads and set(threads) == {1} for threads in seen + [_blas_threads()])
