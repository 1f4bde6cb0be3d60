"""1,000 certificates from the database into one PDF, beside a bare ReportLab canvas loop drawing
the same pages and, where LibreOffice is installed, a mail-merge-like conversion of the same pages.

    python bench/certificates.py                # 1,000 certificates
    python bench/certificates.py --count 50     # quick

Setup, not timed: a fresh SQLite database in a temporary directory with one township office and
COUNT township tutors on open posts (through ``services.bulk``).

Measured:

- issuing to all eligible (``certificate_issue.issue_all_eligible``): COUNT appointment certificates
  numbered, signed, frozen (snapshot + the SHA-256 of each one's own rendered PDF), commit included;
- printing all of them from the register into one PDF (``certificate_print.batch_pdf``: reading the
  snapshots, per-character font fallback, shrink-to-fit, QR codes, embedded fonts);
- comparison: a bare ReportLab canvas loop (``setFont`` + ``drawString``) drawing the same strings at
  the same places and sizes (title, number, name, the body and the verification code cut into the
  same lines — fitted before the timing), the same frames and the same frozen QR matrices, with the
  same embedded font on the same number of pages, from values already in memory;
- where ``soffice`` is on the PATH: ``soffice --headless --convert-to pdf`` of a flat ODT holding the
  same text on the same number of pages (what clerks do today with a Word/WPS mail merge; no QR).

The print and the bare loop are each run 3 times and their medians compared (this 2-core VM's timings
vary by ±30 % from run to run); LibreOffice runs once after a warm-up start that creates its profile.
Before each timed print the renderer's per-text caches (line widths, font runs, character widths) are
emptied: issuing has just fitted the very same texts, which a clerk reprinting a batch in a freshly
started program would not have done, so without this the print would be measured with an advantage.

Goals: printing within 2× the bare loop, and at least 5× faster than LibreOffice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import Row, add_json_option, print_table  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from sqlalchemy import select  # noqa: E402

from remoteedu_desktop.data.database import Database, open_database  # noqa: E402
from remoteedu_desktop.data.models import Certificate  # noqa: E402
from remoteedu_desktop.printing import certificate_render, fonts, qr  # noqa: E402
from remoteedu_desktop.printing.certificate_render import fit_line, fit_paragraph  # noqa: E402
from remoteedu_desktop.printing.fonts import register_fonts  # noqa: E402
from remoteedu_desktop.services import bulk, certificate_issue, certificate_print  # noqa: E402
from remoteedu_desktop.services.certificate_layout import default_layout, fill  # noqa: E402
from remoteedu_desktop.services.id_number import check_digit  # noqa: E402
from remoteedu_desktop.services.offices import init_office  # noqa: E402
from remoteedu_desktop.services.progress import run_to_end  # noqa: E402

TODAY = dt.date(2026, 11, 1)
REPEAT = 3  #: the print and the bare loop are each timed this many times; the median is shown
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉海燕喆堃玥文斌鹏飞宇婷"


def forget_text_caches() -> None:
    """Empty the renderer's per-text caches, as in a freshly started program (see the module docstring)."""
    for cached in (certificate_render._unit_text_width, certificate_render._unit_width, fonts.font_runs):  # noqa: SLF001
        cached.cache_clear()
    getattr(certificate_render, "_UNIT_WIDTHS", {}).clear()  # (the same widths as a dictionary, where there is one)


def build(db: Database, count: int) -> None:
    with db.session() as s:
        office = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
        rows = []
        for i in range(count):
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=(i * 37) % 12000)
            first17 = f"3604{i // 1000 % 100:02d}{birth:%Y%m%d}{i % 1000:03d}"
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[i * 7 % len(GIVEN)] + GIVEN[i * 11 % len(GIVEN)]
            rows.append({"name": name, "id_number": first17 + check_digit(first17)})
        ids = bulk.add_people(s, rows, today=TODAY).ids
        bulk.assign_posts(s, [{"person_id": pid, "unit_id": office.unit_id, "role": "township_tutor",
                               "start_date": dt.date(2024, 1, 1)} for pid in ids])


def prepared(values: list[dict[str, str]]) -> list[list[tuple[str, float, float, float, str]]]:
    """Per page, every string the renderer draws, already placed: (method, x, y, size, text). Done
    before the timing, with the renderer's own fitting, so that the bare loop draws the same lines."""
    layout = default_layout("appointment")
    pages = []
    for v in values:
        strings = []
        for e in layout.printed_elements():
            if e.kind not in ("text", "paragraph"):
                continue
            text = fill(e.text, v)
            x, w, h = e.x_mm * mm, e.w_mm * mm, e.h_mm * mm
            top = (layout.page_h_mm - e.y_mm) * mm
            if e.kind == "text":
                fit = fit_line(text, w, h, e.font_size, e.min_font_size, e.letter_spacing)
                where = {"left": ("drawString", x), "center": ("drawCentredString", x + w / 2),
                         "right": ("drawRightString", x + w)}[e.align]
                strings.append((where[0], where[1], top - h / 2 - 0.38 * fit.size, fit.size, text))
            else:
                par = fit_paragraph(text, w, h, e.font_size, e.min_font_size, e.indent, e.letter_spacing)
                for n, line in enumerate(par.lines):
                    lead = e.indent * par.size if n == 0 else 0.0
                    strings.append(("drawString", x + lead, top - 0.88 * par.size - n * par.leading, par.size, line))
        pages.append(strings)
    return pages


