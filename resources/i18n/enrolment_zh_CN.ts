<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttendanceGrid</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>{0} h</source>
        <translation>{0}学时</translation>
    </message>
    <message>
        <source>Self-study hours</source>
        <translation>自学学时</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>成绩</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Double-click: mark everyone present at this session; right-click for more</source>
        <translation>双击：本课次全部记为到课；右键可选更多操作</translation>
    </message>
    <message>
        <source>not assessed</source>
        <translation>未考核</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>{0} · {1}: {2}</source>
        <translation>{0} · {1}：{2}</translation>
    </message>
    <message>
        <source>present</source>
        <translation>到</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>未到</translation>
    </message>
    <message>
        <source>Self-study hours must be between 0 and {0}</source>
        <translation>自学学时应在 0 到 {0} 之间</translation>
    </message>
    <message>
        <source>A score must be between 0 and 100</source>
        <translation>成绩应在 0 到 100 之间</translation>
    </message>
</context>
<context>
    <name>AttendanceGridDialog</name>
    <message>
        <source>Attendance and assessment: {0}</source>
        <extracomment>rows to move by after a commit (+1 Enter or ↓, -1 ↑)</extracomment>
        <translation>考勤与考核：{0}</translation>
    </message>
    <message>
        <source>{0} · pass mark {1} · planned {2} hours · {3} sessions</source>
        <translation>{0} · 合格分数线 {1} · 计划 {2} 学时 · 共 {3} 个课次</translation>
    </message>
    <message>
        <source>All present</source>
        <translation>全部到课</translation>
    </message>
    <message>
        <source>Mark everyone present at every session</source>
        <translation>所有人员在所有课次都记为到课</translation>
    </message>
    <message>
        <source>Assessment date</source>
        <translation>考核日期</translation>
    </message>
    <message>
        <source>Arrows move · Space: present/absent · type a number in self-study or score, Enter: next row · Delete clears · double-click a session header: all present</source>
        <translation>方向键移动 · 空格：到/未到 · 在自学学时或成绩列直接输入数字，回车到下一行 · Delete 清除 · 双击课次表头：全部到课</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Nobody is enrolled in this training yet.</source>
        <translation>本培训还没有报名人员。</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>{0} people · passed {1}, failed {2}, not assessed {3} · hours: lecture {4}, self-study {5}, total {6}</source>
        <translation>共 {0} 人 · 合格 {1}，不合格 {2}，未考核 {3} · 学时：集中授课 {4}，自学 {5}，合计 {6}</translation>
    </message>
    <message>
        <source>Present: {0}</source>
        <translation>到课人数：{0}</translation>
    </message>
    <message>
        <source>Everyone present at {0}</source>
        <translation>{0} 全部到课</translation>
    </message>
    <message>
        <source>Everyone absent at {0}</source>
        <translation>{0} 全部未到</translation>
    </message>
    <message>
        <source>Saved: {0} attendance records and {1} enrolments written.</source>
        <translation>已保存：写入考勤记录 {0} 条、报名记录 {1} 条。</translation>
    </message>
    <message>
        <source>The grid has unsaved changes. Save them before closing?</source>
        <translation>表格中有未保存的修改。关闭前是否保存？</translation>
    </message>
</context>
<context>
    <name>CoverageModel</name>
    <message>
        <source>Name</source>
        <extracomment>Areas whose changes can change coverage.</extracomment>
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
        <source>Pre-job training</source>
        <translation>岗前培训</translation>
    </message>
    <message>
        <source>Hours in the year</source>
        <translation>年度学时</translation>
    </message>
    <message>
        <source>On-duty certificate</source>
        <translation>上岗证书</translation>
    </message>
    <message>
        <source>Still lacking</source>
        <translation>尚缺</translation>
    </message>
