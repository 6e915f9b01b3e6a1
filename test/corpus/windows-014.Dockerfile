# escape=`
FROM cr.corp.example/windows/servercore:ltsc2019
ENV PYTHON_VERSION=3.12.4 `
    APP_HOME=C:\app
RUN curl.exe -fSLo python.exe https://downloads.example.com/python.exe && `
    python.exe /quiet InstallAllUsers=1 && `
    del python.exe
RUN setx /M PATH "%PATH%;C:\Python312;C:\Python312\Scripts"
WORKDIR /app
COPY requirements.txt C:\app\
RUN pip install --no-cache-dir -r requirements.txt
COPY . C:\app
HEALTHCHECK CMD powershell -command `
    try { $r = iwr http://localhost:8000/health -UseBasicParsing; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } `
    catch { exit 1 }
EXPOSE 8000
USER ContainerAdministrator
ENTRYPOINT ["powershell", "-File", "C:\\app\\start.ps1"]