def bare_pages(values: list[dict[str, str]], pages: list[list[tuple[str, float, float, float, str]]]) -> bytes:
    """The same pages with nothing but canvas calls (one font: no fallback needed for these names;
    no shrinking, justification or letter spacing), from strings already placed in memory."""
    font = register_fonts()
    layout = default_layout("appointment")
    h = layout.page_h_mm
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(layout.page_w_mm * mm, h * mm), invariant=True, pageCompression=1)
    for v, strings in zip(values, pages, strict=True):
        canvas.setLineWidth(2.4)
        canvas.rect(10 * mm, 10 * mm, 277 * mm, 190 * mm)
        canvas.setLineWidth(0.8)
        canvas.rect(14 * mm, 14 * mm, 269 * mm, 182 * mm)
        for method, x, y, size, text in strings:
            canvas.setFont(font, size)
            getattr(canvas, method)(x, y, text)
        qr.draw(canvas, qr.QrMatrix.from_text(v["qr"]), 30 * mm, (h - 180) * mm, 26 * mm)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def flat_odt(values: list[dict[str, str]]) -> str:
    """A flat ODT with one page per certificate, like a mail merge's output document."""
    body = default_layout("appointment").element("body").text
    pages = []
    for i, v in enumerate(values):
        title = "Break" if i else "Title"
        pages.append(
            f'<text:p text:style-name="{title}">聘 任 证 书</text:p>'
            f'<text:p text:style-name="Right">编号：{escape(v["number"])}</text:p>'
            f'<text:p text:style-name="Body">{escape(fill(body, v))}</text:p>'
            f'<text:p text:style-name="Right">{escape(v["office"])}</text:p>'
            f'<text:p text:style-name="Right">{escape(v["issue_date"])}</text:p>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="WenKai" svg:font-family="'LXGW WenKai'"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:automatic-styles>
<style:page-layout style:name="PL"><style:page-layout-properties fo:page-width="297mm" fo:page-height="210mm"
 style:print-orientation="landscape" fo:margin="20mm"/></style:page-layout>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>
<style:text-properties style:font-name="WenKai" style:font-name-asian="WenKai" fo:font-size="36pt"
 style:font-size-asian="36pt"/></style:style>
<style:style style:name="Break" style:family="paragraph" style:parent-style-name="Title">
<style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="Right" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/>
<style:text-properties style:font-name="WenKai" style:font-name-asian="WenKai" fo:font-size="14pt"
 style:font-size-asian="14pt"/></style:style>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="36pt"
 fo:line-height="160%"/><style:text-properties style:font-name="WenKai" style:font-name-asian="WenKai"
 fo:font-size="18pt" style:font-size-asian="18pt"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="PL"/></office:master-styles>
<office:body><office:text>{''.join(pages)}</office:text></office:body></office:document>
"""


def libreoffice(values: list[dict[str, str]], work: Path) -> tuple[float, int] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    src = work / "merge.fodt"
    src.write_text(flat_odt(values), encoding="utf-8")
    profile = work / "lo-profile"
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(work), str(src)]
    subprocess.run(cmd, capture_output=True, timeout=600)  # first start creates the profile: not timed
    (work / "merge.pdf").unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, timeout=600, check=True)
    took = time.perf_counter() - start
    pdf = (work / "merge.pdf").read_bytes()
    return took, len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice comparison")
    add_json_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = open_database(f"sqlite:///{work / 'bench.sqlite3'}")
        try:
            build(db, args.count)
            register_fonts()
            start = time.perf_counter()
            with db.session() as s:
                ids = run_to_end(certificate_issue.issue_all_eligible(s, kind="appointment", issue_date=TODAY))
            issue_s = time.perf_counter() - start
            assert len(ids) == args.count, (len(ids), args.count)

            print_times = []
            for _ in range(REPEAT):
                forget_text_caches()
                start = time.perf_counter()
                with db.session() as s:
                    pdf = run_to_end(certificate_print.batch_pdf(s, ids))
                print_times.append(time.perf_counter() - start)
            print_s = statistics.median(print_times)
            with db.session() as s:  # the frozen strings and QR matrices, for the bare loop
                values = []
                for snapshot in s.scalars(select(Certificate.snapshot_json).where(Certificate.id.in_(ids))
                                          .order_by(Certificate.number)):
                    data = json.loads(snapshot)
                    values.append({**data["values"], "qr": data["qr"]})
        finally:
            db.dispose()
        placed = prepared(values)
        bare_times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            bare = bare_pages(values, placed)
            bare_times.append(time.perf_counter() - start)
        bare_s = statistics.median(bare_times)
        lo = None if args.no_libreoffice else libreoffice(values, work)

    n = args.count
    print(f"{n} certificates: our PDF {len(pdf) / 1e6:.1f} MB, bare {len(bare) / 1e6:.1f} MB")
    rows = [
        Row(f"issue {n} (number, sign, freeze, hash)", issue_s, None, "s", "-", None),
        Row(f"print {n} into one PDF vs bare canvas", print_s, bare_s, "s", "≤ 2× bare", print_s <= 2 * bare_s),
    ]
    if lo is None:
        rows.append(Row(f"print {n} vs LibreOffice (not installed or skipped)", print_s, None, "s", "≥ 5× faster", None))
    else:
        lo_s, pages = lo
        print(f"LibreOffice wrote {pages} pages")
        rows.append(Row(f"print {n} vs LibreOffice convert", print_s, lo_s, "s", "≥ 5× faster",
                        print_s * 5 <= lo_s))
    print_table(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
