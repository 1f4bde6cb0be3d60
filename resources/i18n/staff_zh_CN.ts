<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AssignPostDialog</name>
    <message>
        <source>Assign a post</source>
        <translation>任命岗位</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>任职单位</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>职务类别</translation>
    </message>
    <message>
        <source>A/B post</source>
        <translation>A/B岗</translation>
    </message>
    <message>
        <source>Full/part time</source>
        <translation>专兼职</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>任职日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>{0} (now: {1})</source>
        <translation>{0}（现任：{1}）</translation>
    </message>
    <message>
        <source>{0} (vacant)</source>
        <translation>{0}（空缺）</translation>
    </message>
    <message>
        <source>{0} holds this post since {1}; their post ends on the start date below, with the same reason.</source>
        <translation>{0}自 {1} 起担任此岗位；确定后其岗位于下面的任职日期结束，原因相同。</translation>
    </message>
    <message>
        <source>Required: a change of post needs a reason (R12).</source>
        <translation>必填：岗位变动须填写原因（R12）。</translation>
    </message>
    <message>
        <source>e.g. went to work elsewhere, elected to the village committee</source>
        <translation>例如：外出务工、当选村委会成员</translation>
    </message>
    <message>
        <source>May be left empty for a first appointment (recorded as “新任”).</source>
        <translation>首次任命可不填（记为“新任”）。</translation>
    </message>
    <message>
        <source>Change holder…</source>
        <translation>更换…</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>任命…</translation>
    </message>
    <message>
        <source>Post at {0}</source>
        <translation>{0} 任职</translation>
    </message>
    <message>
        <source>{0}: {1} → ends on {2} (reason: {3})</source>
        <translation>{0}：{1} → 结束于 {2}（原因：{3}）</translation>
    </message>
    <message>
        <source>{0}: new at {1} {2} ({3}, {4}), from {5}</source>
        <translation>{0}：新任 {1} {2}（{3}，{4}），自 {5} 起</translation>
    </message>
    <message>
        <source> (reason: {0})</source>
        <translation>（原因：{0}）</translation>
    </message>
</context>
<context>
    <name>EndPostDialog</name>
    <message>
        <source>End a post</source>
        <translation>结束岗位</translation>
    </message>
    <message>
        <source>{0}: {1} ({2}), since {3}</source>
        <translation>{0}：{1}（{2}），{3} 起</translation>
    </message>
    <message>
        <source>e.g. went to work elsewhere, retired, moved away</source>
        <translation>例如：外出务工、退休、迁出本村</translation>
    </message>
    <message>
        <source>Required (R12): a post ends only with a reason, kept in the history.</source>
        <translation>必填（R12）：结束岗位须填写原因，原因记入历史。</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>离岗日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>End post…</source>
        <translation>结束岗位…</translation>
    </message>
    <message>
        <source>{0}: {1} → ends on {2} (reason: {3})</source>
        <translation>{0}：{1} → 结束于 {2}（原因：{3}）</translation>
    </message>
    <message>
        <source>{0} will then be vacant (R3): appoint a new holder soon.</source>
        <translation>随后 {0} 将空缺（R3），请尽快任命新的管理员。</translation>
    </message>
