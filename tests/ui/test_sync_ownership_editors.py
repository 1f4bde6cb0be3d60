"""Issue 6, item 3 in the editors: at a county that exchanges bundles with a township, the township's people and
sites open read-only and name the owner; the county's own fields of the township stay editable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import OrgUnit, Person
from remoteedu_desktop.services import offices, people
from remoteedu_desktop.services import sync_enrolment as se
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.sites.editor import SiteEditorDialog
from remoteedu_desktop.ui.staff.person_editor import PersonEditorDialog

COUNTY, TOWNSHIP = "360499", "360499100"


@pytest.fixture
def county(tmp_path: Path, chinese: None) -> Iterator[tuple[AppContext, dict[str, str]]]:
    db = open_database(f"sqlite:///{tmp_path / 'county.sqlite3'}", account="county_clerk")
    with db.session() as s:
        offices.init_office(s, level="county", code=COUNTY, name="青山县")
        se.add_township_office(s, TOWNSHIP, "龙潭镇")  # a sync peer from now on
        township = s.scalar(select(OrgUnit).where(OrgUnit.code == TOWNSHIP))
        assert township is not None
        site = OrgUnit(kind="village", code=f"{TOWNSHIP}201", name="石门村", parent_id=township.id)
        s.add(site)
        first17 = f"{COUNTY}19800517011"
        person = people.add_person(s, people.PersonInput(name="张三", id_number=first17 + check_digit(first17)),
                                   today=dt.date(2026, 6, 30))
        s.flush()
        s.get(Person, person.id).origin = TOWNSHIP  # type: ignore[union-attr]  # as an up bundle brings it
        ids = {"person": person.id, "site": site.id, "township": township.id}
    yield AppContext(db), ids
    db.dispose()


def test_a_township_person_opens_read_only_naming_the_owner(qtbot: QtBot, county: tuple[AppContext, dict[str, str]],
                                                            tmp_path: Path) -> None:
    ctx, ids = county
    dialog = PersonEditorDialog(ctx, ids["person"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.owner_label.isVisibleTo(dialog) and "龙潭镇远程办（360499100）" in dialog.owner_label.text()
    assert dialog.name_edit.isReadOnly() and not dialog.ethnicity_combo.isEnabled()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert not dialog.assign_button.isEnabled() and not dialog.import_photo_button.isEnabled()
    assert dialog.grab().save(str(tmp_path / "person_read_only.png"))


def test_a_township_site_is_read_only_and_the_township_row_half(qtbot: QtBot,
                                                                county: tuple[AppContext, dict[str, str]]) -> None:
    ctx, ids = county
    site = SiteEditorDialog(ctx, ids["site"])
    qtbot.addWidget(site)
    assert "龙潭镇" in site.owner_label.text() and site.name_edit.isReadOnly() and site.address_edit.isReadOnly()
    assert not site.save_button.isEnabled()
    township = SiteEditorDialog(ctx, ids["township"])
    qtbot.addWidget(township)
    assert not township.name_edit.isReadOnly(), "the township's name is the county's"
    assert township.address_edit.isReadOnly() and township.save_button.isEnabled()
