# escape=`
FROM mirror.example.org:5000/windows/servercore:ltsc2022 AS build
SHELL ["cmd", "/S", "/C"]
ENV PYTHON_VERSION=3.11.9 `
    APP_HOME=C:\app
RUN Invoke-WebRequest -Uri "https://artifacts.internal.example.net/files/python-$env:PYTHON_VERSION-amd64.exe" -OutFile python.exe ; `
    Start-Process python.exe -ArgumentList '/quiet InstallAllUsers=1 PrependPath=1' -Wait ; `
    Remove-Item python.exe -Force
RUN [Environment]::SetEnvironmentVariable('PATH', $env:PATH + ';C:\git\cmd', [EnvironmentVariableTarget]::Machine)
WORKDIR C:/app
COPY requirements.txt C:\app\
RUN pip install --no-cache-dir -r requirements.txt
COPY . C:\app
EXPOSE 8000
USER ContainerUser
ENTRYPOINT ["powershell", "-File", "C:\\app\\start.ps1"]
