<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <extracomment>The reminders tab&apos;s spin boxes, in order.</extracomment>
        <translation>设置</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>本单位</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Printers and calibration</source>
        <translation>打印机与校准</translation>
    </message>
    <message>
        <source>Certificate templates</source>
        <translation>证书模板</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Office name</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>Office code</source>
        <translation>单位代码</translation>
    </message>
    <message>
        <source>This office exchanges sync data with other offices: its name and code can no longer be changed here. Ask the county office to correct them.</source>
        <translation>本单位已与其他单位交换同步数据，单位名称和代码不能在这里修改；如需更正，请联系县远程办。</translation>
    </message>
    <message>
        <source>The office code was set by the first-run wizard and cannot be changed: every record carries it. The name can be corrected until the office starts exchanging sync data.</source>
        <translation>单位代码在首次设置时确定，每条记录都带有它，因此不能修改。单位名称在开始交换同步数据之前可以更正。</translation>
    </message>
    <message>
        <source>Language of this computer</source>
        <translation>本机界面语言</translation>
    </message>
    <message>
        <source>The new language is used from the next start of the program.</source>
        <translation>新的语言在下次启动程序时生效。</translation>
    </message>
    <message>
        <source>On-duty certificates</source>
        <translation>上岗证书</translation>
    </message>
    <message>
        <source>Appointment certificates</source>
        <translation>聘任证书</translation>
    </message>
    <message>
        <source> years</source>
        <translation> 年</translation>
    </message>
    <message>
        <source>Issuing office</source>
        <translation>发证机关</translation>
    </message>
    <message>
        <source>Certificate number pattern</source>
        <translation>证书编号格式</translation>
    </message>
    <message>
        <source>Appointment term</source>
        <translation>聘期</translation>
    </message>
    <message>
        <source>New certificates are issued with the default templates; certificates already issued keep their own layout. Leave the issuing office empty to print this office&apos;s name.</source>
        <translation>新发证书使用默认模板；已发证书保持原有版式不变。发证机关留空则打印本单位名称。</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Automatic backups of this computer&apos;s database go to this folder. Leave it empty to use the backups folder in the data folder. A folder on another disk keeps the backups safe when this disk fails.</source>
        <translation>本机数据库的自动备份保存到此文件夹。留空则使用数据文件夹中的 backups 文件夹。选择另一块磁盘上的文件夹，可在本磁盘损坏时保住备份。</translation>
    </message>
    <message>
        <source>Certificates and appointment terms ending within</source>
        <translation>证书或聘期到期提前提醒</translation>
    </message>
    <message>
        <source>Faults open for more than</source>
        <translation>故障未解决超过</translation>
    </message>
    <message>
        <source>No sync exchange with a peer for more than</source>
        <translation>与同步单位未交换数据超过</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>These thresholds are shared by every computer of this office.</source>
        <translation>这些提醒天数由本单位所有电脑共用。</translation>
    </message>
</context>
</TS>
