<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign to a technician</source>
        <translation>派单给技术服务员</translation>
    </message>
    <message>
        <source>Assign to another technician</source>
        <translation>改派其他技术服务员</translation>
    </message>
    <message>
        <source>(choose a technician)</source>
        <translation>（请选择技术服务员）</translation>
    </message>
    <message>
        <source>(nobody holds a technician post)</source>
        <translation>（没有在岗的技术服务员）</translation>
    </message>
    <message>
        <source>{0} — other area</source>
        <translation>{0} — 其他片区</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>技术服务员</translation>
    </message>
    <message>
        <source>Assigned at</source>
        <translation>派单时间</translation>
    </message>
</context>
<context>
    <name>Equipment</name>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>设备类别</translation>
    </message>
    <message>
        <source>Make and model</source>
        <translation>品牌型号</translation>
    </message>
    <message>
        <source>Serial no.</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>安装日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Faults (open)</source>
        <translation>故障（未解决）</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>报修时间</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Reported by</source>
        <translation>报修人</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>技术服务员</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>派单时间</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>解决</translation>
    </message>
    <message>
        <source>Response (h)</source>
        <translation>响应（小时）</translation>
    </message>
    <message>
        <source>Downtime (h)</source>
        <translation>停机（小时）</translation>
    </message>
    <message>
        <source>Age (days)</source>
        <translation>已报修（天）</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>故障单</translation>
    </message>
    <message>
        <source>Mean response (h)</source>
        <translation>平均响应（小时）</translation>
    </message>
    <message>
        <source>Longest response (h)</source>
        <translation>最长响应（小时）</translation>
    </message>
    <message>
        <source>Mean repair (h)</source>
        <translation>平均维修（小时）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未解决</translation>
    </message>
    <message>
        <source>Oldest open (days)</source>
        <translation>最久未解决（天）</translation>
    </message>
</context>
<context>
    <name>EquipmentDialog</name>
    <message>
        <source>Edit equipment</source>
        <translation>修改设备</translation>
    </message>
    <message>
        <source>Add equipment</source>
        <translation>登记设备</translation>
    </message>
    <message>
        <source>(choose a site)</source>
        <translation>（请选择站点）</translation>
    </message>
    <message>
        <source>e.g. 同洲 CDVB3188C</source>
        <translation>例如 同洲 CDVB3188C</translation>
    </message>
    <message>
        <source>Known</source>
        <translation>已知</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>设备类别</translation>
    </message>
    <message>
        <source>Make and model</source>
        <translation>品牌型号</translation>
    </message>
    <message>
        <source>Serial no.</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Installed on</source>
        <translation>安装日期</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Out of service since {0}: {1}. Keep that line in the notes.</source>
        <translation>已于 {0} 停用：{1}。请在备注中保留这一行。</translation>
    </message>
</context>
<context>
    <name>EquipmentView</name>
    <message>
        <source>Filter by site, kind, model or serial no.</source>
        <translation>按站点、类别、型号或序列号筛选</translation>
    </message>
    <message>
        <source>Show equipment out of service</source>
        <translation>显示已停用的设备</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>登记…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Out of service…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Back in service…</source>
        <translation>恢复使用…</translation>
    </message>
    <message>
        <source>{0} items</source>
        <translation>{0} 台</translation>
    </message>
    <message>
        <source>, {0} out of service</source>
        <translation>，其中 {0} 台已停用</translation>
    </message>
    <message>
        <source>Added to the register of {0}: {1}</source>
        <translation>已登记到{0}：{1}</translation>
    </message>
    <message>
        <source>Saved: {0}, {1}</source>
        <translation>已保存：{0}，{1}</translation>
    </message>
    <message>
        <source>Out of service: {0}, {1}</source>
        <translation>已停用：{0}，{1}</translation>
    </message>
    <message>
        <source>Back in service: {0}, {1}</source>
        <translation>已恢复使用：{0}，{1}</translation>
    </message>
