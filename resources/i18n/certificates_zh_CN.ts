<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CertificateDetailDialog</name>
    <message>
        <source>Certificate {0}</source>
        <extracomment>The frozen values in the order a clerk reads a certificate; anything else follows.</extracomment>
        <translation>证书 {0}</translation>
    </message>
    <message>
        <source>Printed content, frozen at issue</source>
        <translation>证书内容（发证时固定）</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Term starts</source>
        <translation>聘期开始</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>SHA-256 of the PDF</source>
        <translation>PDF 的 SHA-256</translation>
    </message>
    <message>
        <source>Print log</source>
        <translation>打印记录</translation>
    </message>
    <message>
        <source>Printed at</source>
        <translation>打印时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Printer or file</source>
        <translation>打印机或文件</translation>
    </message>
    <message>
        <source>Not printed yet.</source>
        <translation>尚未打印。</translation>
    </message>
    <message>
        <source>Trail: replaced and replacing certificates</source>
        <translation>换发记录：被替换及替换的证书</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>Term / valid until</source>
        <translation>聘期 / 有效期至</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation>预览…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Certificates</name>
    <message>
        <source>The file could not be written: {0}</source>
        <extracomment>(parent, title, suggested file name) → the chosen path, or None when cancelled. (parent) → a QPrinter set up by the clerk, or None when cancelled.</extracomment>
        <translation>无法写入文件：{0}</translation>
    </message>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Print certificates</source>
        <translation>打印证书</translation>
    </message>
    <message>
        <source>default printer</source>
        <translation>默认打印机</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>发证资格</translation>
    </message>
    <message>
        <source>Passed training</source>
        <translation>已通过的培训</translation>
    </message>
    <message>
        <source>Current certificate</source>
        <translation>现持证书</translation>
    </message>
    <message>
        <source>until {0}</source>
        <extracomment>the row&apos;s id (certificate id, person id) the frozen row itself what a proxy sorts by</extracomment>
        <translation>至 {0}</translation>
    </message>
    <message>
        <source>no end</source>
        <translation>长期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>证书类别</translation>
    </message>
    <message>
        <source>Number it will get</source>
        <translation>将得到的编号</translation>
    </message>
    <message>
        <source>Term / valid until</source>
        <translation>聘期 / 有效期至</translation>
    </message>
    <message>
        <source>Printing is not available in this version ({0}).</source>
        <extracomment>(text, is_error)</extracomment>
        <translation>此版本暂不提供打印（{0}）。</translation>
    </message>
    <message>
        <source>Preparing the PDF…</source>
        <translation>正在生成 PDF…</translation>
    </message>
    <message>
        <source>Save certificates as PDF</source>
        <translation>证书另存为 PDF</translation>
    </message>
    <message>
        <source>{0} certificates saved to {1}</source>
        <translation>已将 {0} 本证书保存到 {1}</translation>
    </message>
    <message>
        <source>{0} certificates sent to {1}.</source>
        <translation>已将 {0} 本证书发送到 {1}。</translation>
    </message>
    <message>
        <source>Nothing was printed. {0}</source>
        <translation>未打印任何内容。{0}</translation>
    </message>
    <message>
        <source>Cancelled: nothing was printed or logged.</source>
        <translation>已取消：未打印，也未记录。</translation>
    </message>
    <message>
        <source>replaces {0}</source>
        <translation>替换 {0}</translation>
    </message>
    <message>
        <source>replaced by {0}</source>
        <translation>已由 {0} 替换</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Replaces / replaced by</source>
        <translation>替换 / 被替换</translation>
    </message>
    <message>
        <source>Prints</source>
        <translation>打印次数</translation>
    </message>
</context>
<context>
    <name>CertificatesPage</name>
    <message>
        <source>Eligibility</source>
        <translation>发证资格</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>证书登记簿</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>证书模板</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>打印机校准</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>证书设置</translation>
    </message>
    <message>
        <source>This function is not available in this version.</source>
        <translation>此版本暂不提供该功能。</translation>
    </message>
