"""Charts of the index, drawn on the server with matplotlib: the same figure as inline SVG for
the page and as PNG for download. DejaVu Sans (bundled with matplotlib) has every Vietnamese
glyph. Numbers are written the Vietnamese way (decimal comma, a real minus sign), and labels
are plain text: a "$" in a unit's name is not the start of a formula."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from cchc.text import vn_number

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.fonttype": "none",
        "text.parse_math": False,  # "$" in a name would start mathtext (and crash on one "$")
        "axes.formatter.use_mathtext": False,
    }
)
BLUE, RED, GREY = "#0b4a8b", "#b3261e", "#c9d1da"


def _numbers_on(*axes: Axes) -> None:
    """Tick labels of these axes as `number` writes them."""
    formatter = FuncFormatter(lambda value, _position: vn_number(value))
    for axis in axes:
        axis.set_major_formatter(formatter)


def ranking_bars(
    labels: Sequence[str], values: Sequence[float], highlight: str | None = None, title: str = ""
) -> Figure:
    """Horizontal bars, best at the top; the highlighted unit in red."""
    height = max(2.5, 0.32 * len(labels) + 1)
    fig, ax = plt.subplots(figsize=(8, height))
    colours = [RED if label == highlight else BLUE for label in labels]
    ax.barh(range(len(labels)), values, color=colours)
    ax.set_yticks(range(len(labels)), [f"{n}. {label}" for n, label in enumerate(labels, 1)])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Chỉ số (%)")
    for y, v in enumerate(values):
        ax.text(v + 0.8, y, vn_number(v), va="center", fontsize=8)
    _numbers_on(ax.xaxis)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, loc="left", fontsize=10)
    fig.tight_layout()
    return fig


def radar(areas: Sequence[str], series: dict[str, Sequence[float]], title: str = "") -> Figure:
    """Each area's share of its maximum (percent), one polygon per series (a unit, the best
    unit, last year…)."""
    if len(areas) < 3:  # a radar needs three axes; two areas read better as bars
        return _area_bars(areas, series, title)
    angles = [2 * math.pi * n / len(areas) for n in range(len(areas))]
    fig = plt.figure(figsize=(7, 6.2))
    ax = fig.add_subplot(polar=True)
    for (name, values), colour in zip(
        series.items(), [BLUE, RED, "#1b7f4b", "#c77700"], strict=False
    ):
        closed = [*values, values[0]]
        ax.plot([*angles, angles[0]], closed, color=colour, linewidth=1.8, label=name)
        ax.fill([*angles, angles[0]], closed, color=colour, alpha=0.12)
    ax.set_xticks(angles, [_wrap(a) for a in areas], fontsize=9)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7, color="#666")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=9, frameon=False, ncols=2)
    ax.set_title(title, fontsize=10, pad=18)
    fig.tight_layout()
    return fig


def _area_bars(areas: Sequence[str], series: dict[str, Sequence[float]], title: str) -> Figure:
    fig, ax = plt.subplots(figsize=(7, 1.2 + 0.6 * len(areas) * len(series)))
    height = 0.8 / max(1, len(series))
    for n, ((name, values), colour) in enumerate(zip(series.items(), [BLUE, RED], strict=False)):
        ax.barh(
            [y + n * height for y in range(len(areas))], values, height, color=colour, label=name
        )
    ax.set_yticks(range(len(areas)), [_wrap(a, 30) for a in areas])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Tỷ lệ điểm đạt (%)")
    _numbers_on(ax.xaxis)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def trend(
    years: Sequence[int], series: dict[str, Sequence[float | None]], title: str = ""
) -> Figure:
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for name, values in series.items():
        points = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
    ax.set_xticks(list(years), [str(y) for y in years])
    ax.set_ylabel("Chỉ số (%)")
    ax.set_ylim(0, 100)
    _numbers_on(ax.yaxis)
    ax.grid(axis="y", color=GREY, linewidth=0.5)
    ax.spines[["top", "right"]].set_visible(False)
    if ax.get_lines():  # no year assessed yet: an empty chart, without an empty legend
        ax.legend(fontsize=8, frameon=False, ncols=2)
    ax.set_title(title, loc="left", fontsize=10)
    fig.tight_layout()
    return fig


def _wrap(label: str, width: int = 22) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def render(fig: Figure, fmt: str) -> bytes:
    """The figure as `svg` or `png` bytes; the figure is closed afterwards."""
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=150 if fmt == "png" else None, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()
