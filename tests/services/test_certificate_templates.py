"""Certificate templates (R11): built-ins on first use, versions on save, one default per kind, scans."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import certificate_templates as templates
from remoteedu_desktop.services.certificate_layout import Layout, default_layout
from remoteedu_desktop.services.offices import OfficeInfo


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), (240, 230, 200)).save(buf, "PNG")
    return buf.getvalue()


def test_first_default_creates_the_built_ins(db: Database, office: OfficeInfo) -> None:
    with db.session() as s:
        on_duty = templates.default_template(s, "on_duty")
        assert on_duty.name == "默认上岗证书（A4横向普通纸）"
        assert (on_duty.stock, on_duty.version, on_duty.is_default) == ("plain", 1, True)
        assert on_duty.layout == default_layout("on_duty", "plain")
        kinds = [(t.kind, t.stock, t.is_default) for t in templates.list_templates(s)]
        assert kinds == [("on_duty", "plain", True), ("on_duty", "preprinted", False)]
        appointment = templates.default_template(s, "appointment")
        assert appointment.name == "默认聘任证书（A4横向普通纸）"
        assert appointment.layout.element("body").text.startswith("兹聘请 {name} 同志为")
    with db.session() as s:  # committed, and not created twice
        assert templates.default_template(s, "on_duty").id == on_duty.id
        assert len(templates.list_templates(s)) == 4
        booklet = [t for t in templates.list_templates(s, "appointment") if t.stock == "preprinted"]
        assert len(booklet) == 1 and booklet[0].layout.fields_only


def test_save_bumps_the_version_and_keeps_the_kind(db: Database, office: OfficeInfo) -> None:
    with db.session() as s:
        base = templates.default_template(s, "on_duty")
        moved = base.layout.moved("name", x_mm=30.5, font_size=16)
        saved = templates.save_template(s, moved, name=base.name, template_id=base.id)
        assert (saved.id, saved.version) == (base.id, 2)
        assert saved.layout.element("name").x_mm == 30.5
        again = templates.save_template(s, moved, name=base.name, template_id=base.id)
        assert again.version == 2  # nothing changed, no new version
        copy = templates.save_template(s, moved, name="龙潭镇上岗证书")
        assert copy.id != base.id and copy.version == 1 and not copy.is_default
        with pytest.raises(ValidationError) as exc:
            templates.save_template(s, default_layout("appointment"), name="x", template_id=base.id)
        assert exc.value.field == "模板类别"
        with pytest.raises(ValidationError) as exc:
            templates.save_template(s, moved, name="龙潭镇上岗证书", template_id=base.id)
        assert "同名" in exc.value.message
        with pytest.raises(ValidationError) as exc:
            templates.save_template(s, moved, name="  ")
        assert exc.value.field == "模板名称"
    with db.session() as s:
        assert templates.template(s, base.id).version == 2


def test_save_validates_the_layout(db: Database, office: OfficeInfo) -> None:
    with db.session() as s:
        base = templates.default_template(s, "appointment")
        off_page = base.layout.moved("name", x_mm=290)
        with pytest.raises(ValidationError) as exc:
            templates.save_template(s, off_page, name=base.name, template_id=base.id)
        assert exc.value.field == "位置" and "name" in exc.value.message
        unknown = base.layout.moved("body", text="{nickname}")
        with pytest.raises(ValidationError) as exc:
            templates.save_template(s, unknown, name="新模板")
        assert exc.value.field == "字段"
        assert templates.template(s, base.id).version == 1
        assert len(templates.list_templates(s, "appointment")) == 2


def test_one_default_per_kind(db: Database, office: OfficeInfo) -> None:
    with db.session() as s:
        plain = templates.default_template(s, "on_duty")
        templates.default_template(s, "appointment")
        booklet = next(t for t in templates.list_templates(s, "on_duty") if t.stock == "preprinted")
        templates.set_default(s, booklet.id)
    with db.session() as s:
        assert templates.default_template(s, "on_duty").id == booklet.id
        flags = {t.id: t.is_default for t in templates.list_templates(s, "on_duty")}
        assert flags == {plain.id: False, booklet.id: True}
        assert templates.default_template(s, "appointment").stock == "plain"  # the other kind untouched
        with pytest.raises(ValidationError):
            templates.set_default(s, "no-such-id")
        with pytest.raises(ValidationError) as exc:
            templates.default_template(s, "diploma")
        assert exc.value.rule == "R11"


def test_scan_is_kept_by_hash_and_removable(db: Database, office: OfficeInfo,
                                            state: Callable[[], dict[str, int]]) -> None:
    png = _png()
    with db.session() as s:
        t = templates.default_template(s, "on_duty")
        assert templates.scan(s, t.id) is None
        templates.set_scan(s, t.id, png)
    with db.session() as s:
        assert templates.scan(s, t.id) == png
        other = templates.list_templates(s, "on_duty")[1]
        templates.set_scan(s, other.id, png)  # the same picture is stored once
    before = state()
    assert before["certificate_asset"] == 1
    with db.session() as s, pytest.raises(ValidationError) as exc:
        templates.set_scan(s, t.id, b"GIF89a not a scan")
    assert exc.value.field == "扫描底图" and "JPEG" in exc.value.message
    assert state() == before
    with db.session() as s:
        templates.set_scan(s, t.id, None)
    with db.session() as s:
        assert templates.scan(s, t.id) is None
        assert templates.scan(s, other.id) == png


def test_stored_layout_round_trips(db: Database, office: OfficeInfo) -> None:
    layout = default_layout("on_duty", "preprinted").moved("unit", w_mm=60.25, align="center")
    with db.session() as s:
        saved = templates.save_template(s, layout, name="预印本（县统一印制）")
    with db.session() as s:
        back = templates.template(s, saved.id).layout
    assert back == layout
    assert Layout.from_json(back.to_json()) == layout
