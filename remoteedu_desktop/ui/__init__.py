"""PySide6 user interface. Talks to services and dataclasses, never imports sqlalchemy."""
