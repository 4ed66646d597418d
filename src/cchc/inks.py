"""Page images cleaned for OCR: coloured ink removed, skew undone, speckles filtered.

A scanned văn bản carries more than its black print: the red seal over the signer's block, a
blue signature, the clerk's handwritten notes and number. Tesseract reads all of it as letters
("ì ti zx $ »+® Ý" beside the body of `../shared/scans/2.pdf`), and a red seal over the signer's
title and name hides them. Print is dark and grey; those inks are coloured: pixels of high chroma
are turned to paper before the page is made grey, and dark low-chroma pixels (print, even where
the seal lies over it) are kept.

Then the page is deskewed (the angle whose row profile is sharpest, on a small copy) and, when it
is speckled, median-filtered. Everything runs in this process on numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageFilter

# A pixel is coloured ink when its chroma (max - min of R, G, B) is above CHROMA and above
# SATURATION of its brightest channel: JPEG noise on black print stays below ~35.
CHROMA = 40
CHROMA_DARK = 70
DARK = 90
SATURATION = 0.3
EDGE_CHROMA = 32
EDGE_GREY = 100
# Lighter than this is paper (and the last pale trace of removed ink).
PAPER = 200
# Skew: angles tried (degrees), on a copy at most SKEW_WIDTH pixels wide; below MIN_SKEW the
# page is left as it is (rotation resamples every pixel and blurs the letters a little).
MAX_SKEW = 4.0
SKEW_STEP = 0.2
SKEW_WIDTH = 600
MIN_SKEW = 0.3
# Speckles: isolated dark pixels per dark pixel above which the page is median-filtered.
SPECKLE_SHARE = 0.08


@dataclass
class Cleaned:
    image: Image.Image  # mode "L"
    ink_removed: float  # share of the page's marks that were coloured ink, 0-1
    skew: float  # degrees the page was turned back
    despeckled: bool
    inked: Image.Image | None = None  # the grey page with its coloured ink, same turn


def drop_colour_ink(image: Image.Image) -> tuple[Image.Image, float]:
    """A grey page with coloured marks (seal, signature, notes) turned to paper; the share of
    the marks that were removed."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
        return image.convert("L"), 0.0
    # Channel maxima and minima in Pillow's C code, then uint8 arrays: a page is 10-30 million
    # pixels, and numpy's max over interleaved channels took 0.9 s of a 4-second page.
    red, green, blue = image.convert("RGB").split()
    top = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    bottom = ImageChops.darker(ImageChops.darker(red, green), blue)
    high = np.asarray(top)
    chroma = np.asarray(ImageChops.subtract(top, bottom))
    grey = np.asarray(image.convert("L"))  # ITU-R 601 luma
    # Dark pixels need more colour: print under a seal is black tinted red.
    coloured = (chroma > np.where(grey < DARK, CHROMA_DARK, CHROMA)) & (
        chroma > (SATURATION * high).astype(np.uint8)
    )
    # The paler rim of a seal's or a pen's strokes (JPEG spreads the colour thin there).
    coloured |= (chroma > EDGE_CHROMA) & (grey > EDGE_GREY)
    marks = int((grey < 160).sum()) or 1
    removed = int((coloured & (grey < 200)).sum())
    grey = np.where(coloured | (grey >= PAPER), np.uint8(255), grey).astype(np.uint8)
    return Image.fromarray(grey, "L"), removed / marks


def skew_angle(grey: Image.Image) -> float:
    """The page's skew in degrees (counter-clockwise positive): the rotation that makes the
    rows of text sharpest, i.e. the variance of dark pixels per row largest."""
    scale = min(1.0, SKEW_WIDTH / max(grey.width, 1))
    small = grey.resize((max(1, int(grey.width * scale)), max(1, int(grey.height * scale))))
    dark = Image.fromarray(((np.asarray(small) < 140) * 255).astype(np.uint8), "L")
    best, best_score = 0.0, -1.0
    steps = int(MAX_SKEW / SKEW_STEP)
    for k in range(-steps, steps + 1):
        angle = k * SKEW_STEP
        rows = np.asarray(dark.rotate(angle, resample=Image.NEAREST), dtype=np.float32).sum(axis=1)
        score = float(np.var(np.diff(rows)))
        if score > best_score:
            best, best_score = angle, score
    return best


def speckled(grey: Image.Image) -> bool:
    """Many dark pixels with no dark neighbour (scanner dust, salt-and-pepper noise)."""
    dark = np.asarray(grey) < 128
    darks = int(dark.sum())
    if not darks:
        return False
    mask = Image.fromarray(dark.astype(np.uint8) * 255, "L")
    around = mask.filter(ImageFilter.Kernel((3, 3), [1, 1, 1, 1, 0, 1, 1, 1, 1], scale=8))
    isolated = int((dark & (np.asarray(around) == 0)).sum())
    return isolated / darks > SPECKLE_SHARE


def clean_page(image: Image.Image, keep_inked: bool = True) -> Cleaned:
    """The page ready for Tesseract: grey, coloured ink removed, deskewed, despeckled.
    `keep_inked`: when ink was removed, `Cleaned.inked` is the grey page with it, turned the
    same way (a number written by hand in blue is read from there)."""
    grey, removed = drop_colour_ink(image)
    inked = image.convert("L") if keep_inked and removed else None
    noisy = speckled(grey)
    if noisy:
        grey = grey.filter(ImageFilter.MedianFilter(3))
    angle = skew_angle(grey)
    if abs(angle) >= MIN_SKEW:
        grey = grey.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        if inked is not None:
            inked = inked.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    else:
        angle = 0.0
    return Cleaned(grey, removed, angle, noisy, inked)
