using System.Text.Json;
using System.Text.RegularExpressions;
using RpaWorker.Cli.Running;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;

namespace RpaWorker.Cli.Tests.Running;

/// <summary>
/// The v1 chart playbooks, through <c>rpa run</c>, on the mock EHR's v2 skin (renamed labels, buttons, tabs and columns,
/// and a guarantor's date of birth under a label that reads like the patient's): a run on v1 learns the fingerprints,
/// the run on v2 heals and publishes what the screens show, and once every proposal is accepted with
/// <c>rpa heal accept</c> the edited playbook runs on v2 with no healing at all.
/// </summary>
public sealed class SelfHealingOnV2Tests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("rpa-heal-v2-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_V1WebPlaybookOnV2Skin_HealsReadsThePatientsOwnBirthDateAndAcceptedPlaybookNeedsNoHealing()
    {
        const string data = "generated:2:7";
        await using var v1 = RpaProcess.Start("mock-ehr", "--data", data, "--port", "0");
        await using var v2 = RpaProcess.Start("mock-ehr", "--data", data, "--port", "0", "--skin", "v2");
        var v1Address = await v1.WaitForLineAsync("Listening on ", StartTimeout);
        var v2Address = await v2.WaitForLineAsync("Listening on ", StartTimeout);

        await HealOnV2Async(data, "mock-ehr", v1Address, v2Address, patients: 2);
    }

    [Fact]
    public async Task Run_V1DesktopPlaybookOnV2Skin_HealsReadsThePatientsOwnBirthDateAndAcceptedPlaybookNeedsNoHealing()
    {
        foreach (var variable in new[] { "DISPLAY", "DBUS_SESSION_BUS_ADDRESS" })
        {
            Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)),
                $"{variable} is not set: desktop tests need an X server and a session bus (run them through ./test.sh, or " +
                "xvfb-run -a dbus-run-session -- dotnet test ...).");
        }
        const string data = "generated:1:7";
        // GTK allows one program name per process: one process per skin.
        var v1Name = "meddesk-heal1-" + Guid.NewGuid().ToString("N")[..8];
        var v2Name = "meddesk-heal2-" + Guid.NewGuid().ToString("N")[..8];
        await using var v1 = RpaProcess.Start("mock-ehr", "desktop", "--data", data, "--app-name", v1Name);
        var v2 = RpaProcess.Start("mock-ehr", "desktop", "--data", data, "--app-name", v2Name, "--skin", "v2");
        string stderr;
        try
        {
            await v1.WaitForLineAsync("Application: ", StartTimeout);
            await v2.WaitForLineAsync("Application: ", StartTimeout);

            stderr = await HealOnV2Async(data, "mock-ehr-desktop", $"atspi://{v1Name}", $"atspi://{v2Name}", patients: 1, async () =>
            {
                // The window stays signed in where the run left it, and the playbook's "if Logout is visible" is a
                // condition, which is not healed: the accepted playbook starts on a fresh v2 window, as the healing run did.
                await v2.DisposeAsync();
                v2 = RpaProcess.Start("mock-ehr", "desktop", "--data", data, "--app-name", v2Name, "--skin", "v2");
                await v2.WaitForLineAsync("Application: ", StartTimeout);
            });
        }
        finally
        {
            await v2.DisposeAsync();
        }

        // Besides the banner: the patient list's renamed columns, a renamed tab and a table under a new heading.
        Assert.Contains("column \"DOB\" of steps[4].extract_table.table -> column \"D.O.B.\"", stderr, StringComparison.Ordinal);
        Assert.Contains("role link named \"Problem List\" | role tab named \"Problem List\" -> Text \"Problems/Allergies\"", stderr, StringComparison.Ordinal);
        Assert.Contains("near_heading \"Immunization Record\" -> NearHeading \"HEALTH MAINTENANCE - Immunizations\"", stderr, StringComparison.Ordinal);
    }

    /// <summary>Learns on v1, heals on v2, accepts every proposal and runs v2 again; returns the healing run's log.</summary>
    private async Task<string> HealOnV2Async(string data, string playbookFolder, string v1, string v2, int patients, Func<Task>? beforeAccepted = null)
    {
        // A copy of the playbooks: the heal store is kept beside the playbook, and accepting edits it.
        foreach (var folder in new[] { "mock-ehr", playbookFolder }.Distinct())
        {
            CopyFolder(Path.Combine(Repo.Root, "playbooks", folder), Path.Combine(_dir, "playbooks", folder));
        }
        var playbook = Path.Combine(_dir, "playbooks", playbookFolder, "chart.yaml");
        var truth = Path.Combine(_dir, "truth");
        using (var store = LegacyStore.InMemory())
        {
            MockEhrDataSpec.TryParse(data, out _)!.LoadInto(store);
            GroundTruthExporter.Export(store, truth);
        }

        var learn = await RunAsync(playbook, v1, "v1");
        Assert.DoesNotContain("Self-healing:", learn.Stdout, StringComparison.Ordinal);

        var healed = await RunAsync(playbook, v2, "v2");
        var count = Regex.Match(healed.Stdout, @"Self-healing: (\d+) target\(s\) healed \((\d+) new proposal\(s\)\), 0 not healed");
        Assert.True(count.Success, healed.Stdout);
        Assert.True(int.Parse(count.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 10, healed.Stdout);
        // The patient's date of birth moved to "D.O.B.:"; the guarantor's "D.O.B:" next to it is the wrong one.
        Assert.Contains("at banner-and-demographics.birth_date: right_of \"DOB:\" -> RightOf \"D.O.B.:\"", healed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("RightOf \"D.O.B:\"", healed.Stderr, StringComparison.Ordinal);
        Assert.Equal(BirthDates(truth), BirthDates(Path.Combine(_dir, "v2")));
        Assert.Empty(FidelityScore.Compare(truth, Path.Combine(_dir, "v2"), Fidelity.Publishable).Differences);
        var (listExit, list, _) = await RpaProcess.RunAsync("heal", "list", playbook);
        Assert.Equal(0, listExit);
        Assert.Equal(int.Parse(count.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), Regex.Matches(list, @"^h[0-9a-f]{8}\b", RegexOptions.Multiline).Count);

        var (acceptExit, _, acceptErr) = await RpaProcess.RunAsync("heal", "accept", playbook, "all");
        Assert.True(acceptExit == 0, acceptErr);
        Assert.Contains("right_of: \"D.O.B.:\"", File.ReadAllText(Path.Combine(_dir, "playbooks", "mock-ehr", "shared", "chart-sections.yaml")), StringComparison.Ordinal);

        if (beforeAccepted is not null)
        {
            await beforeAccepted();
        }
        var accepted = await RunAsync(playbook, v2, "v2-accepted");
        Assert.DoesNotContain("Self-healing:", accepted.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("heal: ", accepted.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Patients: {patients} read, {patients} succeeded, 0 failed", accepted.Stdout, StringComparison.Ordinal);
        Assert.Empty(FidelityScore.Compare(truth, Path.Combine(_dir, "v2-accepted"), Fidelity.Publishable).Differences);
        return healed.Stderr;

        async Task<(string Stdout, string Stderr)> RunAsync(string file, string ehr, string output)
        {
            var (exit, stdout, stderr) = await RpaProcess.RunAsync(RunTimeout, Repo.MockEhrCredentials, "run", file, "--ehr", ehr, "--out", Path.Combine(_dir, output));
            Assert.True(exit == 0, $"{output}: exit {exit}:\n{stdout}\n{stderr}");
            Assert.Contains($"Patients: {patients} read, {patients} succeeded, 0 failed", stdout, StringComparison.Ordinal);
            return (stdout, stderr);
        }
    }

    /// <summary>Each patient's MRN and birth date, sorted by MRN.</summary>
    private static List<string> BirthDates(string folder) =>
    [
        .. File.ReadLines(Path.Combine(folder, "Patient.ndjson")).Select(line =>
        {
            using var patient = JsonDocument.Parse(line);
            var root = patient.RootElement;
            var mrn = root.GetProperty("identifier").EnumerateArray().First().GetProperty("value").GetString();
            return $"{mrn} {(root.TryGetProperty("birthDate", out var born) ? born.GetString() : "-")}";
        }).Order(StringComparer.Ordinal),
    ];

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*.yaml"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var folder in Directory.GetDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
