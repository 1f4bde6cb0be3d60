<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BackupToDialog</name>
    <message>
        <source>Back up to USB</source>
        <translation>备份到U盘</translation>
    </message>
    <message>
        <source>Insert the USB stick and choose it (or a folder on it). The whole database is copied, checked, and its checksum written beside it.</source>
        <translation>插入U盘后选择它（或U盘上的一个文件夹）。整个数据库会被复制、检查，并在旁边写入校验值。</translation>
    </message>
    <message>
        <source>e.g. E:\</source>
        <translation>例如 E:\</translation>
    </message>
    <message>
        <source>Back up to</source>
        <translation>备份到</translation>
    </message>
    <message>
        <source>Back up</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose the USB stick or a folder</source>
        <translation>选择U盘或文件夹</translation>
    </message>
    <message>
        <source>Choose the USB stick or a folder first.</source>
        <translation>请先选择U盘或文件夹。</translation>
    </message>
    <message>
        <source>The backup was written and read back without errors.</source>
        <translation>备份已写入，并已读回核对无误。</translation>
    </message>
    <message>
        <source>File: {0} ({1})</source>
        <translation>文件：{0}（{1}）</translation>
    </message>
    <message>
        <source>Holds: {0} people, {1} sites, {2} certificates.</source>
        <translation>内含：人员 {0} 人，站点 {1} 个，证书 {2} 本。</translation>
    </message>
    <message>
        <source>SHA-256: {0}</source>
        <translation>SHA-256 校验值：{0}</translation>
    </message>
    <message>
        <source>It is now safe to remove the USB stick. Keep it somewhere other than this computer.</source>
        <translation>现在可以安全拔出U盘。请把它存放在这台电脑以外的地方。</translation>
    </message>
    <message>
        <source>Nothing was backed up. {0}</source>
        <translation>没有备份。{0}</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <source>daily automatic backup</source>
        <translation>每日自动备份</translation>
    </message>
    <message>
        <source>manual backup</source>
        <translation>手动备份</translation>
    </message>
    <message>
        <source>backup to USB</source>
        <translation>U盘备份</translation>
    </message>
    <message>
        <source>before a sync import</source>
        <translation>同步导入前</translation>
    </message>
    <message>
        <source>before a roster import</source>
        <translation>花名册导入前</translation>
    </message>
    <message>
        <source>before issuing certificates</source>
        <translation>批量发证前</translation>
    </message>
    <message>
        <source>before evaluation scoring</source>
        <translation>考评计分前</translation>
    </message>
    <message>
        <source>the database replaced by a restore</source>
        <translation>恢复时被替换的数据库</translation>
    </message>
    <message>
        <source>before a program upgrade</source>
        <translation>程序升级前</translation>
    </message>
    <message>
        <source>a damaged database, kept as it was</source>
        <translation>已损坏的数据库（原样保存）</translation>
    </message>
    <message>
        <source>a copy from elsewhere</source>
        <translation>其他来源的副本</translation>
    </message>
    <message>
        <source>county office</source>
        <translation>县远程办</translation>
    </message>
    <message>
        <source>township office</source>
        <translation>乡镇远程办</translation>
    </message>
    <message>
        <source>The file {0} could not be read or written: {1}</source>
        <translation>无法读写文件 {0}：{1}</translation>
    </message>
    <message>
        <source>Unexpected error ({0}): {1}</source>
        <translation>意外错误（{0}）：{1}</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Choose a backup. What it holds is shown before anything is replaced; the current database is kept as a backup itself.</source>
        <translation>请选择一个备份。替换之前会先显示它的内容；当前数据库也会先另存为备份。</translation>
    </message>
    <message>
        <source>Backups are in the data folder&apos;s &quot;backups&quot; folder, or on the USB stick</source>
        <translation>备份在数据目录的“backups”文件夹里，或在U盘上</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Schema revision</source>
        <translation>数据库版本</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Training sessions</source>
        <translation>培训课次</translation>
    </message>
    <message>
        <source>Site activities</source>
        <translation>站点活动</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose a backup</source>
        <translation>选择备份</translation>
    </message>
    <message>
        <source>Database backups (*.sqlite3 *.db);;All files (*)</source>
        <translation>数据库备份 (*.sqlite3 *.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading the backup…</source>
        <translation>正在读取备份…</translation>
    </message>
    <message>
        <source>checksum matches</source>
        <translation>校验值一致</translation>
    </message>
    <message>
        <source>(office not set up)</source>
        <translation>（尚未设置单位）</translation>
    </message>
    <message>
        <source>This backup belongs to another office ({0} {1}), not to this computer&apos;s office ({2} {3}).</source>
        <translation>注意：这个备份属于另一个单位（{0} {1}），不是本机的单位（{2} {3}）。</translation>
    </message>
    <message>
        <source>The backup is sound. Restoring replaces everything in the current database with what it holds.</source>
        <translation>备份完好。恢复会用它的内容替换当前数据库的全部内容。</translation>
    </message>
    <message>
        <source>This file cannot be restored. {0}</source>
        <translation>这个文件不能用于恢复。{0}</translation>
    </message>
    <message>
        <source>Replace the current database with the backup of {0} ({1} people, {2} sites)?</source>
        <translation>用 {0} 的备份（人员 {1} 人，站点 {2} 个）替换当前数据库吗？</translation>
    </message>
    <message>
        <source>The current database is first kept as a backup, so this can be undone by restoring that one.</source>
        <translation>当前数据库会先另存为备份；如需撤销，恢复那个备份即可。</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>(there was no database to keep)</source>
        <translation>（原来没有数据库）</translation>
    </message>
    <message>
        <source>Restored the backup of {0}.</source>
        <translation>已恢复 {0} 的备份。</translation>
    </message>
    <message>
        <source>The database it replaced is kept as: {0}</source>
        <translation>被替换的数据库已另存为：{0}</translation>
    </message>
    <message>
        <source>The restored database is open now. If a page still shows old figures, restart the program.</source>
        <translation>恢复的数据库已打开。如果某个页面仍显示旧数据，请重新启动程序。</translation>
    </message>
    <message>
        <source>The restore did not happen. {0}</source>
        <translation>没有恢复。{0}</translation>
    </message>
</context>
</TS>
