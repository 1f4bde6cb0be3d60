<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CertTemplates</name>
    <message>
        <source>PDF files (*.pdf)</source>
        <extracomment>(parent, title, filter) → path (parent, title, suggested name) → path (parent, title, text)</extracomment>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The file could not be read or written: {0}</source>
        <translation>无法读写文件：{0}</translation>
    </message>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
</context>
<context>
    <name>PrintersView</name>
    <message>
        <source>A4 landscape, 297 × 210 mm (plain paper)</source>
        <extracomment>Calibration page sizes: A4 landscape (plain-paper certificates) and a booklet&apos;s inner page.</extracomment>
        <translation>A4 横向，297 × 210 mm（普通纸）</translation>
    </message>
    <message>
        <source>Booklet inner page, 190 × 130 mm</source>
        <translation>证书内页，190 × 130 mm</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>Compute the correction</source>
        <translation>计算校正值</translation>
    </message>
    <message>
        <source>Print calibration page…</source>
        <translation>打印校准页…</translation>
    </message>
    <message>
        <source>Save calibration page as PDF…</source>
        <translation>将校准页另存为 PDF…</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>保存配置</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>删除配置</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>x offset</source>
        <translation>X 偏移</translation>
    </message>
    <message>
        <source>y offset</source>
        <translation>Y 偏移</translation>
    </message>
    <message>
        <source>x scale</source>
        <translation>X 比例</translation>
    </message>
    <message>
        <source>y scale</source>
        <translation>Y 比例</translation>
    </message>
    <message>
        <source>How to calibrate a printer:
1. Choose the printer and the paper, set all corrections to zero and print the calibration page at actual size (no “fit to page”).
2. With a ruler, measure the centre of the top-left crosshair (drawn 20 mm from the left and top edges): its distance from the paper&apos;s left edge and from its top edge.
3. Measure the distance between the centres of the two top crosshairs (left–right) and of the two left crosshairs (top–bottom); leave them empty if you have no long ruler.
4. Enter the measurements, press “Compute the correction”, then “Save profile”.
5. Print the page again: every crosshair should now sit on its printed coordinates within 0.5 mm.</source>
        <translation>如何校准打印机：
1. 选择打印机和纸张，把各项校正值设为 0，按“实际大小”打印校准页（不要选“适合页面”）。
2. 用尺子量左上角十字的中心（画在距左边和上边各 20 mm 处）到纸张左边和上边的距离。
3. 量上方左右两个十字中心之间的距离，以及左侧上下两个十字中心之间的距离；没有长尺子可以不填。
4. 填入量得的数值，点“计算校正值”，再点“保存配置”。
5. 再打印一次校准页：每个十字都应落在所标坐标上，误差不超过 0.5 mm。</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>校正值</translation>
    </message>
    <message>
        <source>x offset (right +)</source>
        <translation>X 偏移（向右为正）</translation>
    </message>
    <message>
        <source>y offset (down +)</source>
        <translation>Y 偏移（向下为正）</translation>
    </message>
    <message>
        <source>Measured on the printed calibration page</source>
        <translation>在打印出的校准页上量得</translation>
    </message>
    <message>
        <source>Top-left crosshair from the left edge</source>
        <translation>左上角十字到纸张左边</translation>
    </message>
    <message>
        <source>Top-left crosshair from the top edge</source>
        <translation>左上角十字到纸张上边</translation>
    </message>
    <message>
        <source>Saved profiles on this computer</source>
        <translation>本机已保存的打印机配置</translation>
    </message>
    <message>
        <source>Between the top crosshairs (drawn {0} mm apart)</source>
        <translation>上方两个十字之间（应为 {0} mm）</translation>
    </message>
    <message>
        <source>Between the left crosshairs (drawn {0} mm apart)</source>
        <translation>左侧两个十字之间（应为 {0} mm）</translation>
    </message>
    <message>
        <source>Correction computed. Save the profile, then print the calibration page again to check it.</source>
        <translation>已计算校正值。请保存配置，再打印一次校准页检查。</translation>
    </message>
    <message>
        <source>Profile of “{0}” saved on this computer.</source>
        <translation>已在本机保存打印机“{0}”的配置。</translation>
    </message>
    <message>
        <source>Profile of “{0}” deleted; it prints without correction.</source>
        <translation>已删除打印机“{0}”的配置，今后打印不再校正。</translation>
    </message>
    <message>
        <source>“{0}” has no saved profile.</source>
        <translation>打印机“{0}”没有保存的配置。</translation>
    </message>
    <message>
        <source>Save calibration page as PDF</source>
        <translation>将校准页另存为 PDF</translation>
    </message>
    <message>
        <source>calibration page.pdf</source>
        <translation>打印校准页.pdf</translation>
    </message>
    <message>
        <source>Saved {0}. Print it at actual size (100 %).</source>
        <translation>已保存 {0}。请按实际大小（100%）打印。</translation>
    </message>
    <message>
        <source>Calibration page</source>
        <translation>打印校准页</translation>
    </message>
    <message>
        <source>Calibration page sent to “{0}”. Measure it with a ruler.</source>
        <translation>校准页已发送到“{0}”。请用尺子测量。</translation>
    </message>
    <message>
        <source>Printing the calibration page</source>
        <translation>正在打印校准页</translation>
    </message>
