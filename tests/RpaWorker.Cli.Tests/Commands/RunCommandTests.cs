using System.Text.Json.Nodes;

namespace RpaWorker.Cli.Tests.Commands;

// Each test starts rpa processes with their own browsers: one such class at a time.
[Collection("rpa processes")]
public sealed class RunCommandTests
{
    private static readonly IReadOnlyDictionary<string, string> Credentials = Repo.MockEhrCredentials;

    private static string Root => Repo.Root;

    [Fact]
    public async Task Run_CanaryPatientOnAFaultyEhr_LeavesNoCanaryInTheConsoleOutput()
    {
        var data = Canary.BundleFolder();
        var output = Directory.CreateTempSubdirectory("rpa-canary-out-").FullName;
        try
        {
            await using var ehr = RpaProcess.Start("mock-ehr", "--data", data, "--port", "0", "--error-rate", "10%", "--fault-seed", "3", "--popup-rate", "1");
            var address = await ehr.WaitForLineAsync("Listening on ", TimeSpan.FromMinutes(2));

            var (exit, stdout, stderr) = await RpaProcess.RunAsync(Credentials,
                "run", Repo.ChartPlaybook, "--ehr", address, "--out", output);

            Assert.True(exit == 0, $"exit {exit}:\n{stdout}\n{stderr}");
            Assert.Contains("Patients: 1 read", stdout);
            var console = stdout + stderr + ehr.StandardOutput + ehr.StandardError;
            foreach (var canary in new[] { Canary.Family, Canary.Given, Canary.Mrn, Canary.Street, Canary.Family.ToUpperInvariant(), Canary.Given.ToUpperInvariant() })
            {
                Assert.DoesNotContain(canary, console, StringComparison.OrdinalIgnoreCase);
            }
            // The data itself did arrive: the canary is in the published NDJSON, where PHI belongs.
            Assert.Contains(Canary.Mrn, File.ReadAllText(Path.Combine(output, "Patient.ndjson")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Run_TwoSessions_ShareThePatientsAndReadEachOnce()
    {
        var output = Directory.CreateTempSubdirectory("rpa-parallel-out-").FullName;
        try
        {
            await using var ehr = RpaProcess.Start("mock-ehr", "--data", "generated:5:8", "--port", "0");
            var address = await ehr.WaitForLineAsync("Listening on ", TimeSpan.FromMinutes(2));

            // Two browsers on a loaded 2-core machine: a step may wait far longer than its 10-second default.
            var (exit, stdout, stderr) = await RpaProcess.RunAsync(Credentials,
                "run", Repo.ChartPlaybook, "--ehr", address, "--out", output, "--parallel", "2", "--step-timeout", "60s");

            Assert.True(exit == 0, $"exit {exit}:\n{stdout}\n{stderr}");
            Assert.Contains("Patients: 5 read, 5 succeeded, 0 failed", stdout);
            var ids = File.ReadAllLines(Path.Combine(output, "Patient.ndjson")).Select(l => JsonNode.Parse(l)!["id"]!.GetValue<string>()).ToList();
            Assert.Equal(5, ids.Distinct().Count());
            Assert.Equal(5, File.ReadAllLines(Path.Combine(output, "Provenance.ndjson")).Length);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Run_WithTraceDir_SavesATraceForEachFailedPatientOnly()
    {
        var output = Directory.CreateTempSubdirectory("rpa-trace-out-").FullName;
        try
        {
            // Patients whose MRN ends in an even digit are checked against the wrong MRN, as a mix-up would: the
            // wrong-patient guard fails them, and the others succeed.
            var chart = File.ReadAllText(Repo.ChartPlaybook);
            var mixedUp = chart.Replace("- set: { current_mrn: \"{{ p.mrn }}\" }",
                "- set: { current_mrn: \"{{ p.mrn | regex: '^(.*[02468])$' | then: '0000000' }}{{ p.mrn | regex: '^(.*[13579])$' }}\" }", StringComparison.Ordinal);
            Assert.NotEqual(chart, mixedUp);
            var playbook = Path.Combine(output, "mixed-up.yaml");
            File.WriteAllText(playbook, mixedUp);
            // The shared file it imports goes with it, at the same relative path.
            Directory.CreateDirectory(Path.Combine(output, "shared"));
            File.Copy(Path.Combine(Root, "playbooks", "mock-ehr", "shared", "chart-sections.yaml"), Path.Combine(output, "shared", "chart-sections.yaml"));
            var traces = Path.Combine(output, "traces");
            await using var ehr = RpaProcess.Start("mock-ehr", "--data", "generated:6:21", "--port", "0");
            var address = await ehr.WaitForLineAsync("Listening on ", TimeSpan.FromMinutes(2));

            var (exit, stdout, stderr) = await RpaProcess.RunAsync(Credentials,
                "run", playbook, "--ehr", address, "--out", Path.Combine(output, "fhir"), "--trace-dir", traces);

            Assert.True(exit == 1, $"exit {exit}:\n{stdout}\n{stderr}");
            var failed = System.Text.RegularExpressions.Regex.Matches(stdout, @"patient #(\d+) failed: .*wrong-patient guard")
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.NotEmpty(failed);
            Assert.True(failed.Count < 6, stdout);
            Assert.Equal(failed.Select(n => $"item-{n:D5}.zip").Order(), Directory.GetFiles(traces).Select(Path.GetFileName).Order());
            Assert.Contains("Traces of failed patients (they hold PHI) in " + traces, stdout);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Run_BrokenPlaybook_ExitsTwoWithEveryErrorAndRunsNothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "playbook: x/y\nversion: 1.0.0\ndriver: web\nsteps:\n  - clik: a\n  - call: nowhere\n");
        try
        {
            var (exit, _, stderr) = await RpaProcess.RunAsync(Credentials, "run", file, "--ehr", "http://127.0.0.1:9");

            Assert.Equal(2, exit);
            Assert.Contains($"{file}:5:5: unknown step 'clik'", stderr);
            Assert.Contains($"{file}:6:5: unknown sub-flow 'nowhere'", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_NoCredentials_ExitsTwoNamingTheVariablesToSet()
    {
        var (exit, _, stderr) = await RpaProcess.RunAsync(new Dictionary<string, string>(),
            "run", Repo.ChartPlaybook, "--ehr", "http://127.0.0.1:9");

        Assert.Equal(2, exit);
        Assert.Contains("RPA_SECRET_MOCK_EHR_USERNAME", stderr);
    }
}
