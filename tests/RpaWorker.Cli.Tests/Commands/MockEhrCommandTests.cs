using System.Net;
using System.Text.Json;

namespace RpaWorker.Cli.Tests.Commands;

public sealed class MockEhrCommandTests
{
    [Fact]
    public async Task MockEhr_PortZero_PrintsAFreePortThatServesTheLoginPage()
    {
        await using var rpa = RpaProcess.Start("mock-ehr", "--data", "generated:5:3", "--port", "0");

        var address = await rpa.WaitForLineAsync("Listening on ", TimeSpan.FromMinutes(2));

        var uri = new Uri(address);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.NotEqual(0, uri.Port);
        using var http = new HttpClient { BaseAddress = uri };
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("serving 5 patients", rpa.StandardOutput);
    }

    [Fact]
    public async Task Export_GeneratedData_WritesOneNdjsonFilePerResourceType()
    {
        var dir = Directory.CreateTempSubdirectory("rpa-export-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RpaProcess.RunAsync("mock-ehr", "export", "--data", "generated:4:9", "--out", dir);

            Assert.True(exit == 0, $"exit {exit}: {stderr}");
            var patients = File.ReadAllLines(Path.Combine(dir, "Patient.ndjson"));
            Assert.Equal(4, patients.Length);
            Assert.All(patients, line => Assert.Equal("Patient", JsonDocument.Parse(line).RootElement.GetProperty("resourceType").GetString()));
            Assert.True(File.Exists(Path.Combine(dir, "Observation.ndjson")));
            Assert.Contains("Patient", stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("generated:abc", "generated:N[:seed]")]
    [InlineData("generated:0", "positive whole number")]
    [InlineData("/no/such/folder/anywhere", "does not exist")]
    public async Task MockEhr_BadDataSource_ExitsWithCodeTwoAndSaysWhatIsWrong(string data, string expected)
    {
        var (exit, _, stderr) = await RpaProcess.RunAsync("mock-ehr", "export", "--data", data, "--out", Path.GetTempPath());

        Assert.Equal(2, exit);
        Assert.Contains("--data", stderr);
        Assert.Contains(expected, stderr);
    }

    [Theory]
    [InlineData("--latency", "fast", "not a duration")]
    [InlineData("--error-rate", "1.5", "not a rate")]
    [InlineData("--skin", "v9", "v9")]
    public async Task MockEhr_BadOptionValue_IsRefusedBeforeStarting(string option, string value, string expected)
    {
        var (exit, stdout, stderr) = await RpaProcess.RunAsync("mock-ehr", "--port", "0", option, value);

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, stderr + stdout);
        Assert.DoesNotContain("Listening on", stdout);
    }

    [Fact]
    public async Task Demo_ThreePatients_ExtractsEveryPatientAsUsCoreNdjsonAndPrintsTheSummary()
    {
        var dir = Directory.CreateTempSubdirectory("rpa-demo-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RpaProcess.RunAsync("demo", "--patients", "3", "--out", dir);

            Assert.True(exit == 0, $"exit {exit}:\n{stdout}\n{stderr}");
            Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "ground-truth", "Patient.ndjson")).Length);
            var patients = File.ReadAllLines(Path.Combine(dir, "fhir", "Patient.ndjson"));
            Assert.Equal(3, patients.Length);
            Assert.All(patients, p => Assert.Contains("us-core-patient", p));
            Assert.True(File.Exists(Path.Combine(dir, "fhir", "Provenance.ndjson")));
            Assert.Contains("Patients: 3 read, 3 succeeded, 0 failed", stdout);
            // What is quarantined is only what US Core cannot take as shown (an order with no prescriber, us-core-21).
            var quarantine = Path.Combine(dir, "fhir", "quarantine", "quarantine.ndjson");
            Assert.All(File.Exists(quarantine) ? File.ReadAllLines(quarantine) : [], q => Assert.Contains("us-core-21", q));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