</context>
<context>
    <name>QtPrint</name>
    <message>
        <source>Preparing the printer…</source>
        <translation>正在准备打印机…</translation>
    </message>
    <message>
        <source>Printing page {0} of {1}</source>
        <translation>正在打印第 {0} 页，共 {1} 页</translation>
    </message>
</context>
<context>
    <name>TemplateEditorDialog</name>
    <message>
        <source>Certificate template: {0}</source>
        <extracomment>One sample certificate: a long name with rare characters (CJK Ext B and Ext A, from the two fonts) and a long unit, so shrink-to-fit shows in the preview.</extracomment>
        <translation>证书模板：{0}</translation>
    </message>
    <message>
        <source>e.g. On-duty certificate, A4 plain paper</source>
        <translation>例如：上岗证书，A4 普通纸</translation>
    </message>
    <message>
        <source>Kind: {0} · version {1}</source>
        <translation>类别：{0} · 第 {1} 版</translation>
    </message>
    <message>
        <source>Kind: {0} · new template</source>
        <translation>类别：{0} · 新模板</translation>
    </message>
    <message>
        <source>Plain paper (everything printed)</source>
        <translation>普通纸（全部打印）</translation>
    </message>
    <message>
        <source>Pre-printed booklet (fields only)</source>
        <translation>预印证书（只打印填写内容）</translation>
    </message>
    <message>
        <source>Element</source>
        <translation>元素</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>w</source>
        <translation>宽</translation>
    </message>
    <message>
        <source>h</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Add element</source>
        <translation>添加元素</translation>
    </message>
    <message>
        <source>Remove element</source>
        <translation>删除元素</translation>
    </message>
    <message>
        <source>text (one line)</source>
        <translation>文字（单行）</translation>
    </message>
    <message>
        <source>paragraph (wrapped)</source>
        <translation>段落（自动换行）</translation>
    </message>
    <message>
        <source>photo (1-inch)</source>
        <translation>照片（一寸）</translation>
    </message>
    <message>
        <source>seal image</source>
        <translation>印章图片</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>二维码</translation>
    </message>
    <message>
        <source>frame</source>
        <translation>边框</translation>
    </message>
    <message>
        <source>line</source>
        <translation>直线</translation>
    </message>
    <message>
        <source>Text; {name} and the like are filled in</source>
        <translation>文字；{name} 等字段会自动填入</translation>
    </message>
    <message>
        <source>Insert a field…</source>
        <translation>插入字段…</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source> characters</source>
        <translation> 字</translation>
    </message>
    <message>
        <source>left</source>
        <translation>左对齐</translation>
    </message>
    <message>
        <source>centre</source>
        <translation>居中</translation>
    </message>
    <message>
        <source>right</source>
        <translation>右对齐</translation>
    </message>
    <message>
        <source>Part of the printed design (not printed on pre-printed stock)</source>
        <translation>属于印刷版面（预印证书上不打印）</translation>
    </message>
    <message>
        <source>Saving makes a new version of this template. Certificates already issued keep the layout they were issued with and print exactly as before.</source>
        <translation>保存后生成该模板的新版本。已发的证书保留发证时的版面，重印时与原来完全一样。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Page size</source>
        <translation>纸张尺寸</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>标识</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>shrinks down to</source>
        <translation>最小缩到</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>first-line indent</source>
        <translation>首行缩进</translation>
    </message>
    <message>
        <source>Letter spacing</source>
        <translation>字间距</translation>
    </message>
    <message>
        <source>Alignment</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>Another element is already called “{0}”.</source>
        <translation>已有一个元素叫“{0}”。</translation>
    </message>
    <message>
        <source>Give the template a name.</source>
        <translation>请填写模板名称。</translation>
    </message>
