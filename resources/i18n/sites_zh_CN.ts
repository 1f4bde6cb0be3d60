<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SiteDetailPanel</name>
    <message>
        <source>Select a site to see its managers, tutors and technicians.</source>
        <translation>选择一个站点，查看其管理员、教学辅导员和技术服务员。</translation>
    </message>
    <message>
        <source>code {0}</source>
        <translation>代码 {0}</translation>
    </message>
    <message>
        <source>no statistical code</source>
        <translation>无统计代码</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Address: {0}</source>
        <translation>地址：{0}</translation>
    </message>
    <message>
        <source>Contact: {0}</source>
        <translation>联系人：{0}</translation>
    </message>
    <message>
        <source>Phone: {0}</source>
        <translation>电话：{0}</translation>
    </message>
    <message>
        <source>✓ No rule warnings.</source>
        <translation>✓ 没有规则提醒。</translation>
    </message>
    <message>
        <source>{0} · since {1}</source>
        <translation>{0} · {1} 起</translation>
    </message>
    <message>
        <source>Township managers (R2: at least 2)</source>
        <translation>乡镇站点管理员（R2：至少 2 人）</translation>
    </message>
    <message>
        <source>Site managers: post A and post B (R3)</source>
        <translation>站点管理员：A岗和B岗（R3）</translation>
    </message>
    <message>
        <source>Site managers</source>
        <translation>站点管理员</translation>
    </message>
    <message>
        <source>vacant</source>
        <translation>空缺</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>任命…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更换…</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>调动…</translation>
    </message>
    <message>
        <source>End…</source>
        <translation>离岗…</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Add manager…</source>
        <translation>新增管理员…</translation>
    </message>
    <message>
        <source>Tutors and technicians of the township</source>
        <translation>本乡镇的教学辅导员、技术服务员</translation>
    </message>
    <message>
        <source>Tutors and technicians serving this site</source>
        <translation>服务本站点的教学辅导员、技术服务员</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Earlier managers ({0} changes in the last 12 months)</source>
        <translation>历任管理员（近 12 个月变动 {0} 次）</translation>
    </message>
    <message>
        <source>{0} – {1}: {2} {3} (reason: {4})</source>
        <translation>{0} 至 {1}：{2} {3}（离岗原因：{4}）</translation>
    </message>
</context>
<context>
    <name>SiteEditorDialog</name>
    <message>
        <source>New site</source>
        <extracomment>Site kinds in the order the clerk meets them (R1). fields another office owns (issue 6, item 3): read-only here, with the owner named</extracomment>
        <translation>新增站点</translation>
    </message>
    <message>
        <source>Edit site</source>
        <translation>编辑站点</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>站点类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>站点名称</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>所属乡镇</translation>
    </message>
    <message>
        <source>Statistical code</source>
        <translation>统计代码</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Read only: {0}</source>
        <translation>只读：{0}</translation>
    </message>
    <message>
        <source>Kind and township of an existing site do not change (R1).</source>
        <translation>已有站点的类型和所属乡镇不能更改（R1）。</translation>
    </message>
    <message>
        <source>{0} digits starting with {1} ({2}); may be left empty.</source>
        <translation>{0} 位数字，以 {1}（{2}）开头；不知道可不填。</translation>
    </message>
    <message>
        <source>{0} digits; may be left empty.</source>
        <translation>{0} 位数字；不知道可不填。</translation>
    </message>
</context>
<context>
    <name>SitesPage</name>
    <message>
        <source>New site…</source>
        <translation>新增站点…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Deactivate…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Swap A/B…</source>
        <translation>A/B岗互换…</translation>
    </message>
    <message>
        <source>Exchange the holders of post A and post B (R3); needs a reason (R12)</source>
        <translation>互换A岗和B岗的人员（R3），须填写原因（R12）</translation>
    </message>
    <message>
        <source>Township overview</source>
        <translation>乡镇概况</translation>
    </message>
    <message>
        <source>Filter by name or code</source>
        <translation>按名称或代码筛选</translation>
    </message>
    <message>
        <source>Show deactivated</source>
        <translation>显示已停用</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>所属乡镇</translation>
    </message>
    <message>
        <source>Post A / managers</source>
        <translation>A岗 / 管理员</translation>
    </message>
    <message>
        <source>Post B</source>
        <translation>B岗</translation>
    </message>
    <message>
        <source>Tutors &amp; technicians</source>
        <translation>辅导员/技术员</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Tutors and technicians serving the site (R4, R5)</source>
        <translation>服务该站点的教学辅导员和技术服务员人数（R4、R5）</translation>
    </message>
    <message>
        <source>{0} sites, {1} with warnings</source>
        <translation>共 {0} 个站点，{1} 个有提醒</translation>
    </message>
    <message>
        <source>{0} (deactivated)</source>
        <translation>{0}（已停用）</translation>
    </message>
    <message>
        <source>vacant</source>
        <translation>空缺</translation>
    </message>
    <message>
        <source>Only village sites have post A and post B (R3).</source>
        <translation>只有行政村站点设 A岗和B岗（R3）。</translation>
    </message>
    <message>
        <source>Site “{0}” added.</source>
        <translation>已新增站点“{0}”。</translation>
    </message>
    <message>
        <source>Deactivate site</source>
        <translation>停用站点</translation>
    </message>
    <message>
        <source>Why is “{0}” deactivated? (kept with the site, R1)</source>
        <translation>停用“{0}”的原因（记入站点档案，R1）：</translation>
    </message>
    <message>
        <source>Site “{0}” deactivated.</source>
        <translation>已停用站点“{0}”。</translation>
    </message>
    <message>
        <source>Swap post A and post B</source>
        <translation>A岗与B岗互换</translation>
    </message>
    <message>
        <source>Why do the managers of “{0}” swap posts A and B? (R12)</source>
        <translation>“{0}”的管理员互换A岗和B岗的原因？（R12）</translation>
    </message>
    <message>
        <source>Posts A and B of “{0}” swapped.</source>
        <translation>“{0}”的A岗和B岗已互换。</translation>
    </message>
    <message>
        <source>Saved: {0}</source>
        <translation>已保存：{0}</translation>
    </message>
</context>
</TS>
