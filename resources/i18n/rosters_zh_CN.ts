<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PreviewModel</name>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Reason / changes</source>
        <translation>原因 / 变更内容</translation>
    </message>
</context>
<context>
    <name>RosterExportDialog</name>
    <message>
        <source>Export roster</source>
        <translation>导出花名册</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>全部单位</translation>
    </message>
    <message>
        <source>All roles</source>
        <translation>全部职务类别</translation>
    </message>
    <message>
        <source>Unmasked (full ID numbers and phones; logged)</source>
        <translation>不脱敏（完整身份证号码和电话；将记入审计日志）</translation>
    </message>
    <message>
        <source>Choose where to save the .xlsx file</source>
        <translation>选择 .xlsx 文件的保存位置</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Unit:</source>
        <translation>单位：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>职务类别：</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>By default ID numbers and phone numbers are masked (e.g. 360499********1234).</source>
        <translation>默认对身份证号码和联系电话脱敏（如 360499********1234）。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Unmasked export</source>
        <translation>不脱敏导出</translation>
    </message>
    <message>
        <source>The file will contain full ID numbers and phone numbers of every person exported. This export is recorded in the audit log under your account. Keep the file safe. Continue?</source>
        <translation>导出的文件将包含每个人完整的身份证号码和联系电话。本次导出将以您的账户记入审计日志。请妥善保管该文件。是否继续？</translation>
    </message>
    <message>
        <source>Export roster to</source>
        <translation>导出花名册到</translation>
    </message>
    <message>
        <source>Exporting roster</source>
        <translation>正在导出花名册</translation>
    </message>
    <message>
        <source>Exported {0} people to {1}</source>
        <translation>已导出 {0} 人到 {1}</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Nothing was exported. {0}</source>
        <translation>未导出。{0}</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>已取消导出。</translation>
    </message>
</context>
<context>
    <name>RosterImportDialog</name>
    <message>
        <source>Import roster</source>
        <translation>导入花名册</translation>
    </message>
    <message>
        <source>Choose an Excel roster (.xlsx)</source>
        <translation>请选择 Excel 花名册（.xlsx）</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Roster file:</source>
        <translation>花名册文件：</translation>
    </message>
    <message>
        <source>Skip rows with errors (import only the valid rows)</source>
        <translation>跳过错误行（只导入正确的行）</translation>
    </message>
    <message>
        <source>Save row report…</source>
        <translation>保存逐行报告…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Correct the rows with errors, or skip them</source>
        <translation>请改正错误行，或勾选“跳过错误行”</translation>
    </message>
    <message>
        <source>Nothing to import: every row matches the database</source>
        <translation>没有需要导入的数据：每一行都与库中记录一致</translation>
    </message>
    <message>
        <source>Choose a roster to import</source>
        <translation>选择要导入的花名册</translation>
    </message>
    <message>
        <source>Reading {0}…</source>
        <translation>正在读取 {0}…</translation>
    </message>
    <message>
        <source>Checking rows against the database…</source>
        <translation>正在与库中数据逐行核对…</translation>
    </message>
    <message>
        <source>Reading roster</source>
        <translation>正在读取花名册</translation>
    </message>
    <message>
        <source>… and {0} more notes in the row report</source>
        <translation>……另有 {0} 条说明，见逐行报告</translation>
    </message>
    <message>
        <source>No staff rows were found in this file.</source>
        <translation>该文件中没有找到人员行。</translation>
    </message>
    <message>
        <source>{0} rows have errors (red). Correct them in Excel and choose the file again, or tick “skip rows with errors”.</source>
        <translation>有 {0} 行有错误（红色）。请在 Excel 中改正后重新选择文件，或勾选“跳过错误行”。</translation>
    </message>
    <message>
        <source>Save row report</source>
        <translation>保存逐行报告</translation>
    </message>
    <message>
        <source>Row report saved: {0}</source>
        <translation>逐行报告已保存：{0}</translation>
    </message>
    <message>
        <source>Importing roster</source>
        <translation>正在导入花名册</translation>
    </message>
    <message>
        <source>Imported: {0} people added, {1} updated; {2} unchanged, {3} rows skipped.</source>
        <translation>导入完成：新增 {0} 人，更新 {1} 人；无变化 {2} 人，跳过 {3} 行。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Import cancelled: nothing was written.</source>
        <translation>已取消导入：没有写入任何数据。</translation>
    </message>
    <message>
        <source>Nothing was imported. {0}</source>
        <translation>未导入任何数据。{0}</translation>
    </message>
</context>
<context>
    <name>Rosters</name>
    <message>
        <source>The file could not be read or written: {0}</source>
        <translation>无法读写该文件：{0}</translation>
    </message>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
</context>
</TS>
