"""Regenerate the book's CJK subset font (book/_static/fonts/) from the characters the book uses.

    apt-get install -y fonts-noto-cjk      # Debian/Ubuntu: Noto Sans CJK (SIL Open Font License 1.1)
    python tools/cjk_font.py [--font PATH]

The chapters and the glossary quote the lectures' Chinese terms (穷举法, 梯度下降, 动量, ...). A reader
without a CJK font (many Linux machines, headless browsers) would see empty boxes, so the site ships a
subset of Noto Sans CJK SC holding exactly the CJK characters of book/*.md and _toc.yml (a few dozen KB
instead of 16 MB). book/_static/cjk.css declares it with a ``unicode-range``, so the browser fetches it
only for pages with CJK text and uses it only for those characters (a local Noto Sans CJK SC wins).

tests/book/test_cjk_font.py fails when a page uses a CJK character the subset lacks: run this script
again and commit book/_static/fonts/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "book" / "_static" / "fonts"
SUBSET = FONTS / "NotoSansCJKsc-subset.woff"
FAMILY = "Noto Sans CJK SC"
SYSTEM_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf")
# The Unicode blocks treated as CJK (the same list as the unicode-range in book/_static/cjk.css):
# radicals, CJK symbols and punctuation, kana, ..., unified ideographs (extension A and the main block),
# compatibility ideographs, and the full-width forms (，：（）).
CJK_RANGES = ((0x2E80, 0x303F), (0x3040, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in CJK_RANGES)


def sources(root: Path = ROOT) -> list[Path]:
    """The files whose text the site shows: every page source of book/ and the toc (sidebar titles)."""
    return sorted((root / "book").glob("*.md")) + [root / "_toc.yml", root / "_config.yml"]


def used_characters(root: Path = ROOT) -> dict[str, list[str]]:
    """Each CJK character the book uses, with the files that use it."""
    found: dict[str, list[str]] = {}
    for path in sources(root):
        for ch in sorted(set(path.read_text(encoding="utf-8"))):
            if is_cjk(ch):
                found.setdefault(ch, []).append(str(path.relative_to(root)))
    return found


def subset_characters(path: Path = SUBSET) -> set[str]:
    """The characters the committed subset font can draw."""
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        return {chr(c) for c in font.getBestCmap()}


def find_source_font(explicit: str | None) -> tuple[str, int]:
    """The path of Noto Sans CJK SC (a .otf, or the font number inside a .ttc collection)."""
    from fontTools.ttLib import TTCollection, TTFont

    candidates = [explicit] if explicit else list(SYSTEM_FONTS)
    for cand in candidates:
        if not cand or not Path(cand).is_file():
            continue
        if cand.endswith(".ttc"):
            collection = TTCollection(cand)
            for i, font in enumerate(collection.fonts):
                if font["name"].getDebugName(1) == FAMILY:
                    return cand, i
        elif TTFont(cand)["name"].getDebugName(1) == FAMILY:
            return cand, 0
    sys.exit(f"{FAMILY} not found in {', '.join(c for c in candidates if c)}: "
             "run `apt-get install -y fonts-noto-cjk` or pass --font")


def build(font_path: str, number: int, chars: set[str], out: Path = SUBSET) -> int:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"  # zlib; every browser reads it, no extra dependency (woff2 needs brotli)
    options.hinting = False  # the outlines are CFF; hints only matter on old Windows rasterizers
    options.desubroutinize = True  # compresses better
    options.name_IDs = ["*"]  # keep the copyright, license and URL records
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(font_path, fontNumber=number, lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff"
    font.save(out)
    return out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--font", help=f"a {FAMILY} .otf or a Noto Sans CJK .ttc (default: Debian's)")
    args = ap.parse_args(argv)
    chars = set(used_characters())
    font_path, number = find_source_font(args.font)
    size = build(font_path, number, chars)
    missing = chars - subset_characters()
    print(f"{SUBSET.relative_to(ROOT)}: {len(chars)} characters, {size / 1024:.1f} KB "
          f"(from {font_path}#{number})")
    if missing:
        print(f"the font has no glyph for: {''.join(sorted(missing))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
