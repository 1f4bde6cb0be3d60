"""Sync bundles: the files that carry a township's changes to its county and the county's back on a
USB stick (issue 6). No Qt and no database in this package's format layer: pure functions over
bytes, keys and files, used by the export/import services and the CLI.

- :mod:`.bundle_format`: write, read and inspect a bundle (format, checks, limits);
- :mod:`.crypto`: content key, AES-256-GCM, X25519 key wrapping, Ed25519 signatures;
- :mod:`.zip_layout`: the one canonical zip layout of a bundle;
- :mod:`.safe_write`: temp file, fsync, rename, read back, verify.
"""

from __future__ import annotations

from .bundle_format import (
    DEFAULT_LIMITS,
    FORMAT,
    MIN_READER_FORMAT,
    UPGRADE,
    BundleError,
    BundleHeader,
    BundleInfo,
    Limits,
    Manifest,
    OfficeRef,
    OpenedBundle,
    TableCounts,
    WrittenBundle,
    bundle_file_name,
    count_rows,
    default_readme,
    inspect_bundle,
    looks_like_bundle_name,
    read_bundle,
    write_bundle,
)

__all__ = [
    "DEFAULT_LIMITS", "FORMAT", "MIN_READER_FORMAT", "UPGRADE", "BundleError", "BundleHeader", "BundleInfo",
    "Limits", "Manifest", "OfficeRef", "OpenedBundle", "TableCounts", "WrittenBundle", "bundle_file_name",
    "count_rows", "default_readme", "inspect_bundle", "looks_like_bundle_name", "read_bundle", "write_bundle",
]
