"""The one zip layout a bundle may have (issue 6, items 2 and 6).

A bundle is a plain zip that Windows Explorer and any unzip tool can list, but its bytes are
fully determined by its members: every member is *stored* (the data files are ciphertext, which
does not compress; the manifest and 说明.txt are small), in a fixed order, with a fixed time stamp
(1980-01-01 00:00), no extra fields, no comments, no data descriptors and the UTF-8 name flag set
exactly for non-ASCII names. The reader parses the zip with :mod:`zipfile`, then rebuilds these
bytes from the members it read and insists on equality, so that a changed byte in a header, the
central directory or the end record is refused just like a changed byte in the data, which the
signed manifest covers.

The layout is part of bundle format 1; a later format may change it only with a new format number.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
END_RECORD = struct.Struct("<IHHHHIIH")
LOCAL_SIGNATURE = 0x04034B50
CENTRAL_SIGNATURE = 0x02014B50
END_SIGNATURE = 0x06054B50
VERSION = 20  # 2.0: what the UTF-8 flag needs; "made by" MS-DOS, so no Unix permission bits
UTF8_FLAG = 0x0800
STORED = 0
DOS_TIME = 0
DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
MAX_MEMBERS = 0xFFFF - 1
MAX_OFFSET = 0xFFFFFFFF - 1  # no ZIP64: the size limits keep bundles far below 4 GiB


def build(members: Sequence[tuple[str, bytes]]) -> bytes:
    """The zip bytes of ``members`` (name, data), in the given order."""
    if len(members) > MAX_MEMBERS:
        raise ValueError("too many members for a bundle zip")
    out = bytearray()
    central = bytearray()
    for name, data in members:
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else UTF8_FLAG
        crc = zlib.crc32(data)
        offset = len(out)
        if offset > MAX_OFFSET or len(data) > MAX_OFFSET:
            raise ValueError("bundle zip too large")
        out += LOCAL_HEADER.pack(LOCAL_SIGNATURE, VERSION, flags, STORED, DOS_TIME, DOS_DATE, crc,
                                 len(data), len(data), len(encoded), 0)
        out += encoded
        out += data
        central += CENTRAL_HEADER.pack(CENTRAL_SIGNATURE, VERSION, VERSION, flags, STORED, DOS_TIME, DOS_DATE,
                                       crc, len(data), len(data), len(encoded), 0, 0, 0, 0, 0, offset)
        central += encoded
    if len(out) > MAX_OFFSET:
        raise ValueError("bundle zip too large")
    out += central
    out += END_RECORD.pack(END_SIGNATURE, 0, 0, len(members), len(members), len(central), len(out) - len(central), 0)
    return bytes(out)