</context>
<context>
    <name>FaultsView</name>
    <message>
        <source>All tickets</source>
        <translation>全部故障单</translation>
    </message>
    <message>
        <source>Not resolved yet</source>
        <translation>未解决</translation>
    </message>
    <message>
        <source>All technicians</source>
        <translation>全部技术服务员</translation>
    </message>
    <message>
        <source>any age</source>
        <translation>不限</translation>
    </message>
    <message>
        <source> days or more</source>
        <translation> 天及以上</translation>
    </message>
    <message>
        <source>Only tickets not resolved yet, reported at least this many days ago</source>
        <translation>只看尚未解决、报修至今不少于这么多天的故障单</translation>
    </message>
    <message>
        <source>Site, equipment, fault, person</source>
        <translation>站点、设备、故障、人员</translation>
    </message>
    <message>
        <source>Report a fault…</source>
        <translation>故障报修…</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>派单…</translation>
    </message>
    <message>
        <source>Resolved…</source>
        <translation>已解决…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>技术服务员</translation>
    </message>
    <message>
        <source>Open for</source>
        <translation>报修天数</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>故障单</translation>
    </message>
    <message>
        <source>Response and downtime</source>
        <translation>响应与停机统计</translation>
    </message>
    <message>
        <source>{0} tickets, {1} not resolved</source>
        <translation>{0} 张故障单，{1} 张未解决</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <source>Fault: {0}</source>
        <translation>故障：{0}</translation>
    </message>
    <message>
        <source>Resolution: {0}</source>
        <translation>处理情况：{0}</translation>
    </message>
    <message>
        <source>Fault at {0} recorded: {1}</source>
        <translation>已登记{0}的故障：{1}</translation>
    </message>
    <message>
        <source>Fault at {0} {1}: {2}</source>
        <translation>{0}的故障{1}：{2}</translation>
    </message>
    <message>
        <source>Fault at {0} {1} by {2}</source>
        <translation>{0}的故障{1}（{2}）</translation>
    </message>
    <message>
        <source>Fault at {0} reopened, back with {2}</source>
        <translation>{0}的故障已重新打开，交回{2}处理</translation>
    </message>
    <message>
        <source>Close the ticket of {0} ({1})? The site has confirmed the repair.</source>
        <translation>关闭{0}的故障单（{1}）？站点已确认修复。</translation>
    </message>
    <message>
        <source>Close the ticket</source>
        <translation>关闭故障单</translation>
    </message>
    <message>
        <source>Ticket of {0} closed</source>
        <translation>{0}的故障单已关闭</translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <source>Reopen the ticket</source>
        <translation>重新打开故障单</translation>
    </message>
    <message>
        <source>Resolved at {0}: {1}</source>
        <translation>{0} 已解决：{1}</translation>
    </message>
    <message>
        <source>e.g. 故障复发</source>
        <translation>例如 故障复发</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ReportFaultDialog</name>
    <message>
        <source>Report a fault</source>
        <translation>故障报修</translation>
    </message>
    <message>
        <source>(choose a site)</source>
        <translation>（请选择站点）</translation>
    </message>
    <message>
        <source>Who called: the site manager, a villager…</source>
        <translation>谁来报修：站点管理员、村民……</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation>报修时间</translation>
    </message>
    <message>
        <source>Reported by</source>
        <translation>报修人</translation>
    </message>
    <message>
        <source>What is wrong</source>
        <translation>故障描述</translation>
    </message>
    <message>
        <source>(not a registered set / not known)</source>
        <translation>（未登记的设备 / 不清楚）</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <source>Fault resolved</source>
        <translation>填写解决情况</translation>
    </message>
    <message>
        <source>Assigned to {0} at {1}</source>
        <translation>{1} 派给 {0}</translation>
    </message>
    <message>
        <source>What was done, e.g. 更换高频头，信号恢复</source>
        <translation>如何处理，例如 更换高频头，信号恢复</translation>
    </message>
    <message>
        <source>Resolved at</source>
        <translation>解决时间</translation>
    </message>
    <message>
        <source>How</source>
        <translation>处理情况</translation>
    </message>
</context>
<context>
    <name>ServiceStateDialog</name>
    <message>
        <source>Take out of service</source>
        <translation>设备停用</translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation>恢复使用</translation>
    </message>
    <message>
        <source>e.g. 雷击损坏，无法修复</source>
        <translation>例如 雷击损坏，无法修复</translation>
    </message>
    <message>
        <source>e.g. 更换主板后修复</source>
        <translation>例如 更换主板后修复</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>StatisticsPanel</name>
    <message>
        <source>Tickets reported in the year. Response: reported → assigned; repair: assigned → resolved; downtime: reported → resolved, faults still open counted to now.</source>
        <translation>统计当年报修的故障单。响应：报修 → 派单；维修：派单 → 解决；停机：报修 → 解决，未解决的算到现在。</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>技术服务员</translation>
    </message>
    <message>
        <source>Post at</source>
        <translation>任职单位</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Per technician</source>
        <translation>按技术服务员</translation>
    </message>
    <message>
        <source>Per site</source>
        <translation>按站点</translation>
    </message>
    <message>
        <source>{0} tickets, {1} resolved, {2} open; mean response {3} h, mean repair {4} h, downtime {5} h</source>
        <translation>{0} 张故障单，已解决 {1} 张，未解决 {2} 张；平均响应 {3} 小时，平均维修 {4} 小时，停机共 {5} 小时</translation>
    </message>
</context>
</TS>
