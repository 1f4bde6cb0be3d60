<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PlanDetailPanel</name>
    <message>
        <source>Select a plan to see its sessions, or add a new plan.</source>
        <translation>选择一个培训计划查看其课次，或新建培训计划。</translation>
    </message>
    <message>
        <source>Organizer</source>
        <translation>组织者</translation>
    </message>
    <message>
        <source>Trains</source>
        <translation>培训对象</translation>
    </message>
    <message>
        <source>Kind and mode</source>
        <translation>类型和方式</translation>
    </message>
    <message>
        <source>Content (R7)</source>
        <translation>培训内容（R7）</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>学时</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>参训人数</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>✓ Organizer and target follow R6.</source>
        <translation>✓ 组织者与培训对象符合分级培训规则（R6）。</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Instructor</source>
        <translation>授课人</translation>
    </message>
    <message>
        <source>Add session…</source>
        <translation>添加课次…</translation>
    </message>
    <message>
        <source>Edit session…</source>
        <translation>修改课次…</translation>
    </message>
    <message>
        <source>Delete session…</source>
        <translation>删除课次…</translation>
    </message>
    <message>
        <source>Print sign-in sheets…</source>
        <translation>打印签到表…</translation>
    </message>
    <message>
        <source>The selected session&apos;s sheet, or every session&apos;s when none is selected</source>
        <translation>打印所选课次的签到表；未选课次时打印全部课次的签到表</translation>
    </message>
    <message>
        <source>{0} planned hours · pass mark {1}</source>
        <translation>计划 {0} 学时 · 合格分数 {1}</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>{0} people</source>
        <translation>{0} 人</translation>
    </message>
    <message>
        <source>Sessions: {0}, {1} hours</source>
        <translation>课次：{0} 次，共 {1} 学时</translation>
    </message>
</context>
<context>
    <name>PlanEditorDialog</name>
    <message>
        <source>New training plan</source>
        <extracomment>Organizer levels that name a unit of ours; the others (departments, telecom) name themselves in text. the service&apos;s field name (ValidationError.field) → the key of the error label under that field</extracomment>
        <translation>新建培训计划</translation>
    </message>
    <message>
        <source>Edit training plan</source>
        <translation>修改培训计划</translation>
    </message>
    <message>
        <source>e.g. 2026 pre-job training of village site managers</source>
        <translation>例如：2026年村站点管理员岗前培训</translation>
    </message>
    <message>
        <source>e.g. 县委党校, 县农业局, 中国电信青山分公司</source>
        <translation>例如：县委党校、县农业局、中国电信青山分公司</translation>
    </message>
    <message>
        <source>Content (R7: at least one of the seven topics)</source>
        <translation>培训内容（R7：七项内容中至少选一项）</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 学时</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>培训名称</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>培训类型</translation>
    </message>
    <message>
        <source>Organizer</source>
        <translation>组织者</translation>
    </message>
    <message>
        <source>Trains</source>
        <translation>培训对象</translation>
    </message>
    <message>
        <source>at</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Planned hours</source>
        <translation>计划学时</translation>
    </message>
    <message>
        <source>Pass mark</source>
        <translation>合格分数</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Warnings do not block saving: check that the plan is meant this way.</source>
        <translation>警告不妨碍保存：请确认培训计划确实如此安排。</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>培训方式</translation>
    </message>
</context>
<context>
    <name>SessionCalendar</name>
    <message>
        <source>Previous</source>
        <extracomment>a plan&apos;s id, when one of its entries is double-clicked</extracomment>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Red: a person or an instructor is in two sessions at once. Double-click an entry to open its plan.</source>
        <translation>红色：有人员或授课人同一时间在两个课次。双击课次打开其培训计划。</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Place: {0}</source>
        <translation>地点：{0}</translation>
    </message>
    <message>
        <source>Instructor: {0}</source>
        <translation>授课人：{0}</translation>
    </message>
    <message>
        <source>{0} hours</source>
        <translation>{0} 学时</translation>
    </message>
    <message>
        <source>{0}/{1}</source>
        <comment>month/day</comment>
        <translation>{0}月{1}日</translation>
    </message>
    <message>
        <source>{0}/{1}/{2}</source>
        <comment>year/month/day</comment>
        <translation>{0}年{1}月{2}日</translation>
    </message>
    <message>
        <source>{1}/{0}</source>
        <comment>month/year</comment>
        <translation>{0}年{1}月</translation>
    </message>