</context>
<context>
    <name>PersonEditorDialog</name>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Choose a photo</source>
        <translation>选择照片</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Print training record…</source>
        <translation>打印培训记录…</translation>
    </message>
    <message>
        <source>Read only: {0}</source>
        <extracomment>another office owns this person&apos;s record (issue 6, item 3): read-only here, with the owner named</extracomment>
        <translation>只读：{0}</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <source>From – to</source>
        <translation>起止</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>职务类别</translation>
    </message>
    <message>
        <source>A/B</source>
        <translation>A/B岗</translation>
    </message>
    <message>
        <source>Full/part time</source>
        <translation>专兼职</translation>
    </message>
    <message>
        <source>Reason for start</source>
        <translation>任职原因</translation>
    </message>
    <message>
        <source>Reason for end</source>
        <translation>离岗原因</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>学时</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>成绩</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>考核</translation>
    </message>
    <message>
        <source>Lecture hours</source>
        <translation>集中授课学时</translation>
    </message>
    <message>
        <source>Self-study hours</source>
        <translation>自学学时</translation>
    </message>
    <message>
        <source>Total hours</source>
        <translation>合计学时</translation>
    </message>
    <message>
        <source>Trainings</source>
        <translation>培训次数</translation>
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
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>考评</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等次</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Award</source>
        <translation>奖项</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Print personnel file…</source>
        <translation>打印人员档案…</translation>
    </message>
    <message>
        <source>The person&apos;s whole archive as a PDF: personal data with the photo, posts, training, certificates, evaluations, awards</source>
        <translation>此人的完整档案（PDF）：个人信息及照片、任职经历、培训、证书、考评、奖励</translation>
    </message>
    <message>
        <source>Person: {0}</source>
        <translation>人员档案：{0}</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>新增人员</translation>
    </message>
    <message>
        <source>(not entered)</source>
        <translation>（未填）</translation>
    </message>
    <message>
        <source>township manager</source>
        <translation>乡镇站点管理员</translation>
    </message>
    <message>
        <source>village site manager</source>
        <translation>村站点管理员</translation>
    </message>
    <message>
        <source>enterprise site manager</source>
        <translation>非公企业站点管理员</translation>
    </message>
    <message>
        <source>tutor</source>
        <translation>教学辅导员</translation>
    </message>
    <message>
        <source>technician</source>
        <translation>技术服务员</translation>
    </message>
    <message>
        <source>18 characters; birth date and gender are filled in from it</source>
        <translation>18 位；出生日期和性别据此自动填写</translation>
    </message>
    <message>
        <source>from the ID number</source>
        <translation>由身份证号码自动填写</translation>
    </message>
    <message>
        <source>Filled in from the ID number</source>
        <translation>由身份证号码自动填写</translation>
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
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>Political status</source>
        <translation>政治面貌</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>学历</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>人员来源</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <source>Job title</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Import photo…</source>
        <translation>导入照片…</translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>删除照片</translation>
    </message>
    <message>
        <source>1-inch photo, 25×35 mm</source>
        <translation>一寸照片，25×35 毫米</translation>
    </message>
    <message>
        <source>New post…</source>
        <translation>任职…</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>调动…</translation>
    </message>
    <message>
        <source>End post…</source>
        <translation>结束岗位…</translation>
    </message>
    <message>
        <source>Sites served…</source>
        <translation>服务站点…</translation>
    </message>
    <message>
        <source>The sites an open tutor or technician post serves (R4, R5)</source>
        <translation>在岗辅导员或技术员岗位所服务的站点（R4、R5）</translation>
    </message>
    <message>
        <source>Posts change with a date and a reason and stay in the history (R12).</source>
        <translation>岗位变动须有日期和原因，并保留在历史中（R12）。</translation>
    </message>
    <message>
        <source>Hours per year</source>
        <translation>各年度学时</translation>
    </message>
    <message>
        <source>Save the training record</source>
        <translation>保存培训记录</translation>
    </message>
    <message>
        <source>Not printed: {0}</source>
        <translation>未能打印：{0}</translation>
    </message>
    <message>
        <source>Training record saved to {0}</source>
        <translation>培训记录已保存到 {0}</translation>
    </message>
    <message>
        <source>Save the personnel file</source>
        <translation>保存人员档案</translation>
    </message>
    <message>
        <source>Personnel file saved to {0}</source>
        <translation>人员档案已保存到 {0}</translation>
    </message>
    <message>
        <source>Printing the personnel file</source>
        <translation>正在打印人员档案</translation>
    </message>
    <message>
        <source>Left the team on {0}</source>
        <translation>已于 {0} 离开队伍</translation>
    </message>
    <message>
        <source>now</source>
        <translation>至今</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>not passed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>for adjustment</source>
        <translation>需调整</translation>
    </message>
    <message>
        <source>Posts ({0})</source>
        <translation>岗位（{0}）</translation>
    </message>
    <message>
        <source>Training ({0})</source>
        <translation>培训（{0}）</translation>
    </message>
    <message>
        <source>Certificates ({0})</source>
        <translation>证书（{0}）</translation>
    </message>
    <message>
        <source>Evaluations ({0})</source>
        <translation>考评（{0}）</translation>
    </message>
    <message>
        <source>Awards ({0})</source>
        <translation>奖励（{0}）</translation>
    </message>
    <message>
        <source>Audit trail ({0})</source>
        <translation>修改记录（{0}）</translation>
    </message>
    <message>
        <source>Save the person first</source>
        <translation>请先保存人员</translation>
    </message>
    <message>
        <source>Type the 18-character ID number; birth date and gender follow from it.</source>
        <translation>请输入 18 位身份证号码，出生日期和性别将自动填写。</translation>
    </message>
    <message>
        <source>✓ Valid: born {0}, {1}, {2} years old</source>
        <translation>✓ 号码有效：{0} 出生，{1}，{2} 岁</translation>
    </message>
    <message>
        <source>no photo</source>
        <translation>无照片</translation>
    </message>
    <message>
        <source>Cannot read this file as a picture.</source>
        <translation>无法把这个文件读作图片。</translation>
    </message>
