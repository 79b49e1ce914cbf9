# The RpaWorker image: the rpa command, self-contained, on Debian with Debian's Chromium (the web driver's
# browser). .NET 10 ships no Debian base images, and Ubuntu's chromium package is only a snap stub that
# does not run in a container, so the app is published self-contained onto debian:bookworm-slim.
# Build:  docker build -t rpaworker .
# Run the mock EHR:  docker run --rm -p 5080:5080 rpaworker mock-ehr --host 0.0.0.0 --port 5080
# Run a playbook:    docker run --rm -v "$PWD/out:/out" -v /path/to/hl7.fhir.us.core-6.1.0.tgz:/us-core.tgz \
#                      -e RPA_SECRET_MOCK_EHR_USERNAME -e RPA_SECRET_MOCK_EHR_PASSWORD rpaworker \
#                      run /app/playbooks/mock-ehr/chart.yaml --ehr http://host:5080 --us-core /us-core.tgz --out /out
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig RpaWorker.sln ./
COPY src/ src/
COPY mock-ehr/ mock-ehr/
COPY playbooks/ playbooks/
RUN dotnet publish src/RpaWorker.Cli/RpaWorker.Cli.csproj -c Release -r linux-x64 --self-contained -o /app --nologo

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation libicu72 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 rpa
WORKDIR /app
COPY --from=build /app ./
COPY playbooks/ /app/playbooks/
USER rpa
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 OMP_THREAD_LIMIT=1
ENTRYPOINT ["/app/rpa"]
CMD ["demo", "--port", "5080"]