</context>
<context>
    <name>EligibilityView</name>
    <message>
        <source>All certificates</source>
        <extracomment>tests fix the day</extracomment>
        <translation>全部证书</translation>
    </message>
    <message>
        <source>On-duty (managers)</source>
        <translation>上岗证书（站点管理员）</translation>
    </message>
    <message>
        <source>Appointment (tutors, technicians)</source>
        <translation>聘任证书（辅导员、技术员）</translation>
    </message>
    <message>
        <source>Only eligible</source>
        <translation>只看符合条件的</translation>
    </message>
    <message>
        <source>Issue to selected…</source>
        <translation>为选中人员发证…</translation>
    </message>
    <message>
        <source>Issue to all eligible…</source>
        <translation>为全部符合条件者发证…</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>{0} eligible of {1}</source>
        <translation>{1} 人中 {0} 人符合发证条件</translation>
    </message>
    <message>
        <source>None of the selected people is eligible: see the reasons in the table.</source>
        <translation>选中的人员都不符合发证条件，原因见表格。</translation>
    </message>
    <message>
        <source>Nobody here is eligible now.</source>
        <translation>目前这里没有人符合发证条件。</translation>
    </message>
    <message>
        <source>{0} certificates issued.</source>
        <translation>已发放 {0} 本证书。</translation>
    </message>
    <message>
        <source> {0} selected people were not eligible and got none.</source>
        <translation> 选中人员中有 {0} 人不符合条件，未发证。</translation>
    </message>
    <message>
        <source>{0} certificates were issued. Preview and print them now?</source>
        <translation>已发放 {0} 本证书。现在预览并打印吗？</translation>
    </message>
    <message>
        <source>Certificates issued</source>
        <translation>证书已发放</translation>
    </message>
    <message>
        <source>The new certificates</source>
        <translation>新发的证书</translation>
    </message>
</context>
<context>
    <name>IssueDialog</name>
    <message>
        <source>Issue certificates</source>
        <translation>发放证书</translation>
    </message>
    <message>
        <source> years</source>
        <translation> 年</translation>
    </message>
    <message>
        <source>Appointment term</source>
        <translation>聘期</translation>
    </message>
    <message>
        <source>Issue date</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>Numbers are given in this order when you press Issue; each certificate&apos;s content is frozen at issue (a later change to the person or the template does not alter it).</source>
        <translation>按“发证”后按此顺序编号；每本证书的内容在发证时固定（以后修改人员信息或模板都不会改变它）。</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>发证</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{0} certificates will be issued: {1} on-duty, {2} appointment.</source>
        <translation>将发放 {0} 本证书：上岗证书 {1} 本，聘任证书 {2} 本。</translation>
    </message>
    <message>
        <source>Nothing was issued. {0}</source>
        <translation>未发放任何证书。{0}</translation>
    </message>
    <message>
        <source>Cancelled: nothing was issued.</source>
        <translation>已取消：未发放任何证书。</translation>
    </message>
    <message>
        <source>Issuing certificates</source>
        <translation>正在发放证书</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Certificates.pdf</source>
        <translation>证书.pdf</translation>
    </message>
    <message>
        <source>Certificate preview</source>
        <translation>证书预览</translation>
    </message>
    <message>
        <source>Fit page</source>
        <translation>整页</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No certificate selected.</source>
        <translation>未选择证书。</translation>
    </message>
    <message>
        <source>The certificate cannot be shown. {0}</source>
        <translation>无法显示证书。{0}</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Preparing the preview</source>
        <translation>正在准备预览</translation>
    </message>
    <message>
        <source>The PDF could not be read ({0}).</source>
        <translation>无法读取该 PDF（{0}）。</translation>
    </message>
    <message>
        <source>{0} certificates, {1} pages</source>
        <translation>{0} 本证书，共 {1} 页</translation>
    </message>
    <message>
        <source>Save certificates as PDF</source>
        <translation>证书另存为 PDF</translation>
    </message>
