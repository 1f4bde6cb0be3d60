; RemoteEdu Desktop — Windows installer (Inno Setup 6.3 or newer), issue 9 item 2.
; 远程教育骨干队伍管理 — Windows 安装程序脚本（Inno Setup 6.3 及以上）。
;
; Build on Windows after the PyInstaller one-folder build (see installer/WINDOWS.md):
;   pyinstaller --noconfirm installer\remoteedu.spec          -> dist\RemoteEdu\RemoteEdu.exe
;   iscc /DMyAppVersion=0.1.0 installer\remoteedu.iss          -> dist\RemoteEdu-0.1.0-Setup-x64.exe
;
; What it does and why:
; - installs dist\RemoteEdu\* into {autopf}\RemoteEdu. PrivilegesRequired=lowest makes {autopf} the
;   user's own %LOCALAPPDATA%\Programs, so a clerk without administrator rights can install and update
;   it; an administrator may still choose "for all users" (Program Files) in the first dialog;
; - start-menu shortcut, and a desktop shortcut (a task, ticked by default), both named
;   "远程教育骨干队伍管理";
; - the data (database, backups, logs) lives in %LOCALAPPDATA%\RemoteEdu, outside {app}: the
;   uninstaller never touches it, and says so at the end;
; - Chinese installer UI from ChineseSimplified.isl, an UNOFFICIAL Inno Setup translation that is not
;   installed with Inno Setup 6.3/6.4: put it beside this script (see WINDOWS.md for where to get it). Without
;   it the installer is built in English and the compiler prints a note;
; - the version comes from /DMyAppVersion=... (default below; keep it equal to remoteedu_desktop.__version__).
;
; This file is UTF-8 with a byte order mark, so Inno Setup reads its Chinese text correctly.

#ifndef MyAppVersion
  #define MyAppVersion "0.1.0"
#endif
#define MyAppName "远程教育骨干队伍管理"
#define MyAppNameEn "RemoteEdu Desktop"
#define MyAppPublisher "RemoteEdu"
#define MyAppExeName "RemoteEdu.exe"
#define DistDir AddBackslash(SourcePath) + "..\dist\RemoteEdu"
#define DataFolder "{localappdata}\RemoteEdu"

; The Chinese messages: beside this script first (a reviewed copy wins), else in the compiler's Languages
; folder (recent Inno Setup releases may ship it there), else in Languages\Unofficial.
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found: building an English-only installer (see installer/WINDOWS.md)"
#endif

#if !FileExists(AddBackslash(DistDir) + MyAppExeName)
  #error "dist\RemoteEdu\RemoteEdu.exe is missing: run pyinstaller installer\remoteedu.spec first"
#endif

[Setup]
; The AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{6F1C2B7E-4D1A-4C55-9B2E-5A7E2D0C9A31}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher={#MyAppPublisher}
VersionInfoVersion={#MyAppVersion}
VersionInfoProductName={#MyAppNameEn}
VersionInfoDescription={#MyAppName} 安装程序
DefaultDirName={autopf}\RemoteEdu
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; 64-bit Python, PySide6 6.x: x64 only; Qt 6 needs Windows 10 1809 or newer.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir={#SourcePath}\..\dist
OutputBaseFilename=RemoteEdu-{#MyAppVersion}-Setup-x64
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName={#MyAppName} {#MyAppVersion}
UninstallDisplayIcon={app}\{#MyAppExeName}
; Close a running copy before files are replaced (Restart Manager), and start it again afterwards.
CloseApplications=yes
RestartApplications=no
; No language question: Windows' own language is taken, Chinese (listed first) when none matches.
ShowLanguageDialog=no
#ifdef Sign
; Signing: iscc /DSign "/Sremoteedu=signtool.exe sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /f C:\keys\office.pfx /p PASSWORD $f" installer\remoteedu.iss
SignTool=remoteedu
SignedUninstaller=yes
#endif

[Languages]
#ifdef ChineseIsl
Name: "chinesesimp"; MessagesFile: "{#ChineseIsl}"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
#ifdef ChineseIsl
chinesesimp.DataKept=程序已卸载。%n%n您的数据（数据库、备份和日志）没有删除，仍在：%n%1%n%n重新安装后会继续使用这些数据。确实不再需要时，可以手动删除这个文件夹（删除前请先备份到U盘）。
chinesesimp.LaunchProgram=启动 {#MyAppName}
chinesesimp.UninstallShortcut=卸载 {#MyAppName}
#endif
english.DataKept=The program was removed.%n%nYour data (database, backups and logs) was NOT deleted; it is still in:%n%1%n%nA new installation uses it again. Delete that folder by hand only when it is truly no longer needed (back it up to a USB stick first).
english.LaunchProgram=Start {#MyAppName}
english.UninstallShortcut=Uninstall {#MyAppName}

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; A one-folder build changes its library files between versions: remove the old ones before copying the
; new, so no stale DLL is loaded. Only program files live here; the data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs; Excludes: "portable.txt,便携版.txt,data\*"

[Icons]
Name: "{group}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallShortcut}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExeName}"; Description: "{cm:LaunchProgram}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Nothing from the data folder ({#DataFolder}) is listed here on purpose: uninstalling keeps the data.
Type: dirifempty; Name: "{app}"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{#DataFolder}')]), mbInformation, MB_OK);
end;
