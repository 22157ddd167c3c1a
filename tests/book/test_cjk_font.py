"""The site's CJK subset font covers every CJK character the book uses (no empty boxes without a CJK font).

Fast: reads the sources and the committed font, builds nothing. When it fails, run
``python tools/cjk_font.py`` (needs Debian's fonts-noto-cjk) and commit book/_static/fonts/.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import cjk_font  # noqa: E402


def test_subset_font_covers_every_cjk_character_of_the_book():
    used = cjk_font.used_characters()
    assert used, "no CJK character found in book/*.md: did the sources move? (tools/cjk_font.py: sources)"
    have = cjk_font.subset_characters()
    missing = {ch: files for ch, files in used.items() if ch not in have}
    assert not missing, (
        "the CJK subset font lacks characters the book uses; run `python tools/cjk_font.py` and commit "
        "book/_static/fonts/:\n" + "\n".join(f"  {ch} (U+{ord(ch):04X}) in {', '.join(f)}"
                                             for ch, f in sorted(missing.items())))


def test_subset_font_is_small_and_licensed():
    font = cjk_font.SUBSET
    size = font.stat().st_size
    assert size < 150 * 1024, f"{font.name} is {size / 1024:.0f} KB (aim: < 150 KB)"
    license_text = (font.parent / "LICENSE-OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in license_text


def test_stylesheet_declares_the_font_for_cjk_only():
    css = (ROOT / "book" / "_static" / "cjk.css").read_text()
    assert f"url(\"fonts/{cjk_font.SUBSET.name}\")" in css
    declared = re.search(r"unicode-range:\s*([^;]+);", css).group(1)
    ranges = {tuple(int(x, 16) for x in r.strip().removeprefix("U+").split("-")) for r in declared.split(",")}
    assert ranges == set(cjk_font.CJK_RANGES), "cjk.css's unicode-range differs from CJK_RANGES (tools/cjk_font.py)"
    assert '"GDH CJK"' in css.split("--pst-font-family-base:", 1)[1].split(";", 1)[0]
