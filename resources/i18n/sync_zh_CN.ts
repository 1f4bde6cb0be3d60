<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AcceptKeyDialog</name>
    <message>
        <source>Accept township key</source>
        <translation>确认乡镇密钥</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Fingerprint read over the phone</source>
        <translation>电话中对方读出的指纹</translation>
    </message>
    <message>
        <source>Phone the township office and ask them to read the fingerprint shown on their Sync page. Type it here; do not copy it from the bundle.</source>
        <translation>请给乡镇远程办打电话，请对方读出其“同步”页上显示的指纹，在此输入；不要从数据包中复制。</translation>
    </message>
    <message>
        <source>Accept key</source>
        <translation>确认密钥</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AddTownshipDialog</name>
    <message>
        <source>Add township and write enrolment file</source>
        <translation>添加乡镇并生成登记文件</translation>
    </message>
    <message>
        <source>9 digits, e.g. 360499100</source>
        <translation>9 位数字，如 360499100</translation>
    </message>
    <message>
        <source>USB stick or another folder</source>
        <translation>U 盘或其他文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Township code</source>
        <translation>乡镇代码</translation>
    </message>
    <message>
        <source>Township name</source>
        <translation>乡镇名称</translation>
    </message>
    <message>
        <source>Save the file in</source>
        <translation>文件保存到</translation>
    </message>
    <message>
        <source>The enrolment file holds only the county&apos;s public keys; give it to the township office and tell them this county&apos;s fingerprint over the phone.</source>
        <translation>登记文件只含本县的公钥；请交给乡镇远程办，并电话告知本县的指纹。</translation>
    </message>
    <message>
        <source>Add and write file</source>
        <translation>添加并生成文件</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Folder for the enrolment file</source>
        <translation>登记文件的保存位置</translation>
    </message>
    <message>
        <source>Choose the folder to save the enrolment file in.</source>
        <translation>请选择登记文件的保存位置。</translation>
    </message>
    <message>
        <source>The folder does not exist: {0}</source>
        <translation>文件夹不存在：{0}</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Value kept</source>
        <translation>保留的值</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Now in the database</source>
        <translation>本机现值</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>另一值</translation>
    </message>
    <message>
        <source>Sync conflicts</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <source>When both offices changed the same data, the owner&apos;s value was kept and the other one is listed here. Nothing was lost: compare the two values and settle each conflict.</source>
        <translation>双方都修改了同一数据时，保留了数据所有方的值，另一值列在这里，没有丢失：请对照两个值，逐条处理。</translation>
    </message>
    <message>
        <source>Show settled conflicts too</source>
        <translation>同时显示已处理的冲突</translation>
    </message>
    <message>
        <source>Keep the value in the database</source>
        <translation>保留本机现值</translation>
    </message>
    <message>
        <source>Take the other value</source>
        <translation>改用另一值</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>this office&apos;s</source>
        <translation>本单位的</translation>
    </message>
    <message>
        <source>the other office&apos;s</source>
        <translation>对方的</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>No conflict waiting.</source>
        <translation>没有待处理的冲突。</translation>
    </message>
    <message>
        <source>This office owns this record: its value was kept. You may take the other office&apos;s value instead; it then travels in the next bundle.</source>
        <translation>此记录由本单位维护，已保留本机的值。也可以改用对方的值，改后随下一个数据包发出。</translation>
    </message>
    <message>
        <source>This record is maintained by {0}: its value was kept. To change it, ask {0}.</source>
        <translation>此记录由{0}维护，已保留其值。如需修改，请联系{0}。</translation>
    </message>
    <message>
        <source>Only the owner ({0}) can change this record</source>
        <translation>只有所有方（{0}）能修改此记录</translation>
    </message>
    <message>
        <source>Settled: {0}</source>
        <translation>已处理：{0}</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <source>Import preview</source>
        <translation>导入预览</translation>
    </message>
    <message>
        <source>{0} bundles: {1} ready to import, {2} already imported, {3} refused. Nothing has been written yet.</source>
        <translation>共 {0} 个数据包：可导入 {1}，已导入过 {2}，拒收 {3}。尚未写入任何数据。</translation>
    </message>
    <message>
        <source>Every bundle here was imported before; importing again changes nothing.</source>
        <translation>这些数据包都已导入过，再次导入不会有任何改动。</translation>
    </message>
    <message>
        <source>Refused bundles are not imported; when you press Import they are kept in quarantine and recorded.</source>
        <translation>拒收的数据包不会导入；点“导入”后，它们会被隔离保存并记录在案。</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Per record:</source>
        <translation>逐条记录：</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <source>Save report as .txt…</source>
        <translation>保存报告为 .txt…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save import report</source>
        <translation>保存导入报告</translation>
    </message>
    <message>
        <source>Report saved: {0}</source>
        <translation>报告已保存：{0}</translation>
    </message>
