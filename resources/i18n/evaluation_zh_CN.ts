<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Evaluation</name>
    <message>
        <source>score</source>
        <extracomment>(parent, title, text) → True when the clerk answers Yes. (parent, title, text) → &quot;save&quot;, &quot;discard&quot; or &quot;cancel&quot;. (parent, title, label) → the text typed, or None when cancelled. (parent, title, label, proposed year) → the year chosen, or None when cancelled. (parent, title, suggested file name, filter) → the chosen path, or None when cancelled. a cell changed and not yet saved a value the save will refuse a cell filled from the data (read-only) The item kinds of a rubric, in the order offered.</extracomment>
        <translation>评分项</translation>
    </message>
    <message>
        <source>deduction</source>
        <translation>扣分项</translation>
    </message>
    <message>
        <source>bonus</source>
        <translation>加分项</translation>
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
    <name>EvaluationGrid</name>
    <message>
        <source>Name</source>
        <extracomment>Name and unit, then the live total and grade (kept in view beside the name while typing), then the items. Something was edited (or saved): the tab updates its summary and Save button. one past the last item column</extracomment>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
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
        <source>max {0}</source>
        <translation>满分 {0}</translation>
    </message>
    <message>
        <source>deduct up to {0}</source>
        <translation>最多扣 {0}</translation>
    </message>
    <message>
        <source>bonus up to {0}</source>
        <translation>最多加 {0}</translation>
    </message>
    <message>
        <source>Filled automatically from the data; read-only</source>
        <translation>根据数据自动计算，不能手工修改</translation>
    </message>
    <message>
        <source>{0} · {1}: at most {2} points</source>
        <translation>{0}的“{1}”最多 {2} 分</translation>
    </message>
    <message>
        <source>{0} · {1} ({2})</source>
        <translation>{0} · {1}（{2}）</translation>
    </message>
</context>
<context>
    <name>EvaluationPage</name>
    <message>
        <source>Open a new year&apos;s round…</source>
        <translation>开始新年度考评…</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Round settings</source>
        <translation>考评设置</translation>
    </message>
    <message>
        <source>Top-grade quota</source>
        <translation>优秀比例上限</translation>
    </message>
    <message>
        <source>At most this share of each township&apos;s evaluated may get the top grade</source>
        <translation>每个乡镇参评人员中评为优秀的最多占此比例</translation>
    </message>
    <message>
        <source>Apply settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Close round…</source>
        <translation>关闭考评…</translation>
    </message>
    <message>
        <source>Reopen round…</source>
        <translation>重新开启…</translation>
    </message>
    <message>
        <source>Round name</source>
        <translation>考评名称</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>等次用语</translation>
    </message>
    <message>
        <source>Thresholds (at least)</source>
        <translation>分数线（不低于）</translation>
    </message>
    <message>
        <source>No yearly evaluation yet: open a new year&apos;s round to begin.</source>
        <translation>还没有年度考评：请先开始新年度考评。</translation>
    </message>
    <message>
        <source>Rubrics</source>
        <translation>考评细则</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Awards</source>
        <translation>评优表彰</translation>
    </message>
    <message>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>{0} · {1} ({2})</source>
        <translation>{0} · {1}（{2}）</translation>
    </message>
    <message>
        <source>Open · {0} evaluated</source>
        <translation>进行中 · 已考评 {0} 人</translation>
    </message>
    <message>
        <source>Closed · {0} evaluated · read-only, nothing is recomputed</source>
        <translation>已关闭 · 已考评 {0} 人 · 只读，不再重新计算</translation>
    </message>
    <message>
        <source>Award campaigns are not available in this version.</source>
        <translation>此版本没有评优表彰功能。</translation>
    </message>
    <message>
        <source>Open a new year&apos;s round</source>
        <translation>开始新年度考评</translation>
    </message>
    <message>
        <source>Year to evaluate</source>
        <translation>考评年度</translation>
    </message>
    <message>
        <source>No round was opened. {0}</source>
        <translation>未开始考评。{0}</translation>
    </message>
    <message>
        <source>The {0} round is open with its rubrics; enter the scores or compute the automatic indicators.</source>
        <translation>{0}年度考评已开始，考评细则已建立；请录入得分或计算自动指标。</translation>
    </message>
    <message>
        <source>Settings not saved. {0}</source>
        <translation>设置未保存。{0}</translation>
    </message>
    <message>
        <source>Settings of the {0} round saved: thresholds {1}.</source>
        <translation>{0}年度考评设置已保存：分数线 {1}。</translation>
    </message>
    <message>
        <source>Close the {0} round? Its rubrics, scores, grades and ranks become read-only and are never recomputed; reopening needs a reason.</source>
        <translation>关闭{0}年度考评？关闭后考评细则、得分、等次和排名均为只读，不再重新计算；重新开启须说明原因。</translation>
    </message>
    <message>
        <source>Close round</source>
        <translation>关闭考评</translation>
    </message>
    <message>
        <source>Not closed. {0}</source>
        <translation>未关闭。{0}</translation>
    </message>
    <message>
        <source>The {0} round is closed.</source>
        <translation>{0}年度考评已关闭。</translation>
    </message>
    <message>
        <source>Reopen round</source>
        <translation>重新开启考评</translation>
    </message>
    <message>
        <source>Why is the {0} round reopened? (kept in the audit log)</source>
        <translation>重新开启{0}年度考评的原因（记入操作日志）：</translation>
    </message>
    <message>
        <source>Not reopened. {0}</source>
        <translation>未重新开启。{0}</translation>
    </message>
    <message>
        <source>The {0} round is open again.</source>
        <translation>{0}年度考评已重新开启。</translation>
    </message>
