# syntax=docker/dockerfile:1.7-labs
# check=error=true
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:resolve
COPY src ./src
RUN mvn package

FROM eclipse-temurin:21-jre-jammy
WORKDIR /app
COPY --from=build /workspace/target/*.jar app.jar
RUN useradd -r -u 1001 spring
USER spring
EXPOSE 8080
ENTRYPOINT java -jar /app/app.jar
