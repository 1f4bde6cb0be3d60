<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Remote Education Backbone Teams</source>
        <translation>远程教育骨干队伍管理</translation>
    </message>
    <message>
        <source>The database cannot be opened:
{0}</source>
        <translation>数据库无法打开：
{0}</translation>
    </message>
</context>
<context>
    <name>BehindDialog</name>
    <message>
        <source>{0}: {1} rows</source>
        <translation>{0}：共 {1} 条</translation>
    </message>
    <message>
        <source>{0} rows</source>
        <translation>共 {0} 条</translation>
    </message>
    <message>
        <source>Nothing to list.</source>
        <translation>没有需要列出的记录。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Open the page</source>
        <translation>打开所在页面</translation>
    </message>
    <message>
        <source>Show these records on their own page, for the same unit.</source>
        <translation>在这些记录所在的页面中查看（同一单位）。</translation>
    </message>
</context>
<context>
    <name>ChoicePage</name>
    <message>
        <source>Welcome</source>
        <translation>欢迎使用</translation>
    </message>
    <message>
        <source>This computer&apos;s office is not set up yet. What should it be?</source>
        <translation>本机尚未设置单位。请选择本机的用途：</translation>
    </message>
    <message>
        <source>Set up as the county office (县远程办)</source>
        <translation>设置为县远程办</translation>
    </message>
    <message>
        <source>Set up as a township office (乡镇远程办)</source>
        <translation>设置为乡镇远程办</translation>
    </message>
    <message>
        <source>Open the demo: a made-up county to try the program</source>
        <translation>打开演示数据：用一个虚构的县试用本程序</translation>
    </message>
    <message>
        <source>The county office sees the whole county and imports the townships&apos; data.</source>
        <translation>县远程办管理全县，导入各乡镇报送的数据。</translation>
    </message>
    <message>
        <source>A township office keeps its own sites and staff and sends them to the county.</source>
        <translation>乡镇远程办管理本乡镇的站点和人员，并报送到县。</translation>
    </message>
    <message>
        <source>Fills this database with example townships, sites and people. Use a new data folder for real work.</source>
        <translation>在本机数据库中生成示例乡镇、站点和人员。正式使用请另建数据目录。</translation>
    </message>
    <message>
        <source>The demo is not part of this version.</source>
        <translation>本版本不含演示数据。</translation>
    </message>