</context>
<context>
    <name>CoverageView</name>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Only those lacking something</source>
        <translation>只看有欠缺的人员</translation>
    </message>
    <message>
        <source>The office is not set up yet.</source>
        <translation>本单位尚未完成初始设置。</translation>
    </message>
    <message>
        <source>Training coverage</source>
        <translation>培训覆盖情况</translation>
    </message>
    <message>
        <source>Training coverage: {0}</source>
        <translation>培训覆盖情况：{0}</translation>
    </message>
    <message>
        <source>{0} people on the team; {1} passed pre-job training; {2} hours of training in {3}.</source>
        <translation>在岗 {0} 人；{1} 人岗前培训考核合格；{3}年共培训 {2} 学时。</translation>
    </message>
    <message>
        <source>{0} site managers still lack what the on-duty certificate needs (R11).</source>
        <translation>{0} 名站点管理员尚不具备取得上岗证书的条件（R11）。</translation>
    </message>
    <message>
        <source>Every site manager has what the on-duty certificate needs (R11).</source>
        <translation>所有站点管理员均已具备取得上岗证书的条件（R11）。</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <source>Enrolment: {0}</source>
        <extracomment>The unit kinds offered in the unit filter: townships and every kind of site (R1).</extracomment>
        <translation>培训报名：{0}</translation>
    </message>
    <message>
        <source>{0} · {1} · for {2} · {3}</source>
        <translation>{0} · {1} · 培训对象：{2} · {3}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
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
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移出…</translation>
    </message>
    <message>
        <source>Remove the selected people from this training</source>
        <translation>将选中的人员移出本培训</translation>
    </message>
    <message>
        <source>Select several rows with Ctrl or Shift.</source>
        <translation>按住 Ctrl 或 Shift 可选择多行。</translation>
    </message>
    <message>
        <source>Add by filter</source>
        <translation>按条件报名</translation>
    </message>
    <message>
        <source>Any role</source>
        <translation>所有职务类别</translation>
    </message>
    <message>
        <source>Whole office ({0})</source>
        <translation>全辖区（{0}）</translation>
    </message>
    <message>
        <source>Whole office</source>
        <translation>全辖区</translation>
    </message>
    <message>
        <source>without a valid on-duty certificate</source>
        <translation>无有效上岗证书</translation>
    </message>
    <message>
        <source>never passed pre-job training</source>
        <translation>未通过岗前培训</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>职务类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Check all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Check none</source>
        <translation>全不选</translation>
    </message>
    <message>
        <source>Enrol all checked</source>
        <translation>勾选人员全部报名</translation>
    </message>
    <message>
        <source>Add one person</source>
        <translation>单个添加</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>报名</translation>
    </message>
    <message>
        <source>Enrol all checked ({0})</source>
        <translation>勾选人员全部报名（{0}）</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>有记录</translation>
    </message>
    <message>
        <source>Enrolled ({0})</source>
        <translation>已报名（{0}）</translation>
    </message>
    <message>
        <source>Remove from the training</source>
        <translation>移出培训</translation>
    </message>
    <message>
        <source>Remove {0} from “{1}”?</source>
        <translation>将 {0} 移出“{1}”？</translation>
    </message>
    <message>
        <source>{0} already have attendance, self-study hours or a score recorded in this training. Removing them deletes these records as well. Remove and delete the records?</source>
        <translation>{0} 在本培训中已有考勤、自学学时或成绩记录。移出后这些记录将一并删除。确定移出并删除这些记录吗？</translation>
    </message>
    <message>
        <source>Nobody was removed.</source>
        <translation>未移出任何人员。</translation>
    </message>
    <message>
        <source>Removed: {0}.</source>
        <translation>已移出 {0} 人。</translation>
    </message>
    <message>
        <source>enrolled already</source>
        <translation>已报名</translation>
    </message>
    <message>
        <source>not enrolled</source>
        <translation>未报名</translation>
    </message>
    <message>
        <source>{0} found, {1} of them not enrolled yet.</source>
        <translation>找到 {0} 人，其中 {1} 人尚未报名。</translation>
    </message>
    <message>
        <source>Nobody matches the filter.</source>
        <translation>没有符合条件的人员。</translation>
    </message>
    <message>
        <source>Nobody is checked.</source>
        <translation>没有勾选任何人员。</translation>
    </message>
    <message>
        <source>{0} is enrolled already.</source>
        <translation>{0} 已经报名。</translation>
    </message>
    <message>
        <source>{0} enrolled.</source>
        <translation>{0} 已报名。</translation>
    </message>
    <message>
        <source>Added {0}, restored {1} removed earlier, {2} enrolled already.</source>
        <translation>新报名 {0} 人，恢复此前移出的 {1} 人，{2} 人原已报名。</translation>
    </message>
</context>
<context>
    <name>Enrolment</name>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <extracomment>(parent, title, text) → the answer: &quot;save&quot;, &quot;discard&quot; or &quot;cancel&quot; (injectable: tests never block). a cell changed and not yet saved a value the save will refuse</extracomment>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
</context>
</TS>
