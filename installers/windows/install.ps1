<#
.SYNOPSIS
    Installs sitbreak from this checkout and starts it in the notification area; safe to run again.

.DESCRIPTION
    For you (no administrator rights):
        powershell -ExecutionPolicy Bypass -File installers\windows\install.ps1
      - a virtual environment in %LOCALAPPDATA%\sitbreak\venv,
      - a Start menu shortcut with the sitbreak icon,
      - autostart: a value under HKCU\...\CurrentVersion\Run that starts pythonw.exe (no console),
      - then sitbreak starts in the notification area.
    For every user of this PC (administrator; silent, for GPO / Intune / SCCM):
        powershell -ExecutionPolicy Bypass -File install.ps1 -AllUsers [-SystemConfig office.toml] -Quiet
      - %ProgramFiles%\sitbreak\venv, a Start menu shortcut for all users,
      - HKLM\...\CurrentVersion\Run (each user's next logon),
      - -SystemConfig FILE: office defaults and locks in %PROGRAMDATA%\sitbreak\sitbreak.toml.
    -Uninstall removes it and keeps your config and history (%LOCALAPPDATA%\sitbreak) unless
    -Purge is given. Needs Python 3.11+ from python.org (for -AllUsers: installed for all users).

.EXAMPLE
    .\install.ps1 -Uninstall -Purge
#>
[CmdletBinding()]
param(
    [switch]$AllUsers,
    [string]$SystemConfig = '',
    [switch]$Listener,
    [switch]$NoAutostart,
    [switch]$NoStart,
    [switch]$Quiet,
    [switch]$Uninstall,
    [switch]$Purge,
    [string]$Python = ''
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Say([string]$Text) {
    if (-not $Quiet) { Write-Host $Text }
}

function Invoke-Checked([string]$Program, [string[]]$Arguments) {
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed (exit $LASTEXITCODE)" }
}

function Invoke-Quietly([string]$Program, [string[]]$Arguments) {
    # Windows PowerShell 5.1 turns a native program's stderr into errors that 'Stop' would throw
    $ErrorActionPreference = 'Continue'
    & $Program @Arguments *> $null
    return $LASTEXITCODE
}

function Test-Running([string]$Exe) {
    if (-not (Test-Path $Exe)) { return $false }
    return ((Invoke-Quietly $Exe @('status')) -eq 0)
}

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
if ($AllUsers) {
    $principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw 'install.ps1 -AllUsers must run as an administrator'
    }
    $Base = Join-Path $env:ProgramFiles 'sitbreak'
    $StartMenu = [Environment]::GetFolderPath('CommonPrograms')
    $AllFlag = @('--all-users')
} else {
    $Base = Join-Path $env:LOCALAPPDATA 'sitbreak'   # your config and history live here too
    $StartMenu = [Environment]::GetFolderPath('Programs')
    $AllFlag = @()
}
$Venv = Join-Path $Base 'venv'
$PythonW = Join-Path $Venv 'Scripts\pythonw.exe'
$VenvPython = Join-Path $Venv 'Scripts\python.exe'
$Exe = Join-Path $Venv 'Scripts\sitbreak.exe'
$Shortcut = Join-Path $StartMenu 'sitbreak.lnk'
$Icon = Join-Path $Base 'sitbreak.ico'

if ($Uninstall) {
    if (Test-Path $Exe) {
        if (-not $AllUsers) { Invoke-Quietly $Exe @('quit') | Out-Null }
        Invoke-Quietly $Exe (@('autostart', 'disable') + $AllFlag) | Out-Null
    }
    Remove-Item -LiteralPath $Shortcut, $Icon -Force -ErrorAction SilentlyContinue
    if (Test-Path $Venv) { Remove-Item -LiteralPath $Venv -Recurse -Force }
    if ($AllUsers) {
        if ((Test-Path $Base) -and -not (Get-ChildItem -LiteralPath $Base)) { Remove-Item -LiteralPath $Base }
        if ($Purge) {
            Remove-Item -LiteralPath (Join-Path $env:ProgramData 'sitbreak') -Recurse -Force -ErrorAction SilentlyContinue
        }
        Say 'sitbreak removed for all users'
    } elseif ($Purge) {
        Remove-Item -LiteralPath $Base -Recurse -Force -ErrorAction SilentlyContinue
        Say 'sitbreak removed, with your config and history'
    } else {
        Say "sitbreak removed; your config and history stay in $Base (-Purge removes them)"
    }
    exit 0
}

# a Python 3.11+: -Python, else the py launcher, else python on PATH
if ($Python -eq '') {
    if (Get-Command py -ErrorAction SilentlyContinue) {
        $Python = (& py -3 -c 'import sys; print(sys.executable)').Trim()
    } elseif (Get-Command python -ErrorAction SilentlyContinue) {
        $Python = (Get-Command python).Source
    } else {
        throw 'sitbreak needs Python 3.11 or newer: install it from python.org, then run this again'
    }
}
& $Python -c 'import sys; sys.exit(sys.version_info < (3, 11))'
if ($LASTEXITCODE -ne 0) { throw "sitbreak needs Python 3.11 or newer ($Python is older)" }

$WasRunning = (-not $AllUsers) -and (Test-Running $Exe)
if ($WasRunning) {
    Invoke-Quietly $Exe @('quit') | Out-Null   # started again below, on the new code
    Start-Sleep -Seconds 2
}

Say "installing sitbreak into $Venv..."
New-Item -ItemType Directory -Force -Path $Base | Out-Null
if (-not (Test-Path $VenvPython)) { Invoke-Checked $Python @('-m', 'venv', $Venv) }
$Spec = if ($Listener) { "$Root[listener]" } else { $Root }
Invoke-Checked $VenvPython @('-m', 'pip', '--disable-pip-version-check', '--quiet', 'install', '--upgrade', $Spec)

# the icon from the installed package, and a Start menu shortcut that starts it without a console
$PackagedIcon = (& $VenvPython -c "from importlib.resources import files; print(files('sitbreak') / 'data/assets/icons/sitbreak.ico')").Trim()
Copy-Item -LiteralPath $PackagedIcon -Destination $Icon -Force
$Shell = New-Object -ComObject WScript.Shell
$Link = $Shell.CreateShortcut($Shortcut)
$Link.TargetPath = $PythonW
$Link.Arguments = '-m sitbreak run'
$Link.IconLocation = "$Icon,0"
$Link.WorkingDirectory = $Base
$Link.Description = 'Nudges you to stand up and stretch before sitting hurts'
$Link.Save()

if ($SystemConfig -ne '') {
    if (-not $AllUsers) { throw '-SystemConfig needs -AllUsers' }
    $ProgramDataDir = Join-Path $env:ProgramData 'sitbreak'
    New-Item -ItemType Directory -Force -Path $ProgramDataDir | Out-Null
    Copy-Item -LiteralPath $SystemConfig -Destination (Join-Path $ProgramDataDir 'sitbreak.toml') -Force
    $Check = & $Exe config check --system
    if ($LASTEXITCODE -ne 0) { throw "the office config is not valid: $Check" }
}
if (-not $NoAutostart) {
    $Out = & $Exe autostart enable @AllFlag
    if ($LASTEXITCODE -ne 0) { throw "sitbreak autostart enable failed: $Out" }
    Say $Out
}
if ($AllUsers) {
    Say "installed for all users: $Exe (starts at each user's next logon)"
    exit 0
}

$ConfigPath = (& $Exe config path).Trim()
if (-not (Test-Path $ConfigPath)) { & $Exe config init | Out-Null }
if (-not $NoStart) {
    Start-Process -FilePath $PythonW -ArgumentList @('-m', 'sitbreak', 'run') -WorkingDirectory $Base -WindowStyle Hidden
    $Deadline = (Get-Date).AddSeconds(15)
    while (-not (Test-Running $Exe) -and (Get-Date) -lt $Deadline) { Start-Sleep -Milliseconds 200 }
    if (Test-Running $Exe) {
        Say 'sitbreak is running in your notification area; it starts at each logon from now on'
    } else {
        Write-Warning "sitbreak did not answer within 15 s; its log is in $Base\Logs"
    }
}
Say "installed: $Exe (config: $ConfigPath)"
