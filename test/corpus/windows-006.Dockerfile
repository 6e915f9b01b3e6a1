# escape=`
# Windows build agent image
FROM mirror.example.org:5000/windows/nanoserver:ltsc2022 AS build
SHELL ["cmd", "/S", "/C"]
ENV PYTHON_VERSION=3.12.6 `
    APP_HOME=C:\app
RUN Invoke-WebRequest -Uri "https://artifacts.internal.example.net/files/python-$env:PYTHON_VERSION-amd64.exe" -OutFile python.exe ; `
    Start-Process python.exe -ArgumentList '/quiet InstallAllUsers=1 PrependPath=1' -Wait ; `
    Remove-Item python.exe -Force
RUN [Environment]::SetEnvironmentVariable('PATH', $env:PATH + ';C:\git\cmd', [EnvironmentVariableTarget]::Machine)
WORKDIR /app
COPY requirements.txt C:\app\
RUN pip install --no-cache-dir -r requirements.txt
COPY . C:\app
HEALTHCHECK CMD powershell -command `
    try { $r = iwr http://localhost:8000/health -UseBasicParsing; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } `
    catch { exit 1 }
EXPOSE 8000
USER ContainerUser
CMD ["python", "C:\\app\\main.py"]