</context>
<context>
    <name>ReportTable</name>
    <message>
        <source>Bundle</source>
        <translation>数据包</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>无变化</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>Already imported on {0}</source>
        <translation>已于 {0} 导入</translation>
    </message>
    <message>
        <source>Ready to import</source>
        <translation>可导入</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>No records (only the acknowledgement and keys)</source>
        <translation>没有记录（只含确认信息和密钥）</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>Text files (*.txt)</source>
        <extracomment>(parent, title, name filter) → the chosen file, or None when cancelled. (parent, title) → the chosen folder, or None when cancelled. (parent, title, suggested file name) → the chosen path, or None when cancelled.</extracomment>
        <translation>文本文件 (*.txt)</translation>
    </message>
    <message>
        <source>The file {0} could not be read or written: {1}</source>
        <translation>无法读写文件 {0}：{1}</translation>
    </message>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>Last sent</source>
        <translation>已发送序号</translation>
    </message>
    <message>
        <source>Last received</source>
        <translation>已接收序号</translation>
    </message>
    <message>
        <source>Last bundle</source>
        <translation>最近数据包</translation>
    </message>
    <message>
        <source>This office</source>
        <extracomment>Areas other pages listen to; an import can change all of them. Called with each dialog right after it is made (tests set the report dialog&apos;s save hook). the running export, preview or import (kept while it runs) sync conflicts waiting (item 7)</extracomment>
        <translation>本机单位</translation>
    </message>
    <message>
        <source>Read this string when checking over the phone</source>
        <translation>电话核对时请读这一串</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>指纹：</translation>
    </message>
    <message>
        <source>Offices this office exchanges data with</source>
        <translation>交换数据的对方单位</translation>
    </message>
    <message>
        <source>Township office</source>
        <translation>乡镇远程办</translation>
    </message>
    <message>
        <source>Install enrolment file…</source>
        <translation>安装登记文件…</translation>
    </message>
    <message>
        <source>Export to USB stick…</source>
        <translation>导出到 U 盘…</translation>
    </message>
    <message>
        <source>Send everything again</source>
        <translation>全部重新发送</translation>
    </message>
    <message>
        <source>Send every record of this office again, not only what the county has not confirmed yet (when the county asks for it).</source>
        <translation>把本机的全部记录重新发送一遍，而不只是县里尚未确认的更改（县里要求时使用）。</translation>
    </message>
    <message>
        <source>Import bundle from the county…</source>
        <translation>导入县里下发的数据包…</translation>
    </message>
    <message>
        <source>County office</source>
        <translation>县远程办</translation>
    </message>
    <message>
        <source>Add township and write enrolment file…</source>
        <translation>添加乡镇并生成登记文件…</translation>
    </message>
    <message>
        <source>Accept township key…</source>
        <translation>确认乡镇密钥…</translation>
    </message>
    <message>
        <source>Import bundle or folder…</source>
        <translation>导入数据包或文件夹…</translation>
    </message>
    <message>
        <source>One bundle file…</source>
        <translation>一个数据包文件…</translation>
    </message>
    <message>
        <source>Every bundle in a folder…</source>
        <translation>文件夹中的全部数据包…</translation>
    </message>
    <message>
        <source>Export to townships…</source>
        <translation>导出下发数据包…</translation>
    </message>
    <message>
        <source>Send every county record concerning each township again, not only what it has not confirmed yet.</source>
        <translation>把与各乡镇有关的县级记录全部重新发送，而不只是对方尚未确认的更改。</translation>
    </message>
    <message>
        <source>Settle conflicts…</source>
        <translation>处理冲突…</translation>
    </message>
    <message>
        <source>Sync conflicts waiting: {0}</source>
        <translation>待处理的同步冲突：{0} 条</translation>
    </message>
    <message>
        <source>No sync conflict waiting.</source>
        <translation>没有待处理的同步冲突。</translation>
    </message>
    <message>
        <source>{0} (code {1}), {2} office</source>
        <translation>{0}（代码 {1}），{2}远程办</translation>
    </message>
    <message>
        <source>This computer is not set up yet. At a township, install the enrolment file from the county.</source>
        <translation>本机尚未设置单位。乡镇请安装县里发来的登记文件。</translation>
    </message>
    <message>
        <source>Full fingerprint: {0}</source>
        <translation>完整指纹：{0}</translation>
    </message>
    <message>
        <source>No township yet: add one with &quot;Add township and write enrolment file…&quot;.</source>
        <translation>尚无乡镇：请用“添加乡镇并生成登记文件…”添加。</translation>
    </message>
    <message>
        <source>No county yet: install the enrolment file the county gave you.</source>
        <translation>尚未登记县远程办：请安装县里发来的登记文件。</translation>
    </message>
    <message>
        <source>Enrolment file from the county</source>
        <translation>县里发来的登记文件</translation>
    </message>
    <message>
        <source>Enrolment files (*.json)</source>
        <translation>登记文件 (*.json)</translation>
    </message>
    <message>
        <source>This enrolment file was installed before; nothing changed.</source>
        <translation>此登记文件已安装过，未作改动。</translation>
    </message>
    <message>
        <source>Installed the enrolment file of {0} ({1}).</source>
        <translation>已安装{0}（{1}）的登记文件。</translation>
    </message>
    <message>
        <source>Check the county&apos;s fingerprint with the county office by phone; it must be {0}. If it differs, do not import anything from the county and call them.</source>
        <translation>请与县远程办电话核对县指纹，应为 {0}。如不一致，请勿导入县里发来的数据包，并联系县远程办。</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <translation>{0}{1}</translation>
    </message>
    <message>
        <source>USB stick or folder for the bundle</source>
        <translation>数据包的保存位置（U 盘或文件夹）</translation>
    </message>
    <message>
        <source>Writing and verifying the bundle…</source>
        <translation>正在写入并核对数据包…</translation>
    </message>
    <message>
        <source>Export to USB stick</source>
        <translation>导出到 U 盘</translation>
    </message>
    <message>
        <source>Bundle no. {0}: {1}.</source>
        <translation>第 {0} 号数据包：{1}。</translation>
    </message>
    <message>
        <source>Bundle no. {0}: no new changes (only this office&apos;s public key).</source>
        <translation>第 {0} 号数据包：没有新的更改（只含本机公钥）。</translation>
    </message>
    <message>
        <source>The bundle is written and verified; you may remove the USB stick: {0}</source>
        <translation>数据包已写好并核对无误，可以拔出 U 盘：{0}</translation>
    </message>
    <message>
        <source>Enrolment file for {0} ({1}) written: {2}
