; Inno Setup 6 script: per-user installer of "Theo dõi & Báo cáo CCHC" (issue #7).
; Saved as UTF-8 with a BOM, so that Inno Setup reads the Vietnamese text as UTF-8.
;
; Build, on Windows, from the repository root, after the bundle exists:
;     pyinstaller --noconfirm --clean build.spec          -> dist\TheoDoiCCHC\
;     iscc installer\cchc.iss                             -> dist\installer\CaiDat-TheoDoiCCHC-<version>.exe
; .github/workflows/windows-build.yml does both, then runs --selftest.
;
; Installs for the current user only, with no administrator rights (PrivilegesRequired=lowest):
; the program goes to %LOCALAPPDATA%\Programs\TheoDoiCCHC, with Start-menu and desktop shortcuts.
; The user's data (database, backups, logs) lives apart, in %LOCALAPPDATA%\PARTracker\TheoDoiCCHC
; (platformdirs, core/appdata.py), and survives an uninstall unless "Xóa cả dữ liệu" is ticked.
;
; LANGUAGE FILE: the installer speaks Vietnamese through compiler:Languages\Vietnamese.isl.
; Inno Setup keeps Vietnamese among its unofficial translations (Files\Languages\Unofficial in its
; source tree), which the Inno Setup installer does not put in its Languages folder. Vietnamese.isl
; MUST be present in "<Inno Setup folder>\Languages\" before compiling; the CI workflow copies it there.

#define AppName "Theo dõi & Báo cáo CCHC"
#define AppExeName "TheoDoiCCHC.exe"
#define BundleDir "dist\TheoDoiCCHC"
; The version comes from the exe's version resource, which build.spec fills from core/appdata.py.
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(AddBackslash(SourcePath) + "..\" + BundleDir + "\" + AppExeName)
#endif
; Where core/appdata.py (platformdirs, roaming=False) keeps the database, backups and logs.
#define DataDir "{localappdata}\PARTracker\TheoDoiCCHC"

[Setup]
; AppId identifies the program for upgrades and uninstall: never change it.
AppId={{6E2B9C1A-4F57-4C7E-9B0D-2A8F3C5D71E4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=PARTracker
VersionInfoVersion={#AppVersion}
VersionInfoDescription=Cài đặt {#AppName}
SourceDir=..
OutputDir=dist\installer
OutputBaseFilename=CaiDat-TheoDoiCCHC-{#AppVersion}
SetupIconFile=resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
; Per user, no administrator rights, no elevation prompt.
PrivilegesRequired=lowest
DefaultDirName={userpf}\TheoDoiCCHC
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running copy (it holds files in {app}) through the Restart Manager before replacing files.
CloseApplications=yes
RestartApplications=no

[Languages]
; Requires Languages\Vietnamese.isl in the Inno Setup folder: see the note at the top.
Name: "vietnamese"; MessagesFile: "compiler:Languages\Vietnamese.isl"

[CustomMessages]
vietnamese.DeleteDataCaption=Gỡ cài đặt {#AppName}
vietnamese.DeleteDataIntro=Chương trình sẽ được gỡ khỏi máy. Dữ liệu của bạn (cơ sở dữ liệu, các bản sao lưu, nhật ký) được GIỮ LẠI trong thư mục:
vietnamese.DeleteDataCheck=Xóa cả dữ liệu
vietnamese.DeleteDataWarning=Chỉ đánh dấu nếu bạn chắc chắn không cần dữ liệu nữa: dữ liệu đã xóa không khôi phục được. Cơ sở dữ liệu bạn tự lưu ở thư mục khác không bị xóa.
vietnamese.DeleteDataContinue=Gỡ cài đặt
vietnamese.DeleteDataCancel=Hủy

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle: files a newer build no longer has must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the program writes into its own folder at run time (Python caches of the migration scripts).
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
var
  DeleteUserData: Boolean;

{ Before uninstalling: a small page with the data folder and an unticked "Xóa cả dữ liệu" box. }
function InitializeUninstall(): Boolean;
var
  Form: TSetupForm;
  Intro, Folder, Warning: TNewStaticText;
  Check: TNewCheckBox;
  OkButton, CancelButton: TNewButton;
  W: Integer;
begin
  Result := True;
  DeleteUserData := False;
  if UninstallSilent() then
    Exit;  { a silent uninstall never deletes data }
#if Ver >= EncodeVer(6, 6, 0)
  Form := CreateCustomForm(ScaleX(460), ScaleY(210), False, False);
#else
  Form := CreateCustomForm();
  Form.ClientWidth := ScaleX(460);
  Form.ClientHeight := ScaleY(210);
#endif
  try
    Form.Caption := CustomMessage('DeleteDataCaption');
    W := Form.ClientWidth - ScaleX(24);

    Intro := TNewStaticText.Create(Form);
    Intro.Parent := Form;
    Intro.Left := ScaleX(12);
    Intro.Top := ScaleY(12);
    Intro.Width := W;
    Intro.AutoSize := False;
    Intro.Height := ScaleY(32);
    Intro.WordWrap := True;
    Intro.Caption := CustomMessage('DeleteDataIntro');

    Folder := TNewStaticText.Create(Form);
    Folder.Parent := Form;
    Folder.Left := ScaleX(12);
    Folder.Top := Intro.Top + Intro.Height + ScaleY(6);
    Folder.Width := W;
    Folder.Caption := ExpandConstant('{#DataDir}');
    Folder.Font.Style := [fsBold];

    Check := TNewCheckBox.Create(Form);
    Check.Parent := Form;
    Check.Left := ScaleX(12);
    Check.Top := Folder.Top + ScaleY(28);
    Check.Width := W;
    Check.Height := ScaleY(20);
    Check.Caption := CustomMessage('DeleteDataCheck');
    Check.Checked := False;

    Warning := TNewStaticText.Create(Form);
    Warning.Parent := Form;
    Warning.Left := ScaleX(30);
    Warning.Top := Check.Top + Check.Height + ScaleY(4);
    Warning.Width := W - ScaleX(18);
    Warning.AutoSize := False;
    Warning.Height := ScaleY(44);
    Warning.WordWrap := True;
    Warning.Caption := CustomMessage('DeleteDataWarning');

    OkButton := TNewButton.Create(Form);
    OkButton.Parent := Form;
    OkButton.Width := ScaleX(100);
    OkButton.Height := ScaleY(26);
    OkButton.Left := Form.ClientWidth - ScaleX(12 + 100 + 8 + 80);
    OkButton.Top := Form.ClientHeight - ScaleY(26 + 12);
    OkButton.Caption := CustomMessage('DeleteDataContinue');
    OkButton.ModalResult := mrOk;
    OkButton.Default := True;

    CancelButton := TNewButton.Create(Form);
    CancelButton.Parent := Form;
    CancelButton.Width := ScaleX(80);
    CancelButton.Height := ScaleY(26);
    CancelButton.Left := Form.ClientWidth - ScaleX(12 + 80);
    CancelButton.Top := OkButton.Top;
    CancelButton.Caption := CustomMessage('DeleteDataCancel');
    CancelButton.ModalResult := mrCancel;
    CancelButton.Cancel := True;

    Form.ActiveControl := OkButton;
    Result := Form.ShowModal() = mrOk;
    DeleteUserData := Result and Check.Checked;
  finally
    Form.Free();
  end;
end;

{ After the program's files are gone: delete the data folder only if the box was ticked. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DeleteUserData then
  begin
    DelTree(ExpandConstant('{#DataDir}'), True, True, True);
    RemoveDir(ExpandConstant('{localappdata}\PARTracker'));  { only if now empty }
    { Window position and last unit/period (QSettings, organisation PARTracker). }
    RegDeleteKeyIncludingSubkeys(HKCU, 'Software\PARTracker\TheoDoiCCHC');
    RegDeleteKeyIfEmpty(HKCU, 'Software\PARTracker');
  end;
end;
