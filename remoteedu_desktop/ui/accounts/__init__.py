"""Accounts (issue 10 item 5): File → Accounts… (managers), Change my password…, Switch account…, status bar."""

from .dialogs import AccountsDialog, NewAccountDialog, PasswordDialog, RoleDialog
from .menu import AccountControls

__all__ = ["AccountControls", "AccountsDialog", "NewAccountDialog", "PasswordDialog", "RoleDialog"]