</context>
<context>
    <name>PersonPicker</name>
    <message>
        <source>Type a name, pinyin initials or the last digits of the ID number</source>
        <extracomment>service field name → the key of the field whose error label shows it</extracomment>
        <translation>输入姓名、拼音首字母或身份证号后几位</translation>
    </message>
    <message>
        <source>(choose a person)</source>
        <translation>（请选择人员）</translation>
    </message>
    <message>
        <source>(nobody found)</source>
        <translation>（没有找到）</translation>
    </message>
</context>
<context>
    <name>PhotoCropDialog</name>
    <message>
        <source>Crop photo (1 inch, 25×35 mm)</source>
        <translation>裁剪照片（一寸，25×35 毫米）</translation>
    </message>
    <message>
        <source>Drag the frame to move it; drag a corner or turn the mouse wheel to resize it. The frame keeps the 25:35 shape of a 1-inch photo.</source>
        <translation>拖动方框选择头像位置；拖动四角或滚动鼠标滚轮调整大小。方框保持一寸照片 25:35 的比例。</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>效果</translation>
    </message>
    <message>
        <source>{0}×{1} px of the picture → {2}×{3} px</source>
        <translation>原图 {0}×{1} 像素 → {2}×{3} 像素</translation>
    </message>
</context>
<context>
    <name>ServedSitesDialog</name>
    <message>
        <source>Sites served</source>
        <translation>服务站点</translation>
    </message>
    <message>
        <source>Filter by site, township or code</source>
        <translation>按站点、乡镇或代码筛选</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Check shown</source>
        <translation>勾选所列</translation>
    </message>
    <message>
        <source>Uncheck shown</source>
        <translation>取消所列</translation>
    </message>
    <message>
        <source>{0} — {1} at {2}. Check the sites this post serves (R4, R5).</source>
        <translation>{0}——{2}{1}。请勾选该岗位服务的站点（R4、R5）。</translation>
    </message>
    <message>
        <source>{0} (deactivated)</source>
        <translation>{0}（已停用）</translation>
    </message>
    <message>
        <source>There are no active sites this post could serve.</source>
        <translation>没有该岗位可以服务的启用站点。</translation>
    </message>
    <message>
        <source>{0} of {1} checked</source>
        <translation>已选 {0} / {1}</translation>
    </message>
    <message>
        <source>{0} sites checked</source>
        <translation>已选 {0} 个站点</translation>
    </message>
</context>
<context>
    <name>TransferPostDialog</name>
    <message>
        <source>Transfer</source>
        <translation>调动</translation>
    </message>
    <message>
        <source>{0}: {1} ({2}), since {3}</source>
        <translation>{0}：{1}（{2}），{3} 起</translation>
    </message>
    <message>
        <source>e.g. needed at another village</source>
        <translation>例如：工作需要调往他村</translation>
    </message>
    <message>
        <source>Required (R12): a change of post needs a reason, kept in the history.</source>
        <translation>必填（R12）：岗位变动须填写原因，原因记入历史。</translation>
    </message>
    <message>
        <source>To unit</source>
        <translation>调入单位</translation>
    </message>
    <message>
        <source>A/B post</source>
        <translation>A/B岗</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>调动日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>调动…</translation>
    </message>
    <message>
        <source>{0} (now: {1})</source>
        <translation>{0}（现任：{1}）</translation>
    </message>
    <message>
        <source>{0} (vacant)</source>
        <translation>{0}（空缺）</translation>
    </message>
    <message>
        <source>{0} is held by {1}: end or transfer that post first.</source>
        <translation>{0}现由{1}担任：请先结束或调动其岗位。</translation>
    </message>
    <message>
        <source>{0}: {1} → ends on {2} (reason: {3})</source>
        <translation>{0}：{1} → 结束于 {2}（原因：{3}）</translation>
    </message>
    <message>
        <source>{0}: new at {1} {2} ({3}, {4}), from {5}</source>
        <translation>{0}：新任 {1} {2}（{3}，{4}），自 {5} 起</translation>
    </message>
    <message>
        <source> (reason: {0})</source>
        <translation>（原因：{0}）</translation>
    </message>
</context>
</TS>
