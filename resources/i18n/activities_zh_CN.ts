<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivitiesModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>活动形式</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <source>Tutors</source>
        <translation>辅导员</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参加人数</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ActivitiesPage</name>
    <message>
        <source>Teaching activities</source>
        <translation>教学活动</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>设备台账</translation>
    </message>
    <message>
        <source>Fault repairs</source>
        <translation>故障报修</translation>
    </message>
    <message>
        <source>This function is not available in this version.</source>
        <translation>此版本尚未提供该功能。</translation>
    </message>
</context>
<context>
    <name>ActivitiesView</name>
    <message>
        <source>Search content, notes, site or tutor</source>
        <translation>搜索内容、备注、站点或辅导员</translation>
    </message>
    <message>
        <source>All years</source>
        <translation>全部年度</translation>
    </message>
    <message>
        <source>All months</source>
        <translation>全部月份</translation>
    </message>
    <message>
        <source>Month {0}</source>
        <translation>{0}月</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>全部形式</translation>
    </message>
    <message>
        <source>New activity…</source>
        <translation>登记活动…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Work-record book of the site…</source>
        <translation>本站点工作记录簿…</translation>
    </message>
    <message>
        <source>Monthly report card of the site…</source>
        <translation>本站点月报卡…</translation>
    </message>
    <message>
        <source>Book and report card of the site…</source>
        <translation>本站点工作记录簿和月报卡…</translation>
    </message>
    <message>
        <source>Work-record books of all sites…</source>
        <translation>所有站点工作记录簿…</translation>
    </message>
    <message>
        <source>Monthly report cards of all sites…</source>
        <translation>所有站点月报卡…</translation>
    </message>
    <message>
        <source>Books and report cards of all sites…</source>
        <translation>所有站点工作记录簿和月报卡…</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>活动形式</translation>
    </message>
    <message>
        <source>{0} activities</source>
        <translation>共 {0} 次活动</translation>
    </message>
    <message>
        <source>Shown: {0} activities, {1} participants, {2} hours</source>
        <translation>当前列表：活动 {0} 次，参加 {1} 人次，时长 {2} 小时</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>{0}: {1} {2} “{3}”.</source>
        <translation>{0}：{1} {2}“{3}”。</translation>
    </message>
    <message>
        <source>Delete the activity of {0} at {1}: “{2}”?</source>
        <translation>删除 {0} 在{1}开展的活动“{2}”？</translation>
    </message>
    <message>
        <source>Delete the {0} selected activities?</source>
        <translation>删除选中的 {0} 次活动？</translation>
    </message>
    <message>
        <source>Delete activity</source>
        <translation>删除活动</translation>
    </message>
    <message>
        <source>{0} activities deleted.</source>
        <translation>已删除 {0} 次活动。</translation>
    </message>
    <message>
        <source>Choose an activity or a site first.</source>
        <translation>请先选择一条活动记录或一个站点。</translation>
    </message>
    <message>
        <source>This office is not set up yet.</source>
        <translation>本机尚未设置为县或乡镇远程办。</translation>
    </message>
    <message>
        <source>Work-record book</source>
        <translation>工作记录簿</translation>
    </message>
    <message>
        <source>Monthly report card</source>
        <translation>月报卡</translation>
    </message>
    <message>
        <source>Work-record book and report card</source>
        <translation>工作记录簿和月报卡</translation>
    </message>
    <message>
        <source>all sites</source>
        <translation>所有站点</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>Saved to {0}</source>
        <translation>已保存到 {0}</translation>
    </message>
    <message>
        <source>Nothing was saved. {0}</source>
        <translation>未保存任何文件。{0}</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <source>New activity</source>
        <translation>登记教学活动</translation>
    </message>
    <message>
        <source>Edit activity</source>
        <translation>修改教学活动</translation>
    </message>
    <message>
        <source>Type to find a site</source>
        <translation>输入站点名称查找</translation>
    </message>
    <message>
        <source>e.g. 科技下乡：油茶低改技术</source>
        <translation>例如 科技下乡：油茶低改技术</translation>
    </message>
    <message>
        <source> people</source>
        <translation> 人</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>活动形式</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <source>Tutors</source>
        <translation>辅导员</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参加人数</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Saved, with warnings:</source>
        <translation>已保存，但请注意：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>TutorPicker</name>
    <message>
        <source>Find a tutor by name or unit</source>
        <translation>按姓名或单位查找辅导员</translation>
    </message>
    <message>
        <source>Chosen: {0}</source>
        <translation>已选：{0}</translation>
    </message>
    <message>
        <source>No tutor chosen.</source>
        <translation>未选择辅导员。</translation>
    </message>
</context>
</TS>
