using System.Text.Json.Nodes;
using RpaWorker.Cli.Running;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;
using RpaWorker.MockEhr.Generate;

namespace RpaWorker.Cli.Tests.Running;

/// <summary>
/// <c>rpa run</c> of the pixel chart playbook (window capture, Tesseract OCR, XTest input) against
/// <c>rpa mock-ehr desktop</c>, which the run starts itself in an Xvfb and session bus of its own (no DISPLAY given), as
/// it would reach an application behind Citrix. One chart a run: a chart through pixels takes a minute or more.
/// </summary>
public sealed class PixelChartPlaybookTests
{
    // The first generated chart of this set has an unsigned note: its chart opens under a modal dialog. (Names with
    // letters outside ASCII, "MÜLLER, JÜRGEN", are not read reliably through OCR yet: see docs/pixel-driver.md.)
    private const string Data = "generated:5:8";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    private static readonly string Playbook = Path.Combine(Repo.Root, "playbooks", "mock-ehr-pixel", "chart.yaml");

    private static string Mrn => ChartGenerator.Generate(5, 8).First().Patient.Mrn;

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string output, params string[] options)
    {
        var mock = new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "rpa.dll"), "mock-ehr", "desktop", "--data", Data, "--window-width", "1900" };
        var environment = new Dictionary<string, string>(Repo.MockEhrCredentials)
        {
            ["DISPLAY"] = "",
            ["DBUS_SESSION_BUS_ADDRESS"] = "",
            ["OMP_THREAD_LIMIT"] = "1",
        };
        return RpaProcess.RunAsync(RunTimeout, environment, ["run", Playbook,
            "--ehr", $"x11://MedDesk Classic?size=1900x740&exec={string.Join('+', mock.Select(Uri.EscapeDataString))}",
            "--input", $"mrn={Mrn}", "--out", output, .. options]);
    }

    [Fact]
    public async Task Run_PixelPlaybookOnAChartUnderTheUnsignedNotesDialog_ReadsItAndPublishesNoWrongValue()
    {
        var dir = Directory.CreateTempSubdirectory("rpa-pixel-run-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RunAsync(Path.Combine(dir, "fhir"), "--field-pattern", "MRN=[0-9]{7}");

            Assert.True(exit == 0, $"exit {exit}:\n{stdout}\n{stderr}");
            Assert.Contains("Patients: 1 read, 1 succeeded, 0 failed", stdout);
            var patient = JsonNode.Parse(Assert.Single(File.ReadAllLines(Path.Combine(dir, "fhir", "Patient.ndjson"))))!;
            Assert.Equal(Mrn, patient["identifier"]![0]!["value"]!.GetValue<string>());

            var truth = Path.Combine(dir, "truth");
            using (var store = LegacyStore.InMemory())
            {
                MockEhrDataSpec.TryParse(Data, out _)!.LoadInto(store);
                GroundTruthExporter.Export(store, truth);
            }
            // What OCR doubted is held for review, not published; what was published is what the chart holds.
            var wrong = FidelityScore.Compare(truth, Path.Combine(dir, "fhir"), Fidelity.Publishable).Differences
                .Where(d => !d.Contains(" not extracted", StringComparison.Ordinal)).ToList();
            Assert.True(wrong.Count == 0, $"published values that differ from the chart:\n{string.Join('\n', wrong)}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_MrnNotOfItsShape_HoldsThePatientForReviewWithItsPictureAndPublishesNone()
    {
        // Seven-digit record numbers against an eight-digit shape: exactly what a misread digit looks like to the check.
        var dir = Directory.CreateTempSubdirectory("rpa-pixel-mrn-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RunAsync(dir, "--field-pattern", "MRN=[0-9]{8}");

            Assert.True(exit is 0 or 1, $"exit {exit}:\n{stdout}\n{stderr}");
            Assert.False(File.Exists(Path.Combine(dir, "Patient.ndjson")) && File.ReadAllText(Path.Combine(dir, "Patient.ndjson")).Length > 0,
                "the patient was published though its MRN did not have the expected shape");
            var held = File.ReadAllLines(Path.Combine(dir, "quarantine", "quarantine.ndjson")).Select(l => JsonNode.Parse(l)!).ToList();
            var reasons = string.Join('\n', held.Where(q => q["resourceType"]!.GetValue<string>() == "Patient")
                .SelectMany(q => q["reasons"]!.AsArray().Select(r => r!.GetValue<string>())));
            Assert.Contains("field 'mrn' of 'patient' is held for review", reasons, StringComparison.Ordinal);
            Assert.Contains("does not have the expected shape", reasons, StringComparison.Ordinal);
            Assert.DoesNotContain(Mrn, reasons, StringComparison.Ordinal);
            Assert.DoesNotContain(Mrn, stdout + stderr, StringComparison.Ordinal);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "quarantine", "review"), "*.png"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
