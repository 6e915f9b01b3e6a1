# escape=`
FROM registry.example.com/windows/server:ltsc2022
ENV PYTHON_VERSION=3.10.10 `
    APP_HOME=C:\app
RUN curl.exe -fSLo python.exe https://artifacts.internal.example.net/files/python.exe && `
    python.exe /quiet InstallAllUsers=1 && `
    del python.exe
RUN setx /M PATH "%PATH%;C:\Python312;C:\Python312\Scripts"
WORKDIR C:\app
COPY requirements.txt C:\app\
RUN pip install --no-cache-dir -r requirements.txt
COPY . C:\app
EXPOSE 8000
USER ContainerAdministrator
CMD python main.py