</context>
<context>
    <name>SessionEditorDialog</name>
    <message>
        <source>New session</source>
        <translation>新建课次</translation>
    </message>
    <message>
        <source>Edit session</source>
        <translation>修改课次</translation>
    </message>
    <message>
        <source>Plan: {0}</source>
        <translation>培训计划：{0}</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 学时</translation>
    </message>
    <message>
        <source>e.g. township Party school, meeting room 2</source>
        <translation>例如：镇党校二楼会议室</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>a tutor from the archive</source>
        <translation>档案中的辅导员</translation>
    </message>
    <message>
        <source>an outside instructor</source>
        <translation>外请授课人</translation>
    </message>
    <message>
        <source>Name of the outside instructor, e.g. 县农业局 王工</source>
        <translation>外请授课人姓名，例如：县农业局 王工</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Filled in from the times; type to change.</source>
        <translation>按时间自动计算，可直接修改。</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>学时</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Instructor</source>
        <translation>授课人</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Typed by you; the times no longer change it.</source>
        <translation>已手工填写，修改时间不再改变学时。</translation>
    </message>
    <message>
        <source>Saved. This session clashes with others:</source>
        <translation>已保存。此课次与其他课次时间冲突：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Training</name>
    <message>
        <source>County level</source>
        <extracomment>(parent, title, suggested file name) → the chosen path, or None when cancelled. The levels a plan serves (training_plan.TARGET_LEVELS), in the order shown. The level a role&apos;s staff work at: the editor proposes it when the target role changes (R6).</extracomment>
        <translation>县级</translation>
    </message>
    <message>
        <source>Township level</source>
        <translation>乡镇级</translation>
    </message>
    <message>
        <source>Village level</source>
        <translation>村级</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The file could not be written: {0}</source>
        <translation>文件无法写入：{0}</translation>
    </message>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
</context>
<context>
    <name>TrainingPage</name>
    <message>
        <source>New plan…</source>
        <translation>新建计划…</translation>
    </message>
    <message>
        <source>Edit plan…</source>
        <translation>修改计划…</translation>
    </message>
    <message>
        <source>Delete plan…</source>
        <translation>删除计划…</translation>
    </message>
    <message>
        <source>Enrol…</source>
        <translation>报名…</translation>
    </message>
    <message>
        <source>Enrol people by filters or one by one (R8)</source>
        <translation>按条件批量报名或逐个添加参训人员（R8）</translation>
    </message>
    <message>
        <source>Attendance &amp;&amp; scores…</source>
        <translation>考勤和成绩…</translation>
    </message>
    <message>
        <source>Print roster…</source>
        <translation>打印花名册…</translation>
    </message>
    <message>
        <source>Search plans</source>
        <translation>搜索培训计划</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>培训名称</translation>
    </message>
    <message>
        <source>Organizer</source>
        <translation>组织者</translation>
    </message>
    <message>
        <source>Trains</source>
        <translation>培训对象</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>培训类型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>培训方式</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>课次</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>参训人数</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>培训计划</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>日历</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>培训覆盖</translation>
    </message>
    <message>
        <source>{0} plans, {1} with R6 warnings</source>
        <translation>共 {0} 个培训计划，{1} 个有 R6 警告</translation>
    </message>
    <message>
        <source>All years</source>
        <translation>全部年度</translation>
    </message>
    <message>
        <source>Coverage is not available in this version.</source>
        <translation>此版本暂不提供培训覆盖情况。</translation>
    </message>
    <message>
        <source>Plan “{0}” added.</source>
        <translation>已添加培训计划“{0}”。</translation>
    </message>
    <message>
        <source>Plan “{0}” saved.</source>
        <translation>已保存培训计划“{0}”。</translation>
    </message>
    <message>
        <source>Delete the plan “{0}” with its {1} sessions, {2} enrolments and their attendance and scores?</source>
        <translation>删除培训计划“{0}”及其 {1} 个课次、{2} 名参训人员的报名、考勤和成绩？</translation>
    </message>
    <message>
        <source>Delete plan</source>
        <translation>删除培训计划</translation>
    </message>
    <message>
        <source>Plan “{0}” deleted.</source>
        <translation>已删除培训计划“{0}”。</translation>
    </message>
    <message>
        <source>Session of {0} saved, but it clashes with {1} other sessions: see below.</source>
        <translation>{0} 的课次已保存，但与其他课次有 {1} 处时间冲突，详见下方。</translation>
    </message>
    <message>
        <source>Session of {0} saved.</source>
        <translation>{0} 的课次已保存。</translation>
    </message>
    <message>
        <source>Delete the session of {0} {1} and its attendance records?</source>
        <translation>删除 {0} {1} 的课次及其考勤记录？</translation>
    </message>
    <message>
        <source>Delete session</source>
        <translation>删除课次</translation>
    </message>
    <message>
        <source>Session of {0} deleted.</source>
        <translation>已删除 {0} 的课次。</translation>
    </message>
    <message>
        <source>This function is not available in this version.</source>
        <translation>此版本暂不提供该功能。</translation>
    </message>
    <message>
        <source>Sign-in sheets {0}.pdf</source>
        <translation>签到表_{0}.pdf</translation>
    </message>
    <message>
        <source>Print sign-in sheets</source>
        <translation>打印签到表</translation>
    </message>
    <message>
        <source>Roster {0}.pdf</source>
        <translation>培训花名册_{0}.pdf</translation>
    </message>
    <message>
        <source>Print roster</source>
        <translation>打印花名册</translation>
    </message>
    <message>
        <source>Preparing the PDF…</source>
        <translation>正在生成 PDF…</translation>
    </message>
    <message>
        <source>Nothing was printed. {0}</source>
        <translation>没有打印。{0}</translation>
    </message>
    <message>
        <source>Saved to {0}</source>
        <translation>已保存到 {0}</translation>
    </message>
</context>
</TS>
