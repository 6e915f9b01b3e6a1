FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN mvn dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -e package -DskipTests=true

FROM eclipse-temurin:21-jre-jammy
WORKDIR /app
COPY --from=build /workspace/target/*.jar app.jar
USER 1001
EXPOSE 8080
ENTRYPOINT java -jar /app/app.jar
