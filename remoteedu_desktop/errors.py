"""The one error type that services raise for bad input.

Every refusal carries a clear Chinese message that names the field (and, for
files, where: file, sheet, row, column) and the reason, plus the domain rule
it enforces where there is one (R1…R14 of DOMAIN.md).
"""

from __future__ import annotations


class ValidationError(ValueError):
    """Bad input refused by a service; nothing has been written."""

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None,
                 where: str | None = None) -> None:
        self.message = message
        self.field = field
        self.rule = rule
        self.where = where
        super().__init__(self.text())

    def text(self) -> str:
        """The full Chinese message shown to the clerk."""
        parts = []
        if self.where:
            parts.append(f"{self.where}：")
        if self.field:
            parts.append(f"【{self.field}】")
        parts.append(self.message)
        if self.rule:
            parts.append(f"（规则 {self.rule}）")
        return "".join(parts)


class ConcurrentEditError(ValidationError):
    """Another clerk (or another window) changed the same data first; nothing of this change was written.

    Raised when a row's version no longer matches the one that was read (the row versions of every
    travelling row, issue 10 item 1), or when the database server gave up waiting for a lock.
    """


class DatabaseError(RuntimeError):
    """The database file cannot be used (damaged, too new, not ours)."""