</context>
<context>
    <name>RegisterView</name>
    <message>
        <source>Search number, name or initials</source>
        <extracomment>tests fix the day</extracomment>
        <translation>搜索编号、姓名或拼音首字母</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All years</source>
        <translation>全部年份</translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation>预览…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>吊销…</translation>
    </message>
    <message>
        <source>Reissue…</source>
        <translation>补发/换发…</translation>
    </message>
    <message>
        <source>Renew…</source>
        <translation>续聘…</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Verify code…</source>
        <translation>验证证书…</translation>
    </message>
    <message>
        <source>补发 — the holder lost it…</source>
        <translation>补发 — 证书遗失…</translation>
    </message>
    <message>
        <source>换发 — damaged, or its content changed…</source>
        <translation>换发 — 证书损坏或内容变更…</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>证书类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>{0} certificates</source>
        <translation>共 {0} 本证书</translation>
    </message>
    <message>
        <source>Only appointment certificates have a term to renew.</source>
        <translation>只有聘任证书有聘期，可以续聘。</translation>
    </message>
    <message>
        <source>Save certificates as PDF</source>
        <translation>证书另存为 PDF</translation>
    </message>
    <message>
        <source>Certificates ({0}).pdf</source>
        <translation>证书（{0} 本）.pdf</translation>
    </message>
    <message>
        <source>Certificate register {0}.xlsx</source>
        <translation>证书登记簿 {0}.xlsx</translation>
    </message>
    <message>
        <source>Export the register</source>
        <translation>导出证书登记簿</translation>
    </message>
    <message>
        <source>{0} certificates exported to {1}</source>
        <translation>已将 {0} 本证书导出到 {1}</translation>
    </message>
    <message>
        <source>Nothing was exported. {0}</source>
        <translation>未导出任何内容。{0}</translation>
    </message>
</context>
<context>
    <name>ReissueDialog</name>
    <message>
        <source>Reissue certificate</source>
        <translation>补发或换发证书</translation>
    </message>
    <message>
        <source>补发 — the holder lost it</source>
        <translation>补发 — 证书遗失</translation>
    </message>
    <message>
        <source>换发 — damaged, or its content changed</source>
        <translation>换发 — 证书损坏或内容变更</translation>
    </message>
    <message>
        <source>Required, e.g. 证书遗失 or 单位更名</source>
        <translation>必填，例如：证书遗失、单位更名</translation>
    </message>
    <message>
        <source>Kind of reissue</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>New issue date</source>
        <translation>新证发证日期</translation>
    </message>
    <message>
        <source>The old certificate {0} keeps its number on record and is marked as replaced; a new certificate with a new number is issued and linked to it.</source>
        <translation>旧证 {0} 的编号保留在登记簿中并标记为已换发；新发一本证书，使用新的编号，并与旧证关联。</translation>
    </message>
    <message>
        <source>The old certificate {0} will be marked as replaced; the new certificate gets number {1}.</source>
        <translation>旧证 {0} 将标记为已换发，新证编号 {1}。</translation>
    </message>
    <message>
        <source>Certificate {0} replaced by {1}.</source>
        <translation>证书 {0} 已由 {1} 替换。</translation>
    </message>
</context>
<context>
    <name>RenewDialog</name>
    <message>
        <source>Renew appointment</source>
        <translation>续聘</translation>
    </message>
    <message>
        <source> years</source>
        <translation> 年</translation>
    </message>
    <message>
        <source>New term starts</source>
        <translation>新聘期开始</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>聘期</translation>
    </message>
    <message>
        <source>Issue date</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>The appointment certificate {0} (term until {1}) is replaced by a new one for the new term.</source>
        <translation>聘任证书 {0}（聘期至 {1}）将由新聘期的新证替换。</translation>
    </message>
    <message>
        <source>The appointment certificate {0} will be marked as replaced; the new certificate {1} holds the term {2} – {3}.</source>
        <translation>聘任证书 {0} 将标记为已换发；新证 {1} 的聘期为 {2} 至 {3}。</translation>
    </message>
    <message>
        <source>Appointment renewed: certificate {0}.</source>
        <translation>已续聘：新证 {0}。</translation>
    </message>
