"""What a certificate's status is on a given day (R11): a valid certificate whose validity ended
is expired even before :func:`expire_due` writes it down."""

from __future__ import annotations

import datetime as dt

from ..data.models import Certificate


def current_status(cert: Certificate, today: dt.date) -> str:
    if cert.status == "valid" and cert.valid_until is not None and cert.valid_until < today:
        return "expired"
    return cert.status
