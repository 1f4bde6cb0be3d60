"""Which sites a tutor's or technician's post serves (R4, R5, R9).

A township tutor or technician serves sites of its own township; a county tutor or technician may
serve any site of the county. Links live in ``post_served_site``, a travelling table: a removed link
is a tombstone (``deleted=True``) and adding it back revives the same row (the pair is unique).
Every change goes through the ORM, so the audit log and the sync stamps apply. No Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import OrgUnit, Post, PostServedSite
from ..errors import ValidationError
from .posts import get_open_post

#: Roles whose posts serve sites, and the rule each comes from.
SERVING_ROLES: dict[str, str] = {"county_tutor": "R4", "township_tutor": "R4", "technician": "R5"}
FIELD = "服务站点"
_KIND_ORDER = {"township_station": 0, "village": 1, "enterprise": 2}


@dataclass(frozen=True)
class ServedSitesChange:
    """What :func:`set_served_sites` changed: names of the sites added and removed."""

    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class SiteChoice:
    """A site offered in the served-sites dialog."""

    id: str
    name: str
    code: str | None
    kind: str
    kind_label: str
    township_id: str
    township_name: str
    active: bool
    checked: bool

    @property
    def display(self) -> str:
        code = f"（{self.code}）" if self.code else ""
        return f"{self.name}{code}"


def _serving_post(session: Session, post_id: str) -> Post:
    post = get_open_post(session, post_id)
    if post.role not in SERVING_ROLES:
        raise ValidationError(
            f"只有辅导员和技术员岗位服务站点，该岗位是{codes.label(codes.ROLE, post.role)}", field="岗位", rule="R4")
    return post


def _links(session: Session, post_id: str) -> dict[str, PostServedSite]:
    """Every link of the post, tombstoned or not, by site id."""
    return {link.site_id: link for link in session.scalars(
        select(PostServedSite).where(PostServedSite.post_id == post_id))}


def _scope(session: Session, post: Post) -> tuple[dict[str, OrgUnit], list[OrgUnit]]:
    """The townships a post may serve (by id) and every site under them (active or not)."""
    unit = post.unit
    if unit.kind == "county":
        townships = list(session.scalars(select(OrgUnit).where(
            OrgUnit.parent_id == unit.id, OrgUnit.kind == "township", OrgUnit.deleted.is_(False))))
    else:
        townships = [unit]
    by_id = {t.id: t for t in townships}
    sites = list(session.scalars(select(OrgUnit).where(
        OrgUnit.parent_id.in_(by_id), OrgUnit.kind.in_(codes.SITE_KINDS), OrgUnit.deleted.is_(False))))
    return by_id, sites


def served_sites(session: Session, post_id: str) -> list[str]:
    """Ids of the sites the post serves now (tombstoned links left out)."""
    return list(session.scalars(select(PostServedSite.site_id).where(
        PostServedSite.post_id == post_id, PostServedSite.deleted.is_(False)).order_by(PostServedSite.site_id)))


def _check_site(session: Session, post: Post, site_id: str, townships: dict[str, OrgUnit]) -> OrgUnit:
    rule = SERVING_ROLES[post.role]
    site = session.get(OrgUnit, site_id)
    if site is None or site.deleted:
        raise ValidationError("找不到该站点", field=FIELD, rule=rule)
    if site.kind not in codes.SITE_KINDS:
        raise ValidationError(f"“{site.name}”是{codes.label(codes.UNIT_KIND, site.kind)}，不是站点",
                              field=FIELD, rule=rule)
    if not site.active:
        raise ValidationError(f"“{site.name}”已停用，不能再服务", field=FIELD, rule=rule)
    if site.parent_id not in townships:
        parent = session.get(OrgUnit, site.parent_id) if site.parent_id else None
        where = parent.name if parent is not None else ""
        if post.unit.kind == "county":
            message = f"“{where}{site.name}”不属于{post.unit.name}"
        else:
            message = f"“{where}{site.name}”不属于{post.unit.name}，乡镇岗位只能服务本乡镇的站点"
        raise ValidationError(message, field=FIELD, rule=rule)
    return site


def set_served_sites(session: Session, post_id: str, site_ids: Iterable[str]) -> ServedSitesChange:
    """Make the post serve exactly *site_ids*: add (or revive) the new links, tombstone the dropped ones.

    Only open posts of tutors and technicians serve sites (R4, R5). A site being added must be an
    active site in the post's scope; a link kept as it was is not checked again (a site deactivated
    since stays until the clerk removes it).
    """
    post = _serving_post(session, post_id)
    wanted = list(dict.fromkeys(s for s in site_ids if s))
    links = _links(session, post.id)
    current = {site_id for site_id, link in links.items() if not link.deleted}
    townships, _ = _scope(session, post)
    new_sites = [_check_site(session, post, site_id, townships) for site_id in wanted if site_id not in current]
    added: list[str] = []
    for site in new_sites:
        link = links.get(site.id)
        if link is None:
            session.add(PostServedSite(post_id=post.id, site_id=site.id))
        else:
            link.deleted = False
        added.append(site.name)
    removed: list[str] = []
    keep = set(wanted)
    for site_id in sorted(current - keep):
        links[site_id].deleted = True
        site = session.get(OrgUnit, site_id)
        removed.append(site.name if site is not None else site_id)
    session.flush()
    return ServedSitesChange(tuple(added), tuple(removed))


def candidate_sites(session: Session, post_id: str) -> list[SiteChoice]:
    """The sites the post may serve (active sites in its scope), checked where it serves them now.

    A site it serves that has been deactivated since is listed too (checked), so it can be removed.
    """
    post = _serving_post(session, post_id)
    townships, sites = _scope(session, post)
    current = set(served_sites(session, post.id))
    rows = []
    for site in sites:
        if not site.active and site.id not in current:
            continue
        township = townships[site.parent_id or ""]
        choice = SiteChoice(site.id, site.name, site.code, site.kind, codes.label(codes.UNIT_KIND, site.kind),
                            township.id, township.name, site.active, site.id in current)
        rows.append(((township.sort_order, township.code or "", township.name), _KIND_ORDER.get(site.kind, 9),
                     site.sort_order, site.code or "", site.name, choice))
    rows.sort(key=lambda r: r[:-1])
    return [r[-1] for r in rows]
