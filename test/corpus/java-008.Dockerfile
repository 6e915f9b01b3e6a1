# Dockerfile for the reports service
FROM gradle:8.8-jdk17 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle build.gradle.kts settings.gradle.kts gradle.properties ./
RUN gradle dependencies --no-daemon > /dev/null 2>&1 || true
COPY --chown=gradle:gradle . .
RUN ./gradlew build

FROM eclipse-temurin:17-jdk AS jre
RUN jlink --add-modules java.base,java.logging,java.sql,java.naming,jdk.unsupported \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output /jre

FROM debian:bookworm-slim
ENV JAVA_HOME=/opt/jre PATH="/opt/jre/bin:$PATH"
COPY --from=jre /jre /opt/jre
WORKDIR /app
COPY --from=build /home/gradle/project/build/libs/*.jar app.jar
RUN useradd -r -u 1001 spring
USER spring
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "java $JAVA_OPTS -jar app.jar"]
