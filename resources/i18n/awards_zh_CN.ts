<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddNomineeDialog</name>
    <message>
        <source>Add a nominee to {0}</source>
        <translation>为“{0}”添加推荐对象</translation>
    </message>
    <message>
        <source>(choose a site)</source>
        <translation>（请选择站点）</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>The nominee is checked like those from the ranking: a valid certificate at year end, no failing grade, not flagged unfit, still in post.</source>
        <translation>人工推荐与按排名提名同样审核：年末持有效证书、考评等次不为不合格、未被标记为不能胜任、仍在岗。</translation>
    </message>
    <message>
        <source>Choose a site.</source>
        <translation>请选择站点。</translation>
    </message>
    <message>
        <source>Choose a person.</source>
        <translation>请选择人员。</translation>
    </message>
</context>
<context>
    <name>Awards</name>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Award</source>
        <translation>奖项</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>评选</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>名额</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Nominated</source>
        <translation>提名</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Nominee</source>
        <translation>推荐对象</translation>
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
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>考评得分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等次</translation>
    </message>
    <message>
        <source>County rank</source>
        <translation>全县排名</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>资格</translation>
    </message>
    <message>
        <source>Eligibility note</source>
        <translation>资格审核说明</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>审批日期</translation>
    </message>
    <message>
        <source>Checking the nominees…</source>
        <translation>正在审核推荐对象…</translation>
    </message>
    <message>
        <source>Preparing the award list…</source>
        <translation>正在生成表彰名单…</translation>
    </message>
</context>
<context>
    <name>AwardsView</name>
    <message>
        <source>New campaign…</source>
        <translation>新建评选…</translation>
    </message>
    <message>
        <source>Close campaign…</source>
        <translation>结束评选…</translation>
    </message>
    <message>
        <source>Seed from ranking</source>
        <translation>按考评排名提名</translation>
    </message>
    <message>
        <source>Add nominee…</source>
        <translation>人工推荐…</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>不批准</translation>
    </message>
    <message>
        <source>Decision note (optional)</source>
        <translation>审批意见（可不填）</translation>
    </message>
    <message>
        <source>Honour certificates (PDF)…</source>
        <translation>荣誉证书（PDF）…</translation>
    </message>
    <message>
        <source>Award list (PDF)…</source>
        <translation>表彰名单（PDF）…</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Award campaigns</source>
        <translation>评选表彰</translation>
    </message>
    <message>
        <source>Choose a campaign, or start one with “New campaign…”.</source>
        <translation>请选择一项评选，或点“新建评选…”开始。</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>{0} nominees, {1} eligible, {2} approved; quota {3}</source>
        <translation>提名 {0} 名，符合条件 {1} 名，已批准 {2} 名；名额 {3}</translation>
    </message>
    <message>
        <source>Campaign “{0}” opened.</source>
        <translation>已新建评选“{0}”。</translation>
    </message>
    <message>
        <source>“{0}” closed: {1} awards written into the archives.</source>
        <translation>“{0}”已结束：{1} 项表彰已记入档案。</translation>
    </message>
    <message>
        <source>{0} nominees added from the ranking ({1} not eligible, marked in red).</source>
        <translation>已按考评排名提名 {0} 名（其中 {1} 名不符合条件，以红色标出）。</translation>
    </message>
    <message>
        <source>Everyone the ranking proposes is already nominated.</source>
        <translation>按排名应提名的人员均已在提名名单中。</translation>
    </message>
    <message>
        <source>{0} nominated.</source>
        <translation>已推荐{0}。</translation>
    </message>
    <message>
        <source>Approved: {0}.</source>
        <translation>已批准：{0}。</translation>
    </message>
    <message>
        <source>Rejected: {0}.</source>
        <translation>未批准：{0}。</translation>
    </message>
    <message>
        <source>Nothing was saved. {0}</source>
        <translation>未保存。{0}</translation>
    </message>
    <message>
        <source>Cancelled: nothing was saved.</source>
        <translation>已取消，未保存任何文件。</translation>
    </message>
    <message>
        <source>Saved to {0}</source>
        <translation>已保存到 {0}</translation>
    </message>
    <message>
        <source>Save honour certificates</source>
        <translation>保存荣誉证书</translation>
    </message>
    <message>
        <source>Save the award list</source>
        <translation>保存表彰名单</translation>
    </message>
    <message>
        <source>Export the campaign to Excel</source>
        <translation>导出评选名单到 Excel</translation>
    </message>
    <message>
        <source>Exported to {0}</source>
        <translation>已导出到 {0}</translation>
    </message>
</context>
<context>
    <name>CloseCampaignDialog</name>
    <message>
        <source>Close {0}</source>
        <translation>结束“{0}”</translation>
    </message>
    <message>
        <source>e.g. 青远教字〔2026〕1号</source>
        <translation>如：青远教字〔2026〕1号</translation>
    </message>
    <message>
        <source>{0} approved nominees receive “{1}” in their archive. A closed campaign cannot be changed.</source>
        <translation>已批准的 {0} 名将获得“{1}”并记入档案。评选结束后不能再修改。</translation>
    </message>
    <message>
        <source>Document number</source>
        <translation>表彰文号</translation>
    </message>
    <message>
        <source>Award date</source>
        <translation>表彰日期</translation>
    </message>
    <message>
        <source>Close campaign</source>
        <translation>结束评选</translation>
    </message>
</context>
<context>
    <name>NewCampaignDialog</name>
    <message>
        <source>New award campaign</source>
        <translation>新建评选</translation>
    </message>
    <message>
        <source>e.g. 2025年度优秀站点管理员评选 (filled in when left empty)</source>
        <translation>如：2025年度优秀站点管理员评选（不填则自动生成）</translation>
    </message>
    <message>
        <source>Limit the number of awards</source>
        <translation>限定名额</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Award</source>
        <translation>奖项</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>名额</translation>
    </message>
</context>
</TS>
