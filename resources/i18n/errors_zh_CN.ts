<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>The program hit an unexpected error; it has been recorded in the log.

What you saved before is safe. If the error comes back, save a diagnostic package and send it to the county office or to technical support: it holds the log, the program&apos;s versions and settings, and no personal data.</source>
        <translation>程序遇到意外错误，已记录在日志中。

之前已保存的数据不受影响。如果错误再次出现，请保存诊断包，发给县远程办或技术支持人员：诊断包只含日志、程序版本和设置，不含任何个人信息。</translation>
    </message>
    <message>
        <source>Save diagnostic package…</source>
        <translation>保存诊断包…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save diagnostic package</source>
        <translation>保存诊断包</translation>
    </message>
    <message>
        <source>The diagnostic package could not be saved: {0}</source>
        <translation>诊断包未能保存：{0}</translation>
    </message>
    <message>
        <source>Diagnostic package saved: {0}</source>
        <translation>诊断包已保存：{0}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Zip archives (*.zip)</source>
        <extracomment>(parent, title, suggested file name) → the chosen path, or None when cancelled.</extracomment>
        <translation>Zip 压缩包 (*.zip)</translation>
    </message>
</context>
</TS>