</context>
<context>
    <name>EvaluationResults</name>
    <message>
        <source>Rank (township)</source>
        <extracomment>(evaluation id, unfit) → True when the flag was stored.</extracomment>
        <translation>乡镇排名</translation>
    </message>
    <message>
        <source>Rank (county)</source>
        <translation>全县排名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Evaluated as</source>
        <translation>考评对象</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
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
        <source>Cannot do the job</source>
        <translation>不胜任</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>录入完整</translation>
    </message>
    <message>
        <source>Flagged for adjustment (R14); set automatically for the lowest grade, and by hand</source>
        <translation>标记为不胜任现岗位、建议调整（R14）；评为最低等次时自动标记，也可手工标记</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>EvaluationRubric</name>
    <message>
        <source>Code</source>
        <extracomment>the kind&apos;s or indicator&apos;s code behind its label</extracomment>
        <translation>编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考评内容</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Max points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Weight %</source>
        <translation>权重 %</translation>
    </message>
    <message>
        <source>Automatic indicator</source>
        <translation>自动指标</translation>
    </message>
    <message>
        <source>entered by hand</source>
        <translation>手工录入</translation>
    </message>
    <message>
        <source>New item</source>
        <translation>新项目</translation>
    </message>
</context>
<context>
    <name>ResultsOutput</name>
    <message>
        <source>Not available in this version</source>
        <translation>此版本没有该功能</translation>
    </message>
    <message>
        <source>Every target of the year, one sheet each</source>
        <translation>本年度各类考评对象，每类一个工作表</translation>
    </message>
    <message>
        <source>Select the evaluations to print first.</source>
        <translation>请先选择要打印的考评。</translation>
    </message>
    <message>
        <source>Evaluation forms {0}</source>
        <translation>{0}年度考评表</translation>
    </message>
    <message>
        <source>Evaluation form {0} {1}</source>
        <translation>{0}年度考评表 {1}</translation>
    </message>
    <message>
        <source>Save the evaluation forms</source>
        <translation>保存年度考评表</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Preparing {0} forms…</source>
        <translation>正在准备 {0} 份考评表…</translation>
    </message>
    <message>
        <source>Form {0} of {1}</source>
        <translation>第 {0}/{1} 份考评表</translation>
    </message>
    <message>
        <source>Nothing was written. {0}</source>
        <translation>未写入任何文件。{0}</translation>
    </message>
    <message>
        <source>{0} forms saved to {1}</source>
        <translation>{0} 份考评表已保存到 {1}</translation>
    </message>
    <message>
        <source>Printing the evaluation forms</source>
        <translation>正在生成年度考评表</translation>
    </message>
    <message>
        <source>Evaluation results {0}</source>
        <translation>{0}年度考评结果</translation>
    </message>
    <message>
        <source>Export the evaluation results</source>
        <translation>导出考评结果</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Writing {0}…</source>
        <translation>正在写入 {0}…</translation>
    </message>
    <message>
        <source>{0} results saved to {1}</source>
        <translation>{0} 条考评结果已保存到 {1}</translation>
    </message>
    <message>
        <source>Exporting the evaluation results</source>
        <translation>正在导出考评结果</translation>
    </message>