</context>
<context>
    <name>DemoPage</name>
    <message>
        <source>Demo</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>A made-up county with townships, village sites, staff, training, certificates and evaluations.</source>
        <translation>一个虚构的县：乡镇、村站点、人员、培训、证书和考评。</translation>
    </message>
    <message>
        <source>The demo is written into this computer&apos;s database, which then belongs to the demo county. To work for real later, start the program with a new data folder.</source>
        <translation>演示数据将写入本机数据库，此后该数据库属于演示县。以后正式使用时，请用新的数据目录启动程序。</translation>
    </message>
    <message>
        <source>Townships:</source>
        <translation>乡镇数：</translation>
    </message>
    <message>
        <source>Village sites per township:</source>
        <translation>每个乡镇的村站点数：</translation>
    </message>
    <message>
        <source>Building the demo…</source>
        <translation>正在生成演示数据…</translation>
    </message>
    <message>
        <source>The demo could not be built: {0}</source>
        <translation>演示数据未能生成：{0}</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消，没有写入任何数据。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Remote Education Backbone Teams</source>
        <translation>远程教育骨干队伍管理</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>组织机构</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Set up this office…</source>
        <translation>设置本机单位(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Import roster…</source>
        <translation>导入花名册(&amp;I)…</translation>
    </message>
    <message>
        <source>Ex&amp;port roster…</source>
        <translation>导出花名册(&amp;P)…</translation>
    </message>
    <message>
        <source>Save roster &amp;template…</source>
        <translation>保存花名册模板(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Back up to USB…</source>
        <translation>备份到U盘(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Restore from backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>S&amp;ettings…</source>
        <translation>设置(&amp;E)…</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Organization tree</source>
        <translation>组织机构树(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Office not set up</source>
        <translation>尚未设置单位</translation>
    </message>
    <message>
        <source>Database: {0}</source>
        <translation>数据库：{0}</translation>
    </message>
    <message>
        <source>Save roster template</source>
        <translation>保存花名册模板</translation>
    </message>
    <message>
        <source>Roster template saved: {0}</source>
        <translation>花名册模板已保存：{0}</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language will change to {0} when you restart the program.</source>
        <translation>界面语言将在重新启动程序后切换为{0}。</translation>
    </message>
    <message>
        <source>Version {0}</source>
        <translation>版本 {0}</translation>
    </message>
    <message>
        <source>Managing the managers, tutors and technicians of rural remote education for Party members and cadres.</source>
        <translation>农村党员干部现代远程教育管理人员、教学辅导员和技术服务员队伍管理。</translation>
    </message>
    <message>
        <source>Office: {0}</source>
        <translation>本机单位：{0}</translation>
    </message>
    <message>
        <source>Font: LXGW WenKai (SIL Open Font License)</source>
        <translation>字体：霞鹜文楷（SIL 开放字体许可证）</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
</context>
<context>
    <name>OfficePage</name>
    <message>
        <source>optional, e.g. 青山县</source>
        <translation>可不填，例如 青山县</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>单位代码：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>单位名称：</translation>
    </message>
    <message>
        <source>County name:</source>
        <translation>所属县名称：</translation>
    </message>
    <message>
        <source>Township office</source>
        <translation>乡镇远程办</translation>
    </message>
    <message>
        <source>Enter the township&apos;s statistical division code and its name.</source>
        <translation>请输入本乡镇的统计用区划代码和名称。</translation>
    </message>
    <message>
        <source>9 digits, e.g. 360499100</source>
        <translation>9 位数字，例如 360499100</translation>
    </message>
    <message>
        <source>e.g. 龙潭镇</source>
        <translation>例如 龙潭镇</translation>
    </message>
    <message>
        <source>A township code has {0} digits; its first 6 digits are the county&apos;s code.</source>
        <translation>乡镇代码为 {0} 位数字，前 6 位是所属县的代码。</translation>
    </message>
    <message>
        <source>County office</source>
        <translation>县远程办</translation>
    </message>
    <message>
        <source>Enter the county&apos;s statistical division code and its name.</source>
        <translation>请输入本县的统计用区划代码和名称。</translation>
    </message>
    <message>
        <source>6 digits, e.g. 360499</source>
        <translation>6 位数字，例如 360499</translation>
    </message>
    <message>
        <source>e.g. 青山县</source>
        <translation>例如 青山县</translation>
    </message>
    <message>
        <source>A county code has {0} digits.</source>
        <translation>县代码为 {0} 位数字。</translation>
    </message>
</context>
<context>
    <name>OrgTree</name>
    <message>
        <source>C</source>
        <comment>icon letter of a county</comment>
        <translation>县</translation>
    </message>
    <message>
        <source>T</source>
        <comment>icon letter of a township</comment>
        <translation>乡</translation>
    </message>
    <message>
        <source>V</source>
        <comment>icon letter of a village site</comment>
        <translation>村</translation>
    </message>
    <message>
        <source>E</source>
        <comment>icon letter of an enterprise site</comment>
        <translation>企</translation>
    </message>
    <message>
        <source>S</source>
        <comment>icon letter of a township station</comment>
        <translation>站</translation>
    </message>
    <message>
        <source>County</source>
        <translation>县</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Village site</source>
        <translation>行政村站点</translation>
    </message>
    <message>
        <source>Non-public enterprise site</source>
        <translation>非公企业站点</translation>
    </message>
    <message>
        <source>Township station</source>
        <translation>乡镇站点</translation>
    </message>
</context>
<context>
    <name>OrgTreePanel</name>
    <message>
        <source>Find a unit: name or code</source>
        <translation>查找单位：名称或代码</translation>
    </message>
    <message>
        <source>Code: {0}</source>
        <translation>代码：{0}</translation>
    </message>
    <message>
        <source> (inactive)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source> (no post {0})</source>
        <translation>（缺{0}岗）</translation>
    </message>
    <message>
        <source>Post {0} is empty (rule R3)</source>
        <translation>{0}岗空缺（规则 R3）</translation>
    </message>
</context>
<context>
    <name>Overview</name>
    <message>
        <source>County office</source>
        <translation>县远程办</translation>
    </message>
    <message>
        <source>Township office</source>
        <translation>乡镇远程办</translation>
    </message>
    <message>
        <source>Office not set up</source>
        <translation>尚未设置单位</translation>
    </message>
    <message>
        <source>R2: every township station has at least 2 managers</source>
        <translation>R2：每个乡镇站点至少有 2 名管理人员</translation>
    </message>
    <message>
        <source>R3: every village site has one manager on post A and one on post B</source>
        <translation>R3：每个村站点有 A 岗、B 岗管理员各 1 名</translation>
    </message>
    <message>
        <source>R12: site managers stay stable; frequent changes are flagged</source>
        <translation>R12：站点管理员保持稳定，频繁变动需提醒</translation>
    </message>
    <message>
        <source>R9: technicians keep the site equipment working; open faults</source>
        <translation>R9：技术服务员负责站点设备正常运行；未解决的故障</translation>
    </message>
    <message>
        <source>Click to see the list behind this figure.</source>
        <translation>单击查看这个数字背后的名单。</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Set up this office…</source>
        <translation>设置本机单位…</translation>
    </message>
    <message>
        <source>Townships</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>People on the teams</source>
        <translation>在队人员</translation>
    </message>
    <message>
        <source>Posts held</source>
        <translation>在岗岗位</translation>
    </message>
    <message>
        <source>Empty A/B posts</source>
        <translation>空缺 A/B 岗</translation>
    </message>
    <message>
        <source>Updating the figures…</source>
        <translation>正在更新统计数字…</translation>
    </message>
    <message>
        <source>Activities per month</source>
        <translation>每月活动次数</translation>
    </message>
    <message>
        <source>Training hours per month</source>
        <translation>每月培训学时</translation>
    </message>
    <message>
        <source>Open faults by age</source>
        <translation>未修复故障的时长</translation>
    </message>
    <message>
        <source>Townships side by side</source>
        <translation>各乡镇对比</translation>
    </message>
    <message>
        <source>Click a cell to see the list behind it.</source>
        <translation>单击单元格查看对应名单。</translation>
    </message>
    <message>
        <source>Double-click a warning to open its unit on the Sites page.</source>
        <translation>双击提醒可在“站点”页打开该单位。</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Rule check: no problems found.</source>
        <translation>规则检查：未发现问题。</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>The figures could not be read: {0}</source>
        <translation>统计数字读取失败：{0}</translation>
    </message>
    <message>
        <source>{0} · code {1} · database {2}</source>
        <translation>{0} · 代码 {1} · 数据库 {2}</translation>
    </message>
    <message>
        <source>This computer&apos;s office is not set up yet</source>
        <translation>本机尚未设置单位</translation>
    </message>
    <message>
        <source>Set it up as a county or township office, or open the demo.</source>
        <translation>请设置为县远程办或乡镇远程办，或打开演示数据。</translation>
    </message>
    <message>
        <source>{0}, {1}</source>
        <translation>{0}，{1}年</translation>
    </message>
    <message>
        <source>Activities per month, {0}</source>
        <translation>{0}年每月活动次数</translation>
    </message>
    <message>
        <source>Training hours per month, {0}</source>
        <translation>{0}年每月培训学时</translation>
    </message>
    <message>
        <source>Open faults by age ({0} open)</source>
        <translation>未修复故障按时长（共 {0} 件）</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Click to see the list behind this figure.</source>
        <translation>单击查看这个数字背后的名单。</translation>
    </message>
    <message>
        <source>{0} fault open for {1} days: {2} ({3})</source>
        <translation>故障{0}已 {1} 天：{2}（{3}）</translation>
    </message>
    <message>
        <source>no technician</source>
        <translation>未派技术服务员</translation>
    </message>
    <message>
        <source>Rule warnings in {0}: {1}</source>
        <translation>{0}的规则提醒：{1} 条</translation>
    </message>
    <message>
        <source>Rule warnings: {0}</source>
        <translation>规则提醒：{0} 条</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Page module {0} could not be loaded: {1}</source>
        <translation>页面模块 {0} 无法加载：{1}</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Townships and their sites: codes, addresses, contacts, post A/B managers.</source>
        <translation>乡镇及其站点：代码、地址、联系人、A/B 岗管理员。</translation>
    </message>
    <message>
        <source>Staff archives</source>
        <translation>人员档案</translation>
    </message>
    <message>
        <source>Archives of the managers, tutors and technicians (R10).</source>
        <translation>管理人员、教学辅导员和技术服务员的档案（R10）。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Training plans, sessions, attendance, hours and assessment results (R6–R8).</source>
        <translation>培训计划、课次、考勤、学时和考核结果（R6–R8）。</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>On-duty and appointment certificates: numbering, register, reprint, revoke and renew (R11).</source>
        <translation>上岗证书和聘任证书：编号、登记、补打、注销和换发（R11）。</translation>
    </message>
    <message>
        <source>Activities &amp; equipment</source>
        <translation>活动与设备</translation>
    </message>
    <message>
        <source>Teaching activities and service channels of the sites, equipment and fault repairs (R9, R13).</source>
        <translation>站点教学活动和服务渠道、设备及故障报修（R9、R13）。</translation>
    </message>
    <message>
        <source>Yearly evaluation</source>
        <translation>年度考评</translation>
    </message>
    <message>
        <source>Quantified yearly evaluation and award campaigns (R14).</source>
        <translation>量化年度考评和评比表彰（R14）。</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Exchanging data between the townships and the county office on a USB stick.</source>
        <translation>乡镇与县远程办之间用 U 盘交换数据。</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Statistical tables and printed forms.</source>
        <translation>统计报表和打印表格。</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <source>This feature will come in a later version.</source>
        <translation>该功能将在后续版本提供。</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up this office</source>
        <translation>设置本机单位</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Set up as {0} ({1}).</source>
        <translation>已设置为{0}（{1}）。</translation>
    </message>
    <message>
        <source>Demo built: {0}</source>
        <translation>演示数据已生成：{0}</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>
