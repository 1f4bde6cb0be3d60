"""The main window. Step 1: a plain window with the office, counts and database location;
step 2 builds navigation and pages on it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

LEVEL_TEXT = {"county": "县远程办", "township": "乡镇远程办"}


@dataclass(frozen=True)
class WindowState:
    """What the window shows, handed in as plain data (no live ORM objects)."""

    office_level: str | None
    office_code: str
    office_name: str
    database: str
    units: int
    people: int
    open_posts: int
    warnings: list[str]


class MainWindow(QMainWindow):
    def __init__(self, state: WindowState) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("远程教育骨干队伍管理"))
        self.resize(960, 640)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(32, 32, 32, 32)

        self.title_label = QLabel(self.tr("远程教育骨干队伍管理"), central)
        font = self.title_label.font()
        font.setPointSize(font.pointSize() + 8)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)

        if state.office_level:
            office = f"{LEVEL_TEXT.get(state.office_level, '')}：{state.office_name}（{state.office_code}）"
        else:
            office = self.tr("本机尚未设置单位（命令行：remoteedu init …）")
        self.office_label = QLabel(office, central)
        layout.addWidget(self.office_label)

        self.counts_label = QLabel(
            self.tr("单位 {0} 个 · 人员 {1} 人 · 在岗岗位 {2} 个").format(state.units, state.people, state.open_posts),
            central)
        layout.addWidget(self.counts_label)

        if state.warnings:
            text = self.tr("规则提醒 {0} 条：").format(len(state.warnings)) + "\n" + "\n".join(state.warnings[:12])
        else:
            text = self.tr("规则检查：无问题")
        self.warnings_label = QLabel(text, central)
        self.warnings_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.warnings_label.setWordWrap(True)
        layout.addWidget(self.warnings_label, 1)
        self.setCentralWidget(central)

        office_status = (f"{LEVEL_TEXT.get(state.office_level or '', '')} {state.office_code} {state.office_name}"
                         if state.office_level else self.tr("未设置单位"))
        self.statusBar().addWidget(QLabel(office_status))
        self.statusBar().addPermanentWidget(QLabel(self.tr("数据库：{0}").format(state.database)))

        menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        quit_action = menu.addAction(self.tr("退出(&X)"))
        quit_action.triggered.connect(self.close)
