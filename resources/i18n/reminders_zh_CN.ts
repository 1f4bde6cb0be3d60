<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>RemindersDialog</name>
    <message>
        <source>Reminders</source>
        <translation>提醒事项</translation>
    </message>
    <message>
        <source>{0} things need attention, {1} of them now. Double-click a line to open the page that holds it.</source>
        <translation>共 {0} 项需要关注，其中 {1} 项需立即处理。双击一行可打开相应页面。</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Reminder</source>
        <translation>提醒内容</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>立即处理</translation>
    </message>
    <message>
        <source>Soon</source>
        <translation>近期处理</translation>
    </message>
    <message>
        <source>Don&apos;t show again today</source>
        <translation>今天不再显示</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
</context>
</TS>
