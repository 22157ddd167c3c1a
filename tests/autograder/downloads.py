"""LMS downloads as the tests need them: zips whose members carry given times, and members that cannot be
read (a flipped byte: the CRC check fails)."""

import os
import zipfile

from autograder import cli

EXAMPLES = os.path.join(cli.HERE, "examples", "search")


def notebook(student: str) -> bytes:
    """An example submission of search (``correct``, ``blank``, ``sign-error``, ...)."""
    with open(os.path.join(EXAMPLES, f"{student}_search.ipynb"), "rb") as handle:
        return handle.read()


def write_zip(path, members, unreadable=()) -> str:
    """``members``: (name, bytes) or (name, bytes, (Y, M, D, h, m, s)); the members named in ``unreadable``
    get a byte flipped in their stored data."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data, *when in members:
            info = zipfile.ZipInfo(name, date_time=when[0] if when else (2026, 1, 1, 0, 0, 0))
            archive.writestr(info, data)
    raw = bytearray(open(path, "rb").read())
    with zipfile.ZipFile(path) as archive:
        for name in unreadable:
            info = archive.getinfo(name)
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            raw[start + info.compress_size // 2] ^= 0xFF
    with open(path, "wb") as handle:
        handle.write(bytes(raw))
    return str(path)
