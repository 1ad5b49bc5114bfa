"""``huayin say`` progress lines, driven by a fake clock (no synthesis)."""

import io

import pytest

from huayin.cli_progress import LOG_INTERVAL, SayProgress


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_log_gets_a_plain_line_every_few_seconds_and_a_summary():
    out, clock = io.StringIO(), FakeClock()
    progress = SayProgress([10, 10, 20], out, terminal=False, clock=clock)
    clock.now += 1.0
    progress.advance(2.0, ends_clause=True)
    assert out.getvalue() == ""  # too early for a line
    clock.now += LOG_INTERVAL
    progress.advance(0.5, ends_clause=False)  # a head chunk: not a clause yet
    progress.advance(1.5, ends_clause=True)
    lines = out.getvalue().splitlines()
    assert lines == ["synthesizing: 1/3 clauses (25%), 2.5 s audio, 0:06 elapsed, ETA 0:18"]
    clock.now += 2.0
    progress.advance(4.0, ends_clause=True)
    progress.finish()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in out.getvalue()
    assert lines[-1] == "huayin: 3/3 clauses, 8.0 s audio in 8.0 s wall (RTF 1.000)"


def test_eta_weighs_clauses_by_length():
    clock = FakeClock()
    progress = SayProgress([1, 3], io.StringIO(), terminal=False, clock=clock)
    assert progress.eta() is None
    clock.now += 2.0
    progress.advance(1.0, ends_clause=True)
    assert progress.fraction == pytest.approx(0.25)
    assert progress.eta() == pytest.approx(6.0)


def test_terminal_line_is_redrawn_and_cleared():
    out, clock = io.StringIO(), FakeClock()
    progress = SayProgress([1, 1], out, terminal=True, clock=clock)
    for _ in range(2):
        clock.now += 1.0
        progress.advance(1.0, ends_clause=True)
    progress.finish()
    text = out.getvalue()
    assert text.count("\n") == 1 and text.startswith("\rsynthesizing: 1/2 clauses")
    assert "2/2 clauses" in text and text.endswith("huayin: 2/2 clauses, 2.0 s audio in 2.0 s "
                                                   "wall (RTF 1.000)\n")


def test_more_clause_ends_than_planned_never_pass_the_total():
    progress = SayProgress([1], io.StringIO(), terminal=False)
    progress.advance(1.0, ends_clause=True)
    progress.advance(1.0, ends_clause=True)
    assert (progress.done, progress.total) == (1, 1)
