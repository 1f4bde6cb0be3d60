"""The registry of the main window's pages: one entry per area, in navigation order.

Each entry has a key, an English title (translated when shown) and a factory
``factory(ctx) -> QWidget``. Pages written in their own subpackage are
imported lazily, so a page still being built elsewhere falls back to a
placeholder instead of breaking the window; only an import failure does that,
any other error in a page is a bug and propagates.

A page may expose ``refresh()`` (reload its data) and
``select_unit(unit_id: str | None)`` (the org tree's selection changed).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from .context import AppContext
from .overview_page import OverviewPage
from .placeholder import PlaceholderPage

log = logging.getLogger(__name__)
PageFactory = Callable[[AppContext], QWidget]
_CONTEXT = "Pages"


def translate(source: str) -> str:
    return QCoreApplication.translate(_CONTEXT, source)


class PageUnavailable(Exception):
    """Raised by a factory whose page is not in this build; the window shows a placeholder instead."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class PageSpec:
    key: str
    source_title: str  # English, marked for lupdate with QT_TRANSLATE_NOOP("Pages", …)
    factory: PageFactory
    source_description: str = ""  # what the page holds; shown on its placeholder

    @property
    def title(self) -> str:
        return translate(self.source_title)

    @property
    def description(self) -> str:
        return translate(self.source_description) if self.source_description else ""

    def create(self, ctx: AppContext) -> QWidget:
        try:
            return self.factory(ctx)
        except PageUnavailable as exc:
            return PlaceholderPage(self.title, self.description, exc.detail)


def _missing_module(exc: ImportError, module: str) -> bool:
    """True when *module* itself (or a package above it) does not exist, rather than failing inside."""
    name = getattr(exc, "name", None)
    return isinstance(exc, ModuleNotFoundError) and bool(name) and (module == name or module.startswith(f"{name}."))


def lazy_page(module: str, class_name: str) -> PageFactory:
    """A factory importing ``module.class_name`` on first use; unavailable if it cannot be imported."""

    def factory(ctx: AppContext) -> QWidget:
        try:
            page_class = getattr(importlib.import_module(module), class_name)
        except ImportError as exc:
            if _missing_module(exc, module):
                raise PageUnavailable() from exc
            log.warning("page %s.%s failed to import", module, class_name, exc_info=True)
            raise PageUnavailable(QCoreApplication.translate(
                "Pages", "Page module {0} could not be loaded: {1}").format(module, exc)) from exc
        page: QWidget = page_class(ctx)
        return page

    return factory


def later(ctx: AppContext) -> QWidget:
    """The factory of a page that comes in a later step."""
    raise PageUnavailable()


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", QT_TRANSLATE_NOOP("Pages", "Overview"), lambda ctx: OverviewPage(ctx)),
    PageSpec("sites", QT_TRANSLATE_NOOP("Pages", "Sites"),
             lazy_page("remoteedu_desktop.ui.sites.page", "SitesPage"),
             QT_TRANSLATE_NOOP("Pages", "Townships and their sites: codes, addresses, contacts, post A/B managers.")),
    PageSpec("staff", QT_TRANSLATE_NOOP("Pages", "Staff archives"),
             lazy_page("remoteedu_desktop.ui.staff_list.page", "StaffPage"),
             QT_TRANSLATE_NOOP("Pages", "Archives of the managers, tutors and technicians (R10).")),
    PageSpec("training", QT_TRANSLATE_NOOP("Pages", "Training"),
             lazy_page("remoteedu_desktop.ui.training.page", "TrainingPage"),
             QT_TRANSLATE_NOOP("Pages", "Training plans, sessions, attendance, hours and assessment results (R6–R8).")),
    PageSpec("certificates", QT_TRANSLATE_NOOP("Pages", "Certificates"),
             lazy_page("remoteedu_desktop.ui.certificates.page", "CertificatesPage"),
             QT_TRANSLATE_NOOP("Pages", "On-duty and appointment certificates: numbering, register, reprint, "
                                        "revoke and renew (R11).")),
    PageSpec("activities", QT_TRANSLATE_NOOP("Pages", "Activities & equipment"),
             lazy_page("remoteedu_desktop.ui.activities.page", "ActivitiesPage"),
             QT_TRANSLATE_NOOP("Pages", "Teaching activities and service channels of the sites, equipment and "
                                        "fault repairs (R9, R13).")),
    PageSpec("evaluation", QT_TRANSLATE_NOOP("Pages", "Yearly evaluation"),
             lazy_page("remoteedu_desktop.ui.evaluation.page", "EvaluationPage"),
             QT_TRANSLATE_NOOP("Pages", "Quantified yearly evaluation and award campaigns (R14).")),
    PageSpec("sync", QT_TRANSLATE_NOOP("Pages", "Sync"),
             lazy_page("remoteedu_desktop.ui.sync.page", "SyncPage"),
             QT_TRANSLATE_NOOP("Pages", "Exchanging data between the townships and the county office on a USB stick.")),
    PageSpec("reports", QT_TRANSLATE_NOOP("Pages", "Reports"),
             lazy_page("remoteedu_desktop.ui.reports.page", "ReportsPage"),
             QT_TRANSLATE_NOOP("Pages", "Statistical tables and printed forms.")),
)


def page_spec(key: str) -> PageSpec:
    for spec in PAGES:
        if spec.key == key:
            return spec
    raise KeyError(key)
