<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ReportsPage</name>
    <message>
        <source>The file could not be written: {0}</source>
        <translation>文件无法写入：{0}</translation>
    </message>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
    <message>
        <source> (year)</source>
        <translation> 年</translation>
    </message>
    <message>
        <source>Select a township or site in the tree on the left to limit the report to it</source>
        <translation>在左侧单位树中选择乡镇或站点，报表只统计该单位</translation>
    </message>
    <message>
        <source>the name printed after 制表人</source>
        <translation>打印在“制表人”后的姓名</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Prepared by</source>
        <translation>制表人</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>Save Excel…</source>
        <translation>保存 Excel…</translation>
    </message>
    <message>
        <source>The whole office</source>
        <translation>本单位全部</translation>
    </message>
    <message>
        <source>The parameters changed: press Preview to see the report for them.</source>
        <translation>参数已更改：请按“预览”查看新的报表。</translation>
    </message>
    <message>
        <source>Gathering the report&apos;s data…</source>
        <translation>正在汇总报表数据…</translation>
    </message>
    <message>
        <source>{0}: {1} rows</source>
        <translation>{0}：共 {1} 行</translation>
    </message>
    <message>
        <source>The report could not be built. {0}</source>
        <translation>报表无法生成。{0}</translation>
    </message>
    <message>
        <source>Building the report</source>
        <translation>正在生成报表</translation>
    </message>
    <message>
        <source>Save the report as PDF</source>
        <translation>将报表保存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Save the report as Excel</source>
        <translation>将报表保存为 Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Writing {0}…</source>
        <translation>正在写入 {0}…</translation>
    </message>
    <message>
        <source>{0} saved to {1}</source>
        <translation>{0}已保存到 {1}</translation>
    </message>
    <message>
        <source>Nothing was written. {0}</source>
        <translation>未写入任何文件。{0}</translation>
    </message>
</context>
</TS>
