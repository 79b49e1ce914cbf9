using System.Text.Json.Nodes;
using RpaWorker.Cli.Running;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;

namespace RpaWorker.Cli.Tests.Running;

/// <summary>
/// <c>rpa run</c> of the desktop chart playbook (driver atspi) against <c>rpa mock-ehr desktop</c>, under the X display
/// and session bus the test run provides, compared with the web playbook run against the web mock over the same data.
/// </summary>
public sealed class DesktopChartPlaybookTests
{
    // The first five generated charts: a middle name, an apostrophe name with a partial onset date, a hyphenated name,
    // a non-ASCII name with three unsigned notes (a modal dialog), and no birth date with empty sections.
    private const string Data = "generated:5:7";
    private const int Patients = 5;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private static readonly IReadOnlyDictionary<string, string> Credentials = Repo.MockEhrCredentials;

    private static string Playbook(string folder) => Path.Combine(Repo.Root, "playbooks", folder, "chart.yaml");

    private static void RequireDesktop()
    {
        foreach (var variable in new[] { "DISPLAY", "DBUS_SESSION_BUS_ADDRESS" })
        {
            Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)),
                $"{variable} is not set: desktop tests need an X server and a session bus (run them through ./test.sh, or " +
                "xvfb-run -a dbus-run-session -- dotnet test ...).");
        }
    }

    /// <summary>Starts <c>rpa mock-ehr desktop</c> under a name of its own and returns it with that name.</summary>
    private static async Task<(RpaProcess Process, string AppName)> StartDesktopAsync(params string[] options)
    {
        var name = "meddesk-run-" + Guid.NewGuid().ToString("N")[..8];
        var process = RpaProcess.Start(["mock-ehr", "desktop", "--data", Data, "--app-name", name, .. options]);
        await process.WaitForLineAsync("Application: ", TimeSpan.FromMinutes(2));
        return (process, name);
    }

    [Fact]
    public async Task Run_DesktopPlaybook_PublishesTheSameFhirAsTheWebPlaybookFromTheWebMock()
    {
        RequireDesktop();
        var dir = Directory.CreateTempSubdirectory("rpa-desktop-run-").FullName;
        try
        {
            // A reminder on every chart opening: on the patient with unsigned notes, two dialogs stack.
            var (desktop, appName) = await StartDesktopAsync("--popup-rate", "1");
            await using var desktopProcess = desktop;
            // Lists on one page: what the web side pages through is not what this test is about.
            await using var web = RpaProcess.Start("mock-ehr", "--data", Data, "--port", "0", "--page-size", "1000");
            var address = await web.WaitForLineAsync("Listening on ", TimeSpan.FromMinutes(2));

            var runs = await Task.WhenAll(
                RpaProcess.RunAsync(RunTimeout, Credentials, "run", Playbook("mock-ehr-desktop"), "--ehr", $"atspi://{appName}", "--out", Path.Combine(dir, "desktop")),
                RpaProcess.RunAsync(RunTimeout, Credentials, "run", Playbook("mock-ehr"), "--ehr", address, "--out", Path.Combine(dir, "web")));

            foreach (var (exit, stdout, stderr) in runs)
            {
                Assert.True(exit == 0, $"exit {exit}:\n{stdout}\n{stderr}");
                Assert.Contains($"Patients: {Patients} read, {Patients} succeeded, 0 failed", stdout);
            }
            var desktopOut = Published(Path.Combine(dir, "desktop"));
            var webOut = Published(Path.Combine(dir, "web"));
            Assert.Equal(Patients, desktopOut["Patient"].Count);
            foreach (var type in FidelityScore.Types)
            {
                // Same ids, same content: the two playbooks share the mapping and the EHR's keys.
                var fromWeb = webOut.GetValueOrDefault(type) ?? [];
                var fromDesktop = desktopOut.GetValueOrDefault(type) ?? [];
                Assert.Equal(fromWeb.Keys.Order(StringComparer.Ordinal), fromDesktop.Keys.Order(StringComparer.Ordinal));
                var differing = fromWeb.Keys.Where(id => fromWeb[id] != fromDesktop[id]).ToList();
                Assert.True(differing.Count == 0, $"{differing.Count} {type} resources differ, e.g.\nweb:     {Clip(fromWeb, differing)}\ndesktop: {Clip(fromDesktop, differing)}");
            }
            // One Provenance per patient, over the same resources; each names its own playbook and screens.
            Assert.Equal(Targets(webOut["Provenance"]), Targets(desktopOut["Provenance"]));
            Assert.All(desktopOut["Provenance"].Values, p =>
            {
                Assert.Contains("Playbook mock-ehr/chart-desktop 1.0.0", p, StringComparison.Ordinal);
                Assert.Contains($"Screen atspi://{appName}/Problem List", p, StringComparison.Ordinal);
            });

            // And it is what the desktop screens show.
            var truth = Path.Combine(dir, "truth");
            using (var store = LegacyStore.InMemory())
            {
                MockEhrDataSpec.TryParse(Data, out _)!.LoadInto(store);
                GroundTruthExporter.Export(store, truth);
            }
            Assert.Empty(FidelityScore.Compare(truth, Path.Combine(dir, "desktop"), Fidelity.Publishable).Differences);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_V1DesktopPlaybookOnTheV2Skin_StopsWithTargetNotFoundNamingStepAndTarget()
    {
        RequireDesktop();
        var dir = Directory.CreateTempSubdirectory("rpa-desktop-v2-").FullName;
        try
        {
            var (desktop, appName) = await StartDesktopAsync("--skin", "v2");
            await using var desktopProcess = desktop;

            // A heal store of its own, with nothing learnt: fingerprints another test's v1 run left beside the playbook
            // would heal the renamed button.
            var (exit, stdout, stderr) = await RpaProcess.RunAsync(RunTimeout, Credentials,
                "run", Playbook("mock-ehr-desktop"), "--ehr", $"atspi://{appName}", "--out", dir, "--heal-store", Path.Combine(dir, "empty.heal.json"));

            // The v2 login button reads "Sign In": the run stops at it, saying which step and which target, and reads no one.
            Assert.True(exit == 2, $"exit {exit}:\n{stdout}\n{stderr}");
            Assert.Matches(@"The run stopped: .*flows\.sign_in\[2\]\.click.*not found.*role button named ""Login""", stdout);
            Assert.Contains("chart.yaml:", stdout, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "Patient.ndjson")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_NoDisplayOrBus_StartsXvfbAndABusForTheRunAndTheApplicationInThem()
    {
        var dir = Directory.CreateTempSubdirectory("rpa-desktop-headless-").FullName;
        try
        {
            var name = "meddesk-exec-" + Guid.NewGuid().ToString("N")[..8];
            var command = new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "rpa.dll"), "mock-ehr", "desktop", "--data", "generated:1:3", "--app-name", name };
            var environment = new Dictionary<string, string>(Credentials) { ["DISPLAY"] = "", ["DBUS_SESSION_BUS_ADDRESS"] = "" };

            var (exit, stdout, stderr) = await RpaProcess.RunAsync(RunTimeout, environment, "run", Playbook("mock-ehr-desktop"),
                "--ehr", $"atspi://{name}?exec={string.Join('+', command.Select(Uri.EscapeDataString))}", "--out", dir);

            Assert.True(exit == 0, $"exit {exit}:\n{stdout}\n{stderr}");
            Assert.Contains("Patients: 1 read, 1 succeeded, 0 failed", stdout);
            var display = System.Text.RegularExpressions.Regex.Match(stdout, @"Started an X display \(:(\d+), Xvfb\) and a session bus").Groups[1].Value;
            Assert.True(display.Length > 0, stdout);
            // Stopped with the run: the X server removed its socket on the way out.
            Assert.False(File.Exists($"/tmp/.X11-unix/X{display}"), $"display :{display} is still there after the run");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_DesktopPlaybookWithTwoSessions_ExitsTwoSayingADesktopRunsOne()
    {
        var (exit, stdout, stderr) = await RpaProcess.RunAsync(Credentials,
            "run", Playbook("mock-ehr-desktop"), "--ehr", "atspi://nowhere", "--parallel", "2", "--out", Path.Combine(Path.GetTempPath(), "rpa-unused"));

        Assert.True(exit == 2, $"exit {exit}:\n{stdout}\n{stderr}");
        Assert.Contains("--parallel 2: a playbook with driver 'atspi' drives one application window with one user, so it runs 1 session", stderr);
    }

    [Fact]
    public async Task Run_SharedFile_ExitsTwoSayingItIsImportedNotRun()
    {
        var shared = Path.Combine(Repo.Root, "playbooks", "mock-ehr", "shared", "chart-sections.yaml");

        var (exit, stdout, stderr) = await RpaProcess.RunAsync(Credentials, "run", shared, "--ehr", "http://127.0.0.1:9");

        Assert.True(exit == 2, $"exit {exit}:\n{stdout}\n{stderr}");
        Assert.Contains($"{shared} is a shared file that playbooks import", stderr);
    }

    /// <summary>Each published resource by type and id, as JSON text with the time it was written taken out.</summary>
    private static Dictionary<string, Dictionary<string, string>> Published(string folder) =>
        Directory.GetFiles(folder, "*.ndjson").ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => File.ReadLines(f).Select(line =>
        {
            var resource = JsonNode.Parse(line)!.AsObject();
            resource["meta"]?.AsObject().Remove("lastUpdated");
            resource.Remove("recorded");
            return (Id: resource["id"]!.GetValue<string>(), Json: resource.ToJsonString());
        }).ToDictionary(r => r.Id, r => r.Json, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Each Provenance's targets, as one sorted line per Provenance, sorted.</summary>
    private static List<string> Targets(Dictionary<string, string> provenances) =>
        [.. provenances.Values.Select(p => string.Join(' ', JsonNode.Parse(p)!["target"]!.AsArray().Select(t => t!["reference"]!.GetValue<string>()).Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)];

    private static string Clip(Dictionary<string, string> resources, List<string> ids) => ids.Count == 0 ? "" : resources[ids[0]][..Math.Min(600, resources[ids[0]].Length)];
}
