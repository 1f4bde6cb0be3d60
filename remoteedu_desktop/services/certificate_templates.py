"""Certificate templates (R11): layouts stored in ``certificate_template``, one default per kind.

A template's layout (every element's position in mm, font size, alignment) is stored as
``Layout.to_json()``. Saving an existing template bumps its version; certificates already issued
are not touched, because each one froze its own copy of the layout in its snapshot (R11: template
changes never alter issued certificates).

The first call of :func:`default_template` for a kind creates the built-in templates of that kind:
the plain-paper A4 landscape one (the default) and the fields-only one for pre-printed booklets.

A scan of the blank pre-printed stock can be kept with a template, for the preview only (it is
never printed): the image goes to the certificate assets by SHA-256 and the template's link to it
to the local setting ``certificates.scan.<template id>``.

CONTRACT (step 4): the signatures below are used by the template editor and the certificate services.
Every function takes the caller's Session; nothing commits here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import AppSetting, CertificateTemplate
from ..errors import ValidationError
from . import certificate_assets
from ._common import clean_text
from .certificate_layout import Layout, default_layout, validate

SCAN_KEY = "certificates.scan.{}"

#: The built-in templates: (stock, name, is_default) per kind.
BUILT_IN: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "on_duty": (("plain", "默认上岗证书（A4横向普通纸）", True),
                ("preprinted", "上岗证书（预印证书内页，只打字段）", False)),
    "appointment": (("plain", "默认聘任证书（A4横向普通纸）", True),
                    ("preprinted", "聘任证书（预印证书内页，只打字段）", False)),
}


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    kind: str  #: "on_duty" | "appointment"
    name: str
    stock: str  #: "plain" | "preprinted"
    version: int  #: 1, bumped by every save
    is_default: bool
    layout: Layout

    @property
    def kind_label(self) -> str:
        return codes.CERTIFICATE_KIND.get(self.kind, self.kind)


def _info(row: CertificateTemplate) -> TemplateInfo:
    return TemplateInfo(id=row.id, kind=row.kind, name=row.name, stock=row.stock, version=row.version,
                        is_default=bool(row.is_default), layout=Layout.from_json(row.layout_json))


def _check_kind(kind: str) -> None:
    if kind not in BUILT_IN:
        raise ValidationError(f"“{kind}”不是证书类别（应为上岗证书或聘任证书）", field="证书类别", rule="R11")


def _row(session: Session, template_id: str) -> CertificateTemplate:
    row = session.get(CertificateTemplate, template_id)
    if row is None or row.deleted:
        raise ValidationError(f"找不到证书模板（{template_id}）", field="证书模板")
    return row


def _live(session: Session, kind: str | None = None) -> list[CertificateTemplate]:
    query = select(CertificateTemplate).where(CertificateTemplate.deleted.is_(False))
    if kind is not None:
        query = query.where(CertificateTemplate.kind == kind)
    return list(session.scalars(query))


def list_templates(session: Session, kind: str | None = None) -> list[TemplateInfo]:
    """Templates of *kind* (all when None): kind, then the default first, then plain before pre-printed, by name."""
    if kind is not None:
        _check_kind(kind)
    rows = _live(session, kind)
    rows.sort(key=lambda r: (r.kind != "on_duty", not r.is_default, r.stock != "plain", r.name, r.id))
    return [_info(r) for r in rows]


def template(session: Session, template_id: str) -> TemplateInfo:
    return _info(_row(session, template_id))


def _create_built_ins(session: Session, kind: str) -> None:
    for stock, name, is_default in BUILT_IN[kind]:
        session.add(CertificateTemplate(kind=kind, name=name, stock=stock,
                                        layout_json=default_layout(kind, stock).to_json(),
                                        version=1, is_default=is_default))
    session.flush()


def default_template(session: Session, kind: str) -> TemplateInfo:
    """The template certificates of *kind* are issued with. The first call for a kind creates the
    built-in ones (plain A4 landscape as the default, and the pre-printed booklet's fields); when
    templates exist but none is the default, the oldest plain one becomes it."""
    _check_kind(kind)
    rows = _live(session, kind)
    if not rows:
        _create_built_ins(session, kind)
        rows = _live(session, kind)
    defaults = [r for r in rows if r.is_default]
    if defaults:
        return _info(min(defaults, key=lambda r: (r.updated_at, r.id)))
    chosen = min(rows, key=lambda r: (r.stock != "plain", r.updated_at, r.id))
    chosen.is_default = True
    session.flush()
    return _info(chosen)


def save_template(session: Session, layout: Layout, *, name: str, template_id: str | None = None) -> TemplateInfo:
    """Create a template from *layout*, or save it over *template_id* (its version + 1).

    The layout is validated first (boxes on the page, known placeholders, font sizes); the kind of
    an existing template cannot change. Issued certificates keep their own frozen layout (R11)."""
    validate(layout)
    clean = clean_text(name, field="模板名称", required=True, max_len=100)
    assert clean is not None
    for other in _live(session, layout.kind):
        if other.name == clean and other.id != template_id:
            raise ValidationError(f"已有同名的{codes.CERTIFICATE_KIND[layout.kind]}模板“{clean}”，请换一个名称",
                                  field="模板名称")
    text = layout.to_json()
    if template_id is None:
        has_default = any(r.is_default for r in _live(session, layout.kind))
        row = CertificateTemplate(kind=layout.kind, name=clean, stock=layout.stock, layout_json=text,
                                  version=1, is_default=not has_default)
        session.add(row)
    else:
        row = _row(session, template_id)
        if row.kind != layout.kind:
            raise ValidationError(f"模板“{row.name}”是{codes.CERTIFICATE_KIND[row.kind]}模板，不能改成"
                                  f"{codes.CERTIFICATE_KIND[layout.kind]}模板；请新建一个模板", field="模板类别")
        if row.layout_json != text or row.name != clean or row.stock != layout.stock:
            row.name = clean
            row.stock = layout.stock
            row.layout_json = text
            row.version = (row.version or 1) + 1
    session.flush()
    return _info(row)


def set_default(session: Session, template_id: str) -> None:
    """Make *template_id* the default of its kind (the one certificates are issued with from now on)."""
    row = _row(session, template_id)
    for other in _live(session, row.kind):
        if other.id != row.id and other.is_default:
            other.is_default = False
    if not row.is_default:
        row.is_default = True
    session.flush()


def scan(session: Session, template_id: str) -> bytes | None:
    """The scan of blank stock kept with the template (JPEG/PNG bytes), or None. Preview only."""
    _row(session, template_id)
    setting = session.get(AppSetting, SCAN_KEY.format(template_id))
    if setting is None:
        return None
    digest = json.loads(setting.value_json).get("sha256")
    return certificate_assets.load(session, digest) if digest else None


def set_scan(session: Session, template_id: str, data: bytes | None) -> None:
    """Keep *data* (a JPEG or PNG scan of the blank stock) as the template's preview background;
    None removes it. The image itself stays in the assets (other templates may share it)."""
    _row(session, template_id)
    key = SCAN_KEY.format(template_id)
    setting = session.get(AppSetting, key)
    if data is None:
        if setting is not None:
            session.delete(setting)
            session.flush()
        return
    if not data:
        raise ValidationError("扫描图片是空文件", field="扫描底图")
    try:
        digest = certificate_assets.store(session, data)
    except ValidationError as exc:
        raise ValidationError(f"扫描底图：{exc.message}", field="扫描底图") from exc
    value = json.dumps({"sha256": digest})
    if setting is None:
        session.add(AppSetting(key=key, value_json=value))
    else:
        setting.value_json = value
    session.flush()
