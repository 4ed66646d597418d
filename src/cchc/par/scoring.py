"""Scoring and ranking of the PAR INDEX over plain numbers, fast enough for every commune of
the country at once (3,300 units × 100 sub-criteria): floats in the loops, rounding at the end.

`values` maps a leaf criterion's code to the points a unit achieved on it (already converted
from the entered value by `framework.points`); a leaf without a value counts 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """What scoring needs of a framework: each leaf's area, and the maximum of each area."""

    leaf_area: dict[str, str]
    area_max: dict[str, float]
    leaf_max: dict[str, float]

    @property
    def total_max(self) -> float:
        return sum(self.area_max.values())

    @classmethod
    def of(cls, framework) -> Layout:
        leaf_area, leaf_max, area_max = {}, {}, {}
        for area in framework.areas:
            area_max[area.code] = float(area.max_points or 0)
            stack = [area]
            while stack:
                node = stack.pop()
                if node.children:
                    stack.extend(node.children)
                else:
                    leaf_area[node.code] = area.code
                    leaf_max[node.code] = float(node.max_points or 0)
        return cls(leaf_area, area_max, leaf_max)


@dataclass
class Result:
    unit: str
    areas: dict[str, float]  # area code → points
    total: float

    def index(self, layout: Layout) -> float:
        """Points achieved / maximum, in percent."""
        return 100 * self.total / layout.total_max if layout.total_max else 0.0


def score(layout: Layout, unit: str, values: Mapping[str, float]) -> Result:
    areas = dict.fromkeys(layout.area_max, 0.0)
    leaf_area = layout.leaf_area
    for code, points in values.items():
        area = leaf_area.get(code)
        if area is not None and points:
            areas[area] += points
    return Result(unit, {k: round(v, 2) for k, v in areas.items()}, round(sum(areas.values()), 2))


def rank(results: Iterable[Result]) -> list[tuple[int, Result]]:
    """Best first; equal totals share a rank (1, 2, 2, 4), as the province's tables print."""
    ordered = sorted(results, key=lambda r: (-r.total, r.unit))
    ranked, previous, place = [], None, 0
    for n, result in enumerate(ordered, 1):
        if result.total != previous:
            place, previous = n, result.total
        ranked.append((place, result))
    return ranked


def losses(
    layout: Layout, values: Mapping[str, float], reference: Mapping[str, float], top: int = 10
) -> list[tuple[str, float]]:
    """The leaf criteria where `values` fall furthest below `reference` (the best unit's scores,
    or the unit's own last year), largest loss first; only real losses."""
    gaps = []
    for code in layout.leaf_area:
        gap = reference.get(code, 0.0) - values.get(code, 0.0)
        if gap > 0.005:
            gaps.append((code, round(gap, 2)))
    gaps.sort(key=lambda item: (-item[1], item[0]))
    return gaps[:top]


@dataclass(frozen=True)
class Adjusted:
    """A unit's result as its framework counts it: criteria that do not apply, bonus and
    penalty points within their caps."""

    points: float  # achieved, with bonus and penalty
    maximum: float  # the unit's maximum (less what does not apply, when re-scaled)
    index: float  # percent, 0..100


def adjusted(
    layout: Layout,
    result: Result,
    not_applicable: Iterable[str] = (),
    bonus: float = 0.0,
    penalty: float = 0.0,
    policy: str = "rescale",
    bonus_max: float | None = None,
    penalty_max: float | None = None,
) -> Adjusted:
    """`policy` "rescale": a criterion that does not apply leaves the unit's maximum (the index
    is taken on what applies); "full": it counts its full points. Bonus and penalty are capped
    by the framework's maxima; the index stays within 0..100."""
    na_max = sum(layout.leaf_max.get(code, 0.0) for code in set(not_applicable))
    bonus = min(bonus, bonus_max) if bonus_max is not None else bonus
    penalty = min(penalty, penalty_max) if penalty_max is not None else penalty
    points = result.total + bonus - penalty
    maximum = layout.total_max
    if policy == "full":
        points += na_max
    else:
        maximum -= na_max
    index = 100 * points / maximum if maximum > 0 else 0.0
    return Adjusted(round(points, 2), round(maximum, 2), round(min(100.0, max(0.0, index)), 2))


def rank_by_index(items: Iterable[tuple[str, float]]) -> list[tuple[int, str, float]]:
    """(key, index) pairs best first; equal indexes share a rank (1, 2, 2, 4)."""
    ordered = sorted(items, key=lambda item: (-item[1], item[0]))
    out, previous, place = [], None, 0
    for n, (key, index) in enumerate(ordered, 1):
        if index != previous:
            place, previous = n, index
        out.append((place, key, index))
    return out
