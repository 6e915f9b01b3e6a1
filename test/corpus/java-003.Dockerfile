FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:21-jdk AS jre
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
HEALTHCHECK CMD wget -qO- http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