</context>
<context>
    <name>ResultsTab</name>
    <message>
        <source>Forms of the selection (PDF)…</source>
        <extracomment>An evaluation changed here (unfit flag, texts): the page notifies the other pages. id → (self-summary, opinion), read when needed</extracomment>
        <translation>打印所选考评表（PDF）…</translation>
    </message>
    <message>
        <source>Forms of all shown (PDF)…</source>
        <translation>打印列表中全部考评表（PDF）…</translation>
    </message>
    <message>
        <source>Export results (.xlsx)…</source>
        <translation>导出结果（.xlsx）…</translation>
    </message>
    <message>
        <source>Evaluated</source>
        <translation>考评对象</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等次</translation>
    </message>
    <message>
        <source>Selected evaluation</source>
        <translation>所选考评</translation>
    </message>
    <message>
        <source>The person&apos;s own summary of the year</source>
        <translation>本人的年度工作总结</translation>
    </message>
    <message>
        <source>The evaluating office&apos;s opinion</source>
        <translation>考评单位意见</translation>
    </message>
    <message>
        <source>Save texts</source>
        <translation>保存总结和意见</translation>
    </message>
    <message>
        <source>Self-summary</source>
        <translation>个人总结</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>单位意见</translation>
    </message>
    <message>
        <source>All grades</source>
        <translation>全部等次</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>{0} shown, {1} flagged as unable to do the job</source>
        <translation>共 {0} 条，其中 {1} 人标记为不胜任</translation>
    </message>
    <message>
        <source>Not changed. {0}</source>
        <translation>未修改。{0}</translation>
    </message>
    <message>
        <source>{0} flagged as unable to do the job (for adjustment).</source>
        <translation>已将{0}标记为不胜任现岗位（建议调整）。</translation>
    </message>
    <message>
        <source>{0} no longer flagged.</source>
        <translation>已取消{0}的不胜任标记。</translation>
    </message>
    <message>
        <source>{0} · {1} · {2}: {3} {4}</source>
        <translation>{0} · {1} · {2}：{3} 分 {4}</translation>
    </message>
    <message>
        <source>Select one evaluation to see and edit its texts.</source>
        <translation>选择一条考评，查看和填写个人总结与单位意见。</translation>
    </message>
    <message>
        <source>Not saved. {0}</source>
        <translation>未保存。{0}</translation>
    </message>
    <message>
        <source>Self-summary and opinion saved.</source>
        <translation>个人总结和单位意见已保存。</translation>
    </message>
</context>
<context>
    <name>RubricTab</name>
    <message>
        <source>Evaluated</source>
        <extracomment>The rubric was saved (and perhaps the round recomputed): the page refreshes grid and results.</extracomment>
        <translation>考评对象</translation>
    </message>
    <message>
        <source>Rubric name</source>
        <translation>细则名称</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>添加项目</translation>
    </message>
    <message>
        <source>Remove item</source>
        <translation>删除项目</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Save rubric</source>
        <translation>保存考评细则</translation>
    </message>
    <message>
        <source>The round is closed: its rubrics are read-only (reopen the round to change them).</source>
        <translation>本年度考评已关闭：考评细则只读（重新开启后才能修改）。</translation>
    </message>
    <message>
        <source>Unsaved rubric</source>
        <translation>考评细则未保存</translation>
    </message>
    <message>
        <source>The rubric has unsaved changes. Save them first?</source>
        <translation>考评细则有未保存的修改，先保存吗？</translation>
    </message>
    <message>
        <source>version {0}</source>
        <translation>第 {0} 版</translation>
    </message>
    <message>
        <source>Weights of the score items: {0}%</source>
        <translation>评分项权重合计：{0}%</translation>
    </message>
    <message>
        <source>Nothing was saved. {0}</source>
        <translation>未保存。{0}</translation>
    </message>
    <message>
        <source>{0} evaluations under this rubric already have scores. Saving the changed rubric recomputes their totals, grades and ranks (and the ranks of the whole round).

