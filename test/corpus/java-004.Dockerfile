# syntax=docker/dockerfile:1.4
FROM gradle:8.5-jdk17 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle build.gradle.kts settings.gradle.kts gradle.properties ./
RUN gradle dependencies --no-daemon > /dev/null 2>&1 || true
COPY --chown=gradle:gradle . .
RUN gradle bootJar --no-daemon

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /home/gradle/project/build/libs/*.jar app.jar
RUN useradd -r -u 1001 spring
USER spring
EXPOSE 8080
ENTRYPOINT java -jar /app/app.jar