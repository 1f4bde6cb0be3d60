"""The login dialog (issue 10 item 5): at start when accounts exist, and File → Switch account."""

from .dialog import LoginDialog, login_if_required

__all__ = ["LoginDialog", "login_if_required"]
