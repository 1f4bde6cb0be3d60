"""The overview's small charts (QtCharts): activities and training hours per month, open faults by age.

Each chart is a :class:`QChartView` of a fixed, modest height with one bar series, no legend and no
animation, in the application font, so three fit side by side on a 1366×768 screen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QWidget

CHART_HEIGHT = 210


def month_label(month: int) -> str:
    """A month on a chart axis: its number only (twelve "3月" do not fit; the title says "per month")."""
    return str(month)


def _nice_max(value: float) -> float:
    """A round upper end for the value axis at or a little above *value*: 4, 5, 10, 20, 50, 100…"""
    if value <= 4:
        return 4.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 4, 5, 10):
        if magnitude * factor >= value:
            return float(magnitude * factor)
    return float(magnitude * 10)


def _tick_count(top: float) -> int:
    """Ticks that fall on whole numbers: 0–4, 0–40, 0–20 in quarters; 0–10, 0–50 in fifths."""
    leading = int(f"{top:e}"[0])
    return 6 if leading in (1, 5) else 5


class BarChart(QChartView):
    """One bar series over text categories; :meth:`set_data` replaces the bars. *horizontal* bars keep
    long category labels (the fault age buckets) readable."""

    def __init__(self, title: str, color: str, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self._title = title
        self._color = QColor(color)
        self.categories: list[str] = []
        self.values: list[float] = []
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().hide()
        chart.setMargins(QMargins(0, 2, 2, 0))
        chart.setBackgroundRoundness(6)
        chart.setBackgroundBrush(QColor("#f9fbfd"))
        font = QFont(QApplication.font())
        title_font = QFont(font)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.setTitle(title)
        self._font = font
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFixedHeight(CHART_HEIGHT)
        self.setMinimumWidth(260)

    def title(self) -> str:
        return self.chart().title()

    def set_title(self, title: str) -> None:
        self.chart().setTitle(title)

    def set_data(self, categories: Sequence[str], values: Sequence[float]) -> None:
        self.categories = list(categories)
        self.values = [float(v) for v in values]
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        bars = QBarSet("")
        bars.setColor(self._color)
        bars.setBorderColor(self._color)
        # horizontal bars are drawn bottom-up: feed them reversed so the first category is on top
        order = list(reversed(range(len(self.values)))) if self.horizontal else list(range(len(self.values)))
        bars.append([self.values[i] for i in order])
        series: QAbstractBarSeries = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bars)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        label_font = QFont(self._font)
        label_font.setPointSizeF(max(label_font.pointSizeF() * 0.8, 7.0))
        x_axis = QBarCategoryAxis()
        x_axis.append([self.categories[i] for i in order])
        x_axis.setLabelsFont(label_font)
        x_axis.setGridLineVisible(False)
        y_axis = QValueAxis()
        top = max(self.values, default=0.0)
        y_axis.setRange(0, _nice_max(top))
        y_axis.setTickCount(_tick_count(_nice_max(top)))
        y_axis.setLabelFormat("%.0f")
        y_axis.setLabelsFont(label_font)
        y_axis.setGridLineColor(QColor("#e3e8ef"))
        category_side, value_side = Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft
        if self.horizontal:
            category_side, value_side = value_side, category_side
        chart.addAxis(x_axis, category_side)
        chart.addAxis(y_axis, value_side)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        self.setToolTip("\n".join(f"{c}：{_number(v)}" for c, v in zip(self.categories, self.values, strict=True)))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
