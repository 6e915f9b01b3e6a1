# Dockerfile for the inventory service
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /workspace
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:resolve
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -e package -DskipTests=true

FROM eclipse-temurin:17-jdk AS jre
RUN jlink --add-modules java.base,java.logging,java.sql,java.naming,jdk.unsupported \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output /jre

FROM debian:bookworm-slim
ENV JAVA_HOME=/opt/jre PATH="/opt/jre/bin:$PATH"
COPY --from=jre /jre /opt/jre
WORKDIR /app
COPY --from=build /workspace/target/*.jar app.jar
RUN useradd -r -u 1001 spring
USER spring
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