Save and recompute?</source>
        <translation>按此细则已有 {0} 份考评录入了得分。保存修改后的细则将重新计算这些考评的总分、等次和排名（以及全年度的排名）。

保存并重新计算吗？</translation>
    </message>
    <message>
        <source>Recompute evaluations</source>
        <translation>重新计算考评</translation>
    </message>
    <message>
        <source>Not saved: the evaluations were left as they are.</source>
        <translation>未保存：考评结果保持不变。</translation>
    </message>
    <message>
        <source>Rubric saved as version {0}.</source>
        <translation>考评细则已保存为第 {0} 版。</translation>
    </message>
</context>
<context>
    <name>ScoreTab</name>
    <message>
        <source>Compute automatic indicators…</source>
        <extracomment>(rows, columns) to move by after a commit Scores were saved or computed: the page refreshes the results and notifies the other pages. the day scoring counts up to (None: the service&apos;s own)</extracomment>
        <translation>计算自动指标…</translation>
    </message>
    <message>
        <source>Fill the grey cells from the year&apos;s training, activities, faults, certificates and posts, and add everyone still missing</source>
        <translation>根据本年度的培训、活动、故障、证书和任职数据填写灰色单元格，并补充尚未参评的人员</translation>
    </message>
    <message>
        <source>Save scores</source>
        <translation>保存得分</translation>
    </message>
    <message>
        <source>Type a number in a white cell · Enter: next row · Tab: next item · Delete clears · grey cells are filled from the data</source>
        <translation>在白色单元格输入分数 · 回车：下一行 · Tab：下一项 · Delete 清除 · 灰色单元格由数据自动计算</translation>
    </message>
    <message>
        <source>Evaluated</source>
        <translation>考评对象</translation>
    </message>
    <message>
        <source>Unsaved scores</source>
        <translation>得分未保存</translation>
    </message>
    <message>
        <source>The score grid has unsaved changes. Save them first?</source>
        <translation>评分表有未保存的修改，先保存吗？</translation>
    </message>
    <message>
        <source>Open a year&apos;s round to enter scores.</source>
        <translation>请先开始年度考评，再录入得分。</translation>
    </message>
    <message>
        <source>Nobody is evaluated here yet: “Compute automatic indicators” adds everyone who held a post of this kind during the year.</source>
        <translation>这里还没有参评人员：“计算自动指标”会加入本年度担任过此类岗位的所有人员。</translation>
    </message>
    <message>
        <source>Unit: {0}</source>
        <translation>单位：{0}</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>全部单位</translation>
    </message>
    <message>
        <source>{0} evaluated · {1} complete · {2} manual score cells still empty</source>
        <translation>参评 {0} 人 · 录入完整 {1} 人 · 还有 {2} 个手工评分项未录入</translation>
    </message>
    <message>
        <source>the round is closed: read-only</source>
        <translation>本年度考评已关闭，只读</translation>
    </message>
    <message>
        <source>{0} cells changed, not saved</source>
        <translation>{0} 个单元格已修改，尚未保存</translation>
    </message>
    <message>
        <source>Refused: {0}</source>
        <translation>不能接受：{0}</translation>
    </message>
    <message>
        <source>Nothing was saved. {0}</source>
        <translation>未保存。{0}</translation>
    </message>
    <message>
        <source>Saved: {0} scores; totals, grades and ranks recomputed.</source>
        <translation>已保存 {0} 项得分；总分、等次和排名已重新计算。</translation>
    </message>
    <message>
        <source>Computed: {0} evaluated, {1} complete. {2}</source>
        <translation>计算完成：参评 {0} 人，录入完整 {1} 人。{2}</translation>
    </message>
    <message>
        <source>Nothing was computed. {0}</source>
        <translation>未计算。{0}</translation>
    </message>
    <message>
        <source>Computing the automatic indicators</source>
        <translation>正在计算自动指标</translation>
    </message>
</context>
</TS>