</context>
<context>
    <name>RevokeDialog</name>
    <message>
        <source>Revoke certificate</source>
        <translation>吊销证书</translation>
    </message>
    <message>
        <source>Required, e.g. 离岗后拒不交回证书</source>
        <translation>必填，例如：离岗后拒不交回证书</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Revoked on</source>
        <translation>吊销日期</translation>
    </message>
    <message>
        <source>The certificate {0} will be marked as revoked; its number stays in the register and is never given again.</source>
        <translation>证书 {0} 将标记为已吊销；其编号保留在登记簿中，不再使用。</translation>
    </message>
    <message>
        <source>The certificate {0} of {1} will be marked as revoked (reason: {2}).</source>
        <translation>{1}的证书 {0} 将标记为已吊销（原因：{2}）。</translation>
    </message>
    <message>
        <source>Certificate {0} revoked.</source>
        <translation>证书 {0} 已吊销。</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source> years</source>
        <translation> 年</translation>
    </message>
    <message>
        <source>Load seal image…</source>
        <translation>载入公章图片…</translation>
    </message>
    <message>
        <source>Remove seal</source>
        <translation>移除公章</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Placeholders: {county} county code, {year} year of issue, {kind} SG (on-duty) or PR (appointment), {serial:04d} the serial of the kind and year, without gaps. Leave empty for the default. Settings apply to certificates issued from now on; issued certificates keep their number and printed content.</source>
        <translation>可用占位符：{county} 县代码，{year} 发证年份，{kind} 证书类别代码（SG 上岗、PR 聘任），{serial:04d} 该类别该年度的流水号（连续、不跳号）。留空则用默认格式。设置只对今后发出的证书有效；已发证书的编号和打印内容不变。</translation>
    </message>
    <message>
        <source>Number pattern</source>
        <translation>证书编号格式</translation>
    </message>
    <message>
        <source>Appointment term</source>
        <translation>聘期</translation>
    </message>
    <message>
        <source>Issuing office (printed)</source>
        <translation>发证机关（印在证书上）</translation>
    </message>
    <message>
        <source>A PNG with a transparent background prints best. Optional.</source>
        <translation>建议使用透明背景的 PNG 图片。可不设。</translation>
    </message>
    <message>
        <source>Seal</source>
        <translation>公章</translation>
    </message>
    <message>
        <source>For example: {0} (on-duty), {1} (appointment)</source>
        <translation>示例：{0}（上岗证书），{1}（聘任证书）</translation>
    </message>
    <message>
        <source>No seal</source>
        <translation>未设公章</translation>
    </message>
    <message>
        <source>Seal image</source>
        <translation>公章图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>图片 (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Cannot read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <source>{0} is larger than 2 MB.</source>
        <translation>{0} 超过 2 MB。</translation>
    </message>
    <message>
        <source>{0} is not a PNG or JPEG image.</source>
        <translation>{0} 不是 PNG 或 JPEG 图片。</translation>
    </message>
    <message>
        <source>Seal loaded; press Save settings to keep it.</source>
        <translation>已载入公章，点“保存设置”后生效。</translation>
    </message>
    <message>
        <source>Saved. New certificates use these settings; issued ones are unchanged.</source>
        <translation>已保存。今后发出的证书使用这些设置，已发证书不变。</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <source>{0} {1} of {2} ({3}, {4})</source>
        <extracomment>the sentence the clerk confirmed</extracomment>
        <translation>{2}的{0} {1}（{3}，{4}）</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Go ahead?</source>
        <translation>确定执行吗？</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>Verify a certificate</source>
        <translation>验证证书</translation>
    </message>
    <message>
        <source>Type or scan the code printed on the certificate (RE1-…)</source>
        <translation>输入或扫描证书上的验证码（RE1-…）</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>证书类别</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>发证单位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>The check needs no network: the signature is checked against the issuing office&apos;s key, the status against this computer&apos;s register.</source>
        <translation>验证无需联网：签名用发证单位的公钥核对，状态以本机登记簿为准。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cannot check</source>
        <translation>无法验证</translation>
    </message>
    <message>
        <source>✔ Genuine and valid</source>
        <translation>✔ 真实有效</translation>
    </message>
    <message>
        <source>⚠ Genuine, but not valid</source>
        <translation>⚠ 证书真实，但不是有效状态</translation>
    </message>
    <message>
        <source>✘ Verification failed</source>
        <translation>✘ 验证未通过</translation>
    </message>
</context>
</TS>