Give it to the township office and tell them this county&apos;s fingerprint by phone: {3}</source>
        <translation>已写入{0}（{1}）的登记文件：{2}
请把此文件交给乡镇远程办，并电话告知本县指纹：{3}</translation>
    </message>
    <message>
        <source>Accepted the key of {0} ({1}), fingerprint {2}. Its bundles can be imported now.</source>
        <translation>已确认{0}（{1}）的密钥，指纹 {2}。现在可以导入它的数据包了。</translation>
    </message>
    <message>
        <source>Bundle from a township</source>
        <translation>乡镇上报的数据包</translation>
    </message>
    <message>
        <source>Bundle from the county</source>
        <translation>县里下发的数据包</translation>
    </message>
    <message>
        <source>Bundles (*.zip)</source>
        <translation>数据包 (*.zip)</translation>
    </message>
    <message>
        <source>Folder with the townships&apos; bundles</source>
        <translation>存放乡镇数据包的文件夹</translation>
    </message>
    <message>
        <source>File or folder not found: {0}</source>
        <translation>找不到文件或文件夹：{0}</translation>
    </message>
    <message>
        <source>There is no bundle (.zip) in the folder {0}</source>
        <translation>文件夹中没有数据包（.zip）：{0}</translation>
    </message>
    <message>
        <source>Checking {0}…</source>
        <translation>正在检查 {0}…</translation>
    </message>
    <message>
        <source>Phone the township to check the fingerprint, accept the key with &quot;Accept township key…&quot;, then import again.</source>
        <translation>请电话与乡镇核对指纹，用“确认乡镇密钥…”确认后再导入。</translation>
    </message>
    <message>
        <source>Import preview</source>
        <translation>导入预览</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was written.</source>
        <translation>已取消导入，未写入任何数据。</translation>
    </message>
    <message>
        <source>Importing {0}…</source>
        <translation>正在导入 {0}…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import stopped: the bundles imported before stay imported, the rest were not imported. Import the folder again to finish (bundles already imported are skipped).</source>
        <translation>导入已停止：已导入的数据包保留，其余未导入。再次导入该文件夹即可完成（已导入过的会自动跳过）。</translation>
    </message>
    <message>
        <source>{0} bundles imported, {1} already imported before, {2} refused.</source>
        <translation>{0} 个数据包已导入，{1} 个已导入过，{2} 个拒收。</translation>
    </message>
    <message>
        <source>Down bundles for the townships will come in a later version.</source>
        <translation>下发数据包将在后续版本提供。</translation>
    </message>
    <message>
        <source>USB stick or folder for the townships&apos; bundles</source>
        <translation>下发数据包的保存位置（U 盘或文件夹）</translation>
    </message>
    <message>
        <source>Writing and verifying the bundles…</source>
        <translation>正在写入并核对数据包…</translation>
    </message>
    <message>
        <source>The bundles are written and verified; you may remove the USB stick:</source>
        <translation>数据包已写好并核对无误，可以拔出 U 盘：</translation>
    </message>
    <message>
        <source>No bundle was written: no township&apos;s key is accepted yet.</source>
        <translation>未生成数据包：尚无已确认密钥的乡镇。</translation>
    </message>
    <message>
        <source>Townships whose key is not accepted yet get no bundle: {0}</source>
        <translation>以下乡镇的密钥尚未确认，未生成数据包：{0}</translation>
    </message>
    <message>
        <source>Export to townships</source>
        <translation>导出下发数据包</translation>
    </message>
</context>
</TS>
