<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>StaffPage</name>
    <message>
        <source>Search: name, pinyin initials, phone, last digits of ID number</source>
        <translation>搜索：姓名、拼音首字母、电话、身份证号后几位</translation>
    </message>
    <message>
        <source>All posts</source>
        <translation>全部岗位</translation>
    </message>
    <message>
        <source>On the team</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Left the team</source>
        <translation>已离开</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>Any certificate</source>
        <translation>证书不限</translation>
    </message>
    <message>
        <source>With a valid certificate</source>
        <translation>持有效证书</translation>
    </message>
    <message>
        <source>Without a valid certificate</source>
        <translation>无有效证书</translation>
    </message>
    <message>
        <source>Add person</source>
        <translation>新增人员</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>{0} people</source>
        <translation>共 {0} 人</translation>
    </message>
    <message>
        <source>Could not read the list: {0}</source>
        <translation>无法读取人员列表：{0}</translation>
    </message>
</context>
<context>
    <name>StaffTableModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>所在单位</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>On the team</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Left {0}</source>
        <translation>{0} 离开</translation>
    </message>
</context>
</TS>
