"""Progress of ``huayin say`` on stderr.

On a terminal one line is redrawn in place (clauses done of the total, percent, audio seconds,
elapsed time and an estimate of the time left); in a log (stderr not a terminal) a plain line is
printed every few seconds instead, so a long run is never silent. Either way the run ends with
one summary line: audio seconds, wall seconds and the real-time factor.
"""

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: Seconds between redraws of the live line on a terminal.
TERMINAL_INTERVAL = 0.25
#: Seconds between plain progress lines when stderr is a file or a pipe.
LOG_INTERVAL = 5.0


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class SayProgress:
    """Counts finished clauses of one synthesis and reports them on ``out``.

    ``clause_weights``: one number per clause of the stream (its token count); the estimate of
    the time left assumes time is spent in proportion to it, which holds better than counting
    clauses, whose lengths vary.
    """

    def __init__(self, clause_weights: list[int], out: TextIO | None = None,
                 terminal: bool | None = None, clock: Callable[[], float] = time.perf_counter):
        self.out = out or sys.stderr
        self.terminal = self.out.isatty() if terminal is None else terminal
        self.total = len(clause_weights)
        """Clauses in the stream (the progress total)."""
        self.done = 0
        """Clauses finished so far."""
        self.audio_seconds = 0.0
        """Seconds of audio made so far."""
        self._weights = [max(1, w) for w in clause_weights]
        self._weight_done = 0
        self._clock = clock
        self.started = clock()
        self._last_report = self.started
        self._line_width = 0

    @property
    def fraction(self) -> float:
        """Share of the work done, by clause weight (0–1)."""
        return self._weight_done / sum(self._weights) if self._weights else 1.0

    @property
    def elapsed(self) -> float:
        """Wall seconds since the start."""
        return self._clock() - self.started

    def eta(self) -> float | None:
        """Estimated seconds left; None before the first clause is done."""
        if self._weight_done == 0:
            return None
        return self.elapsed * (1 - self.fraction) / self.fraction

    def status(self) -> str:
        """The progress line (without line ending)."""
        eta = self.eta()
        left = "ETA " + (_clock(eta) if eta is not None else "?")
        return (f"synthesizing: {self.done}/{self.total} clauses ({self.fraction:.0%}), "
                f"{self.audio_seconds:.1f} s audio, {_clock(self.elapsed)} elapsed, {left}")

    def advance(self, audio_seconds: float, ends_clause: bool) -> None:
        """Account one chunk of ``audio_seconds``; ``ends_clause`` when it finishes a clause."""
        self.audio_seconds += audio_seconds
        if ends_clause and self.done < self.total:
            self._weight_done += self._weights[self.done]
            self.done += 1
        now = self._clock()
        interval = TERMINAL_INTERVAL if self.terminal else LOG_INTERVAL
        if now - self._last_report >= interval:
            self._last_report = now
            self._report()

    def _report(self) -> None:
        line = self.status()
        if self.terminal:
            self.out.write("\r" + line.ljust(self._line_width))
            self._line_width = len(line)
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def summary(self) -> str:
        """The closing line: audio seconds, wall seconds, real-time factor."""
        wall = self.elapsed
        rtf = wall / self.audio_seconds if self.audio_seconds else float("nan")
        return (f"huayin: {self.done}/{self.total} clauses, {self.audio_seconds:.1f} s audio "
                f"in {wall:.1f} s wall (RTF {rtf:.3f})")

    def finish(self) -> None:
        """Clear the live line (terminal) and print the summary."""
        if self.terminal and self._line_width:
            self.out.write("\r" + " " * self._line_width + "\r")
        self.out.write(self.summary() + "\n")
        self.out.flush()