</context>
<context>
    <name>TemplatesView</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Page size</source>
        <translation>纸张尺寸</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫描底图</translation>
    </message>
    <message>
        <source>New from default (plain paper)</source>
        <translation>按默认新建（普通纸）</translation>
    </message>
    <message>
        <source>New from default (pre-printed booklet)</source>
        <translation>按默认新建（预印证书）</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Set as default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <source>Load scan of blank stock…</source>
        <translation>载入空白证书扫描图…</translation>
    </message>
    <message>
        <source>Remove scan</source>
        <translation>移除扫描图</translation>
    </message>
    <message>
        <source>The default template of each kind is used when certificates are issued. Editing a template saves a new version; certificates already issued keep their layout. A scan of the blank booklet is only shown under the fields in the preview.</source>
        <translation>发证时使用各类证书的默认模板。编辑模板会保存为新版本，已发的证书保留原版面。空白证书的扫描图只在预览中显示于填写内容之下，不会打印。</translation>
    </message>
    <message>
        <source>Certificate kind</source>
        <translation>证书类别</translation>
    </message>
    <message>
        <source>plain paper</source>
        <translation>普通纸</translation>
    </message>
    <message>
        <source>pre-printed booklet</source>
        <translation>预印证书</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>有</translation>
    </message>
    <message>
        <source>Saved “{0}”, version {1}.</source>
        <translation>已保存“{0}”，第 {1} 版。</translation>
    </message>
    <message>
        <source>{0}, A4 plain paper</source>
        <translation>{0}，A4 普通纸</translation>
    </message>
    <message>
        <source>{0}, pre-printed booklet</source>
        <translation>{0}，预印证书</translation>
    </message>
    <message>
        <source>{0} (copy)</source>
        <translation>{0}（副本）</translation>
    </message>
    <message>
        <source>Made “{0}”.</source>
        <translation>已生成“{0}”。</translation>
    </message>
    <message>
        <source>“{0}” is now used for new certificates.</source>
        <translation>今后发证使用“{0}”。</translation>
    </message>
    <message>
        <source>Scan of the blank stock</source>
        <translation>空白证书扫描图</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>The scan {0} is larger than 20 MB; scan at 150–300 dpi.</source>
        <translation>扫描图 {0} 超过 20 MB，请用 150–300 dpi 扫描。</translation>
    </message>
    <message>
        <source>{0} is not an image this program can read (use PNG or JPEG).</source>
        <translation>{0} 不是本程序能读取的图片（请用 PNG 或 JPEG）。</translation>
    </message>
    <message>
        <source>The scan is shown under the fields of “{0}” in the editor.</source>
        <translation>编辑“{0}”时将在填写内容下显示该扫描图。</translation>
    </message>
    <message>
        <source>Scan removed.</source>
        <translation>已移除扫描图。</translation>
    </message>
</context>
</TS>
