@echo off
rem IVS command line for Windows: bin\ivs.cmd clients|keys|export|import [OPTIONS...]
rem
rem Runs the Java CLI (module ivs-cli, the same jar that bin/ivs runs) with the java of
rem JAVA_HOME (else the java on PATH), which must be a JDK 25 or newer. The jar is built with
rem mvnw.cmd when it is missing; after updating the sources, delete ivs-cli\target to rebuild it.
rem The server and the benchmark are started by bin/ivs (bash); on Windows run the server jar
rem directly: java -jar ivs-server\target\ivs-server.jar
rem
rem Exit codes are the CLI's: 0 done, 1 refused by the server (4xx) or the output file cannot be
rem written, 2 usage error, 3 server unreachable, 5xx or a download that broke off.
setlocal
set "IVS_ROOT=%~dp0.."
set "CLI_JAR=%IVS_ROOT%\ivs-cli\target\ivs-cli.jar"

if "%~1"=="" goto usage
if /i "%~1"=="clients" goto java
if /i "%~1"=="keys" goto java
if /i "%~1"=="export" goto java
if /i "%~1"=="import" goto java
if /i "%~1"=="help" goto usage
if /i "%~1"=="-h" goto usage
if /i "%~1"=="--help" goto usage
echo ivs: unknown command '%~1' 1>&2
call :print_usage 1>&2
exit /b 2

:usage
call :print_usage
exit /b 0

:java
set "JAVA=java"
if not defined JAVA_HOME goto check_version
set "JAVA=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA%" goto check_version
echo ivs: JAVA_HOME is "%JAVA_HOME%" but has no bin\java.exe; set it to a JDK 25 or newer 1>&2
exit /b 2

:check_version
set "JAVA_VERSION="
for /f "tokens=3" %%v in ('call "%JAVA%" -version 2^>^&1 ^| findstr /i /c:" version "') do (
  if not defined JAVA_VERSION set "JAVA_VERSION=%%~v"
)
if not defined JAVA_VERSION goto no_java
set "JAVA_MAJOR="
for /f "delims=.-+" %%m in ("%JAVA_VERSION%") do set "JAVA_MAJOR=%%m"
if not defined JAVA_MAJOR goto no_java
if %JAVA_MAJOR% LSS 25 goto old_java
goto build

:no_java
echo ivs: no java found; install a JDK 25 or newer (https://adoptium.net) and set JAVA_HOME 1>&2
exit /b 2

:old_java
echo ivs: %JAVA% is Java %JAVA_VERSION%; IVS needs a JDK 25 or newer in JAVA_HOME 1>&2
exit /b 2

:build
if exist "%CLI_JAR%" goto run
echo ivs: building ivs-cli\target\ivs-cli.jar (mvnw.cmd -pl ivs-cli -am package) ... 1>&2
pushd "%IVS_ROOT%"
call mvnw.cmd -B -q "-Dmaven.test.skip=true" -pl ivs-cli -am package
set "BUILD_EXIT=%ERRORLEVEL%"
popd
if not "%BUILD_EXIT%"=="0" (
  echo ivs: build failed 1>&2
  exit /b 1
)
if not exist "%CLI_JAR%" (
  echo ivs: the build produced no ivs-cli\target\ivs-cli.jar 1>&2
  exit /b 1
)

:run
"%JAVA%" -jar "%CLI_JAR%" %*
exit /b %ERRORLEVEL%

:print_usage
echo Usage: bin\ivs.cmd ^<command^> [options]
echo.
echo Commands (each takes --help and --url URL, default %%IVS_URL%% or http://localhost:8080):
echo   clients create --environments ENV[,ENV...]^|* --roles ROLE[,ROLE...]
echo                  [--id ID] [--issuer ISSUER] [--description TEXT]
echo   clients list ^| clients show ID ^| clients revoke ID
echo   keys list ^| keys rotate
echo         as IVS_ADMIN_CLIENT_ID / IVS_ADMIN_CLIENT_SECRET (an administrator)
echo   export --format csv^|parquet --out FILE [--environment ENV] [--table summary^|preload]
echo         as IVS_CLIENT_ID / IVS_CLIENT_SECRET (a client with inventory.read)
echo   import --format csv^|parquet --file FILE [--environment ENV] [--mode change^|set^|sync^|products]
echo          [--data-source DS] [--rejects FILE] [--batch N] [--parallel N]
echo         as IVS_CLIENT_ID / IVS_CLIENT_SECRET (a client with inventory.write)
echo.
echo Exit codes: 0 done, 1 refused (4xx) or FILE not writable, 2 usage error,
echo 3 server unreachable, 5xx or a broken-off download.
exit /b 0
