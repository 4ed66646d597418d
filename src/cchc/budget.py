"""The time one parse may take, shared by its stages: each long loop asks `spent()` between
its units of work (a line, a paragraph, a cited number) and stops there, so a hostile text
cannot hold a worker in one stage while the budget is checked only between stages."""

from __future__ import annotations

import time


class Budget:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def spent(self) -> bool:
        return time.monotonic() > self.deadline


UNLIMITED = Budget(float("inf"))
