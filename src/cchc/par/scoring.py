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
