<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountControls</name>
    <message>
        <source>S&amp;witch account…</source>
        <translation>切换账户(&amp;W)…</translation>
    </message>
    <message>
        <source>Chan&amp;ge my password…</source>
        <translation>修改我的密码(&amp;G)…</translation>
    </message>
    <message>
        <source>Acc&amp;ounts…</source>
        <translation>账户管理(&amp;O)…</translation>
    </message>
    <message>
        <source>Login not in use</source>
        <translation>未启用登录</translation>
    </message>
    <message>
        <source>Account: {0}</source>
        <translation>账户：{0}</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Logged in as {0}</source>
        <translation>已登录为 {0}</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>您的密码已修改。</translation>
    </message>
</context>
<context>
    <name>AccountForms</name>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation>账户管理</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New account…</source>
        <translation>新建账户…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重设密码…</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>更改角色…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No account is in use: anyone at this computer may do everything. Create an office head account to require a login (recommended on a shared PC or a server database).</source>
        <translation>尚未启用账户：使用本机的任何人都可以进行所有操作。建立一个“办公室负责人”账户后，启动时就需要登录（多人共用的电脑或服务器数据库建议这样做）。</translation>
    </message>
    <message>
        <source>Logged in as {0}.</source>
        <translation>当前登录：{0}。</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked until {0}</source>
        <translation>锁定到 {0}</translation>
    </message>
    <message>
        <source>Active ({0} wrong passwords)</source>
        <translation>正常（已输错 {0} 次密码）</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Account created: {0}</source>
        <translation>已建立账户：{0}</translation>
    </message>
    <message>
        <source>Password changed: {0}</source>
        <translation>已修改密码：{0}</translation>
    </message>
    <message>
        <source>Role changed: {0}</source>
        <translation>已更改角色：{0}</translation>
    </message>
    <message>
        <source>Deactivate account</source>
        <translation>停用账户</translation>
    </message>
    <message>
        <source>Deactivate {0}? The account can no longer log in; its name stays in the audit log.</source>
        <translation>停用 {0}？停用后该账户不能再登录；操作日志中的名字保留。</translation>
    </message>
    <message>
        <source>Deactivated: {0}</source>
        <translation>已停用：{0}</translation>
    </message>
    <message>
        <source>Reactivated: {0}</source>
        <translation>已重新启用：{0}</translation>
    </message>
    <message>
        <source>Unlocked: {0}</source>
        <translation>已解锁：{0}</translation>
    </message>
</context>
<context>
    <name>NewAccountDialog</name>
    <message>
        <source>New account</source>
        <translation>新建账户</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>This is the first account: from now on this computer asks for a login. It must be an office head or a county administrator, who can then create the others.</source>
        <translation>这是第一个账户：建立后本机启动时需要登录。第一个账户必须是“办公室负责人”或“县级管理员”，由他再为其他人建立账户。</translation>
    </message>
    <message>
        <source>at least {0} characters</source>
        <translation>至少 {0} 个字符</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>账户：</translation>
    </message>
    <message>
        <source>Old password:</source>
        <translation>原密码：</translation>
    </message>
    <message>
        <source>The new password also ends a lock-out. Tell it to the person in private.</source>
        <translation>设置新密码的同时会解除锁定。请私下把新密码告诉本人。</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>at least {0} characters</source>
        <translation>至少 {0} 个字符</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>账户：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
</context>
</TS>